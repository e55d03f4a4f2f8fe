"""URL patterns of briefings (full paths from the site root)."""

from django.urls import path

from briefings.views import composer, workflow

app_name = "briefings"

urlpatterns = [
    path("", workflow.briefing_list, name="briefing-list"),
    path("branding/", composer.branding, name="branding"),
    path("new/<int:pk>/", composer.briefing_create, name="briefing-create"),
    path("<int:pk>/", workflow.briefing_detail, name="briefing-detail"),
    path("<int:pk>/edit/", composer.briefing_edit, name="briefing-edit"),
    path("<int:pk>/learning/", composer.briefing_items, name="briefing-items"),
    path("<int:pk>/learning/refresh/", composer.briefing_refresh, name="briefing-refresh"),
    path("<int:pk>/preview/", composer.briefing_preview, name="briefing-preview"),
    path("<int:pk>/pdf/", composer.briefing_render, name="briefing-render"),
    path("<int:pk>/pdf/<int:render_pk>/", composer.render_download, name="render-download"),
    path("<int:pk>/docx/", composer.briefing_docx_download, name="briefing-docx"),
    path("<int:pk>/send/", workflow.briefing_submit, name="briefing-submit"),
    path("<int:pk>/approve/", workflow.briefing_approve, name="briefing-approve"),
    path("<int:pk>/publish/", workflow.briefing_publish, name="briefing-publish"),
    path("<int:pk>/make-changes/", workflow.briefing_reopen, name="briefing-reopen"),
    path("<int:pk>/versions/<int:number>/", workflow.version_download, name="version-download"),
]
