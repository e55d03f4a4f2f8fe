"""URL patterns of audits.learning (full paths from the site root)."""

from django.urls import path

from audits.learning.views import library, round_learning, themes

_LEARNING = "rounds/<int:pk>/learning/"

round_learning_patterns = [
    path(_LEARNING, round_learning.learning_page, name="round-learning"),
    path(_LEARNING + "<str:kind>/add/", round_learning.learning_add, name="round-learning-add"),
    path(_LEARNING + "<int:point_pk>/change/", round_learning.learning_edit, name="round-learning-edit"),
    path(_LEARNING + "<int:point_pk>/remove/", round_learning.learning_remove, name="round-learning-remove"),
    path(_LEARNING + "<int:point_pk>/move/", round_learning.learning_move, name="round-learning-move"),
]

library_patterns = [
    path("learning/", library.library, name="library"),
    path("learning/themes/", library.themes, name="library-themes"),
    path("learning/grades/", library.grades, name="library-grades"),
]

themes_patterns = [
    path("themes/", themes.theme_list, name="theme-list"),
    path("themes/add/", themes.theme_add, name="theme-add"),
    path("themes/<int:pk>/change/", themes.theme_edit, name="theme-edit"),
]

urlpatterns = round_learning_patterns + library_patterns + themes_patterns
