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
    """A person's page: administrators only (403), 404 for no such account. With what
    ``User.account_status`` needs."""
    require_administrator(user)
    return get_object_or_404(User.objects.with_two_factor().select_related("agency_membership__agency"), pk=pk)


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


# How far back the four-eyes rule follows who made an account or gave its role: further back
# than this, it refuses (someone nearer the start must confirm).
MAX_CHAIN = 10


def _owes_access_to(actor, granter_id) -> bool:
    """Whether ``actor``'s account, or a role of theirs, was made or given by ``granter_id``,
    directly or through accounts that person made or raised (``User.invited_by``,
    ``administrator_granted_by``, ``coordinator_granted_by``): one query a step back."""
    seen = frontier = {actor.pk}
    for _ in range(MAX_CHAIN):
        rows = User.objects.filter(pk__in=frontier).values_list(
            "invited_by", "administrator_granted_by", "coordinator_granted_by"
        )
        frontier = {pk for row in rows for pk in row if pk is not None} - seen
        if granter_id in frontier:
            return True
        if not frontier:
            return False
        seen = seen | frontier
    return True


def confirmation_refusal(actor, person) -> str:
    """Why ``actor`` may not confirm ``person`` to see identifiers now ("" when they may): the
    person holds the Coordinator role, is not confirmed yet, has set up two-factor sign-in, and
    the one confirming is independent of whoever gave them the role (four eyes): someone else
    than the person and the giver, whose own account and role do not come from the giver (however
    many accounts in between), and who held their Administrator or Coordinator role before this
    one was given. Otherwise one administrator could make a second one, or an account of their
    own, to confirm a coordinator account they made."""
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
    granter = person.coordinator_granted_by_id
    if granter is not None and _owes_access_to(actor, granter):
        return (
            "Your account or your role was made or given by the person who gave this person the Coordinator "
            "role, so someone independent of them must confirm them."
        )
    if actor.role_granted_at and person.role_granted_at and actor.role_granted_at > person.role_granted_at:
        return (
            "Your role was given after this person's Coordinator role, so someone who held their role before "
            "must confirm them."
        )
    if not has_authenticator(person):
        return "This person has not set up two-factor sign-in yet: they can be confirmed once they have."
    return ""


def get_person_to_confirm(user, pk) -> User:
    """The "Confirm a new coordinator" page: administrators and confirmed coordinators (403),
    404 unless the account is active, holds the Coordinator role and awaits confirmation (so
    the page shows nobody else's name or address)."""
    if not can_confirm_coordinators(user):
        raise PermissionDenied
    awaiting = User.objects.filter(is_active=True, groups__name=COORDINATOR, identifiers_confirmed_at__isnull=True)
    return get_object_or_404(awaiting.prefetch_related("groups").select_related("coordinator_granted_by"), pk=pk)
