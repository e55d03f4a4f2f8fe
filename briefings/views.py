"""Briefing views arrive with issue 5."""

urlpatterns = []
