"""Views for this area arrive in this session (issue 3)."""

urlpatterns = []
