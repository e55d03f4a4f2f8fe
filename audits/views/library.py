"""Views for this area arrive with issue 5."""

urlpatterns = []
