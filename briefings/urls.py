"""URL patterns of briefings (full paths from the site root)."""

from django.urls import path

from briefings import views

app_name = "briefings"

urlpatterns = [
    path("", views.briefing_list, name="briefing-list"),
    path("branding/", views.branding, name="branding"),
    path("new/<int:pk>/", views.briefing_create, name="briefing-create"),
    path("<int:pk>/", views.briefing_detail, name="briefing-detail"),
    path("<int:pk>/edit/", views.briefing_edit, name="briefing-edit"),
    path("<int:pk>/learning/", views.briefing_items, name="briefing-items"),
    path("<int:pk>/learning/refresh/", views.briefing_refresh, name="briefing-refresh"),
    path("<int:pk>/preview/", views.briefing_preview, name="briefing-preview"),
    path("<int:pk>/pdf/", views.briefing_render, name="briefing-render"),
    path("<int:pk>/pdf/<int:render_pk>/", views.render_download, name="render-download"),
    path("<int:pk>/approve/", views.briefing_approve, name="briefing-approve"),
    path("<int:pk>/publish/", views.briefing_publish, name="briefing-publish"),
    path("<int:pk>/make-changes/", views.briefing_reopen, name="briefing-reopen"),
    path("<int:pk>/versions/<int:number>/", views.version_download, name="version-download"),
]
