"""URL patterns of audits.help (full paths from the site root)."""

from django.urls import path

from audits.help import views

urlpatterns = [
    path("help/", views.help_index, name="help"),
    path("help/glossary/", views.glossary, name="help-glossary"),
    path("help/grades/", views.grades, name="help-grades"),
    path("help/how-a-round-works/<slug:role>/", views.round_guide, name="help-round-guide"),
    path("accessibility/", views.accessibility_statement, name="accessibility-statement"),
    path("privacy/", views.privacy_notice, name="privacy-notice"),
]
