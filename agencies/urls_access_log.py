from django.urls import path

from agencies import views_access_log as views

urlpatterns = [
    path("access-log/", views.access_log, name="access-log"),
    path("access-log/export.csv", views.access_log_csv, name="access-log-csv"),
]
