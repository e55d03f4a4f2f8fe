from django.urls import include, path

app_name = "briefings"

# The briefings' views list their own patterns (full paths below /briefings/).
urlpatterns = [
    path("", include("briefings.views")),
]
