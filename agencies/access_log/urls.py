from django.urls import path

from agencies.access_log import views

urlpatterns = [
    path("access-log/", views.access_log, name="access-log"),
    path("access-log/export.csv", views.access_log_csv, name="access-log-csv"),
]
