"""Who may use the administration pages and change which account.

The pages (people, agencies, areas, needs) are the administrators' (``is_administrator``);
confirming a new coordinator is also open to confirmed coordinators. Every view here starts with
one of these, and every service asks the same question."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from agencies.accounts.two_factor import has_authenticator
from agencies.models import User
from agencies.permissions import can_confirm_coordinators, is_administrator, require_administrator
from agencies.roles import COORDINATOR

__all__ = [
    "can_change_person",
    "confirmation_refusal",
    "get_person_for_user",
    "get_person_to_confirm",
    "is_administrator",
    "require_administrator",
]


def get_person_for_user(user, pk) -> User:
    """A person's page: administrators only (403), 404 for no such account."""
    require_administrator(user)
    return get_object_or_404(User.objects.select_related("agency_membership__agency"), pk=pk)


def can_change_person(actor, person) -> bool:
    """Administrators change other people's accounts, never their own roles, agency or switch
    (someone else must), and only a superuser changes a superuser: otherwise an administrator
    could take one over."""
    if not is_administrator(actor) or actor.pk == person.pk:
        return False
    return actor.is_superuser or not person.is_superuser


def require_change_person(actor, person) -> None:
    if not can_change_person(actor, person):
        raise PermissionDenied


def holds_coordinator_role(person) -> bool:
    return any(group.name == COORDINATOR for group in person.groups.all())


def confirmation_refusal(actor, person) -> str:
    """Why ``actor`` may not confirm ``person`` to see identifiers now ("" when they may): the
    person holds the Coordinator role, is not confirmed yet, has set up two-factor sign-in, and
    the one confirming is someone else than the person and than whoever gave them the role."""
    if not person.is_active:
        return "This account is deactivated."
    if not holds_coordinator_role(person):
        return "This person does not have the Coordinator role."
    if person.identifiers_confirmed:
        return "This coordinator has already been confirmed."
    if actor.pk == person.pk:
        return "You cannot confirm yourself: another coordinator or an administrator must."
    if person.coordinator_granted_by_id == actor.pk:
        return "You gave this person the Coordinator role, so someone else must confirm them."
    if not has_authenticator(person):
        return "This person has not set up two-factor sign-in yet: they can be confirmed once they have."
    return ""


def get_person_to_confirm(user, pk) -> User:
    """The "Confirm a new coordinator" page: administrators and confirmed coordinators (403),
    404 for no such account."""
    if not can_confirm_coordinators(user):
        raise PermissionDenied
    return get_object_or_404(User.objects.prefetch_related("groups"), pk=pk)
