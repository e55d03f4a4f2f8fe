"""A Coordinator role given or taken away, by any means (the service's pages, Django's admin, a
shell), clears the person's confirmation to see identifiers: a role given again is confirmed
again (``agencies.permissions.can_read_identifiers``)."""

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from agencies.models import User
from agencies.roles import COORDINATOR


def _unconfirm(user_ids) -> None:
    User.objects.filter(pk__in=list(user_ids)).update(identifiers_confirmed_at=None, identifiers_confirmed_by=None)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="administration.coordinator_role")
def _coordinator_role_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:  # instance is a user; pk_set the groups (None for a clear)
        if action == "pre_clear":
            involved = instance.groups.filter(name=COORDINATOR).exists()
        else:
            involved = Group.objects.filter(pk__in=pk_set, name=COORDINATOR).exists()
        if involved:
            _unconfirm([instance.pk])
            instance.identifiers_confirmed_at = None
            instance.identifiers_confirmed_by = None
    elif instance.name == COORDINATOR:  # instance is the group; pk_set the users
        if action == "pre_clear":
            _unconfirm(instance.user_set.values_list("pk", flat=True))
        else:
            _unconfirm(pk_set)
