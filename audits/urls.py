"""The audits app's URLs: each feature's urls.py owns its patterns, under the one "audits:" namespace."""

from django.urls import include, path

app_name = "audits"

urlpatterns = [
    path("", include(f"audits.{feature}.urls"))
    for feature in ("rounds", "returns", "tool_templates", "meetings", "learning", "actions", "help")
]
