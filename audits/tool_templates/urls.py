"""URL patterns of audits.tool_templates (full paths from the site root)."""

from django.urls import include, path

from audits.tool_templates import views

template_patterns = [
    path("", views.template_detail, name="template-detail"),
    path("edit/", views.template_edit, name="template-edit"),
    path("make-default/", views.template_make_default, name="template-make-default"),
    path("grade-descriptors/", views.template_descriptors, name="template-descriptors"),
    path("versions/<int:number>/", views.template_version, name="template-version"),
    path("sections/add/", views.section_add, name="template-section-add"),
    path("sections/<int:section_pk>/edit/", views.section_edit, name="template-section-edit"),
    path("sections/<int:section_pk>/remove/", views.section_remove, name="template-section-remove"),
    path("sections/<int:section_pk>/move/", views.section_move, name="template-section-move"),
    path("sections/<int:section_pk>/questions/add/", views.question_add, name="template-question-add"),
    path("questions/<int:question_pk>/edit/", views.question_edit, name="template-question-edit"),
    path("questions/<int:question_pk>/remove/", views.question_remove, name="template-question-remove"),
    path("questions/<int:question_pk>/move/", views.question_move, name="template-question-move"),
]

urlpatterns = [
    path("templates/", views.template_list, name="template-list"),
    path("templates/add/", views.template_add, name="template-add"),
    path("templates/<int:pk>/", include(template_patterns)),
]
