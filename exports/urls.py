"""URL patterns of exports (under /exports/)."""

from django.urls import path

from exports import views

app_name = "exports"

urlpatterns = [
    path("", views.export_list, name="export-list"),
    path("<int:pk>/", views.export_detail, name="export-detail"),
    path("<int:pk>/retry/", views.export_retry, name="export-retry"),
    path("<int:pk>/download/", views.export_download, name="export-download"),
]
