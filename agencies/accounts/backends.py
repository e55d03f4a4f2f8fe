"""The sign-in backend: Django's ModelBackend, loading a signed-in person with their agency
membership in the one query every request makes for them (``agencies.accounts.access_cache``)."""

from django.contrib.auth.backends import ModelBackend

from agencies.models import User


class Backend(ModelBackend):
    def get_user(self, user_id):
        user = User._default_manager.select_related("agency_membership__agency").filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        user._membership = getattr(user, "agency_membership", None)
        return user
