"""Views for this area arrive with issue 4."""

urlpatterns = []
