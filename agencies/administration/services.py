"""Writes of the administration pages: people (invite, role and agency, deactivate, reactivate,
two-factor reset, confirming a coordinator), agencies, areas and needs.

Every change to what a person may do (an account made, deactivated or reactivated, a role given
or taken away, an agency or agency role changed, a coordinator confirmed) goes through
``privileges_changed``: one line per change in the access log, and one e-mail to the
partnership's administrators and coordinators once the change has committed. Django's admin
site calls it too (``agencies/admin.py``), so no change goes unseen."""

from dataclasses import dataclass
from functools import partial

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from agencies import roles
from agencies.access_log.services import Kind, record
from agencies.accounts import two_factor
from agencies.administration import tasks
from agencies.administration.permissions import (
    can_change_person,
    confirmation_refusal,
    require_administrator,
    require_change_person,
)
from agencies.models import AccessEvent, Agency, Area, Invitation, Membership, User, normalise_email
from agencies.permissions import can_confirm_coordinators
from audits.models import Need
from lib.models import locked

PARTNERSHIP_ROLES = list(roles.ROLE_PERMISSIONS)
# Administrators never see identifiers, so one person cannot hold both roles.
EXCLUSIVE = {roles.ADMINISTRATOR, roles.COORDINATOR}
EXCLUSIVE_MESSAGE = "A person cannot be both an administrator and a coordinator: administrators do not see identifiers"
# Agency staff see their cases' children's details; administrators never see identifiers.
ADMINISTRATOR_AGENCY_MESSAGE = (
    "An administrator cannot also be staff of an agency: administrators do not see children's details. "
    "Choose 'No agency', or take away the Administrator role"
)


# What a person may do, before and after a change ----------------------------------------------


@dataclass(frozen=True)
class Access:
    """Everything about an account that decides what its holder may do."""

    active: bool
    superuser: bool
    roles: frozenset
    agency: str  # "Agency lead, <agency>" or ""
    confirmed: bool


def access_of(user) -> Access:
    """The account's access as the database holds it now (two queries)."""
    fresh = User.objects.filter(pk=user.pk).values("is_active", "is_superuser", "identifiers_confirmed_at").first()
    membership = Membership.objects.filter(user_id=user.pk).select_related("agency").first()
    return Access(
        active=fresh["is_active"],
        superuser=fresh["is_superuser"],
        roles=frozenset(Group.objects.filter(user__pk=user.pk).values_list("name", flat=True)),
        agency=f"{membership.get_role_display()}, {membership.agency.name}" if membership else "",
        confirmed=fresh["identifiers_confirmed_at"] is not None,
    )


def _person(user) -> str:
    return f"user #{user.pk} ({user.email})"


def _changes(user, before: Access | None, after: Access) -> list[tuple[str, str]]:
    """(kind, what) for each change from ``before`` (None: a new account) to ``after``."""
    who = _person(user)
    changes = []
    if before is None:
        held = ", ".join(sorted(after.roles) + ([after.agency] if after.agency else [])) or "no role"
        changes.append((Kind.ACCOUNT_CREATED, f"Account made for {who}: {held}"))
        before = Access(active=after.active, superuser=False, roles=frozenset(), agency="", confirmed=False)
    if before.active != after.active:
        kind = Kind.ACCOUNT_REACTIVATED if after.active else Kind.ACCOUNT_DEACTIVATED
        changes.append((kind, f"{'Reactivated' if after.active else 'Deactivated'}: {who}"))
    if before.superuser != after.superuser:
        kind = Kind.ROLE_GRANTED if after.superuser else Kind.ROLE_REMOVED
        changes.append((kind, f"Superuser status {'given to' if after.superuser else 'taken from'} {who}"))
    for role in sorted(after.roles - before.roles):
        changes.append((Kind.ROLE_GRANTED, f"{role} role given to {who}"))
    for role in sorted(before.roles - after.roles):
        changes.append((Kind.ROLE_REMOVED, f"{role} role taken from {who}"))
    if before.agency != after.agency:
        changes.append(
            (Kind.AGENCY_CHANGED, f"{who}: {after.agency or 'no agency'} (was {before.agency or 'no agency'})")
        )
    if after.confirmed and not before.confirmed:
        changes.append((Kind.COORDINATOR_CONFIRMED, f"Confirmed to see identifiers: {who}"))
    return changes


def privileges_changed(*, actor, user, before: Access | None, origin: str | None = None) -> list[AccessEvent]:
    """Record what changed in ``user``'s access since ``before`` (None: the account is new),
    one access-log line per change, and e-mail the administrators and coordinators about them
    once the transaction commits. A Coordinator role given now remembers who gave it, as they may
    not confirm it. Returns the lines recorded (none if nothing changed).

    For the four-eyes rule (``permissions.confirmation_refusal``) it also keeps who made the
    account, who gave the Administrator or Coordinator role, and when."""
    after = access_of(user)
    given = after.roles - (before.roles if before else frozenset())
    stamps = {}
    if before is None and actor is not None:
        stamps["invited_by"] = actor
    if roles.COORDINATOR in given and actor is not None:
        stamps["coordinator_granted_by"] = actor
    if roles.ADMINISTRATOR in given and actor is not None:
        stamps["administrator_granted_by"] = actor
    if given & EXCLUSIVE:
        stamps["role_granted_at"] = timezone.now()
    if stamps:
        User.objects.filter(pk=user.pk).update(**stamps)
        for field, value in stamps.items():
            setattr(user, field, value)
    events = [
        record(kind, origin=origin, user=actor, what=what, email="" if actor else "(not signed in)")
        for kind, what in _changes(user, before, after)
    ]
    if events:
        transaction.on_commit(partial(tasks.send_privileges_notice.enqueue, [event.pk for event in events], user.pk))
    return events


def account_deleted(*, actor, user, origin: str | None = None) -> AccessEvent:
    """Record that an account is being deleted (Django's admin site, superusers only: the
    service's pages deactivate instead), and e-mail the administrators and coordinators once it
    has. Called before the row goes, inside the deletion's transaction."""
    who = _person(user)
    event = record(Kind.ACCOUNT_DELETED, origin=origin, user=actor, what=f"Account deleted: {who}")
    transaction.on_commit(partial(tasks.send_privileges_notice.enqueue, [event.pk], user.pk, who))
    return event


# People ---------------------------------------------------------------------------------------


def _check_roles(role_names, agency, agency_role) -> None:
    unknown = set(role_names) - set(PARTNERSHIP_ROLES)
    if unknown:
        raise ValidationError({"roles": "Choose roles from the list"})
    if set(role_names) >= EXCLUSIVE:
        raise ValidationError({"roles": EXCLUSIVE_MESSAGE})
    if roles.ADMINISTRATOR in role_names and agency is not None:
        raise ValidationError({"agency": ADMINISTRATOR_AGENCY_MESSAGE})
    if agency is not None and agency_role not in Membership.Role.values:
        raise ValidationError({"agency_role": "Choose whether they are the agency's lead or an auditor"})


def _set_access(user, role_names, agency, agency_role) -> None:
    user.groups.set(Group.objects.filter(name__in=role_names))
    membership = Membership.objects.filter(user=user).first()
    if agency is None:
        if membership is not None:
            membership.delete()
    elif membership is None:
        Membership.objects.create(user=user, agency=agency, role=agency_role)
    elif (membership.agency_id, membership.role) != (agency.pk, agency_role):
        membership.agency, membership.role = agency, agency_role
        membership.full_clean()
        membership.save()
    user.__dict__.pop("_membership", None)


@transaction.atomic
def person_invite(
    *,
    actor,
    full_name: str,
    email: str,
    job_title: str = "",
    role_names=(),
    agency: Agency | None = None,
    agency_role: str = "",
    origin: str | None = None,
) -> User:
    """Make an account with these roles and agency, without a password, and e-mail the person a
    single-use link to set one and then their two-factor sign-in. Administrators only."""
    require_administrator(actor)
    _check_roles(role_names, agency, agency_role)
    email = normalise_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "There is already an account with this e-mail address"})
    user = User(email=email, full_name=full_name.strip(), job_title=job_title.strip())
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    _set_access(user, role_names, agency, agency_role)
    privileges_changed(actor=actor, user=user, before=None, origin=origin)
    _queue_invitation(actor, user, origin)
    return user


def _queue_invitation(actor, user, origin) -> None:
    record(Kind.INVITATION_SENT, origin=origin, user=actor, what=f"Invitation sent to {_person(user)}")
    transaction.on_commit(partial(tasks.send_invitation.enqueue, user.pk, actor.pk))


def can_invite_again(person) -> bool:
    """Someone invited who is not in yet (``User.is_invited``: never set a password, whether or
    not their link has expired) can be sent a new link."""
    return person.is_invited


@transaction.atomic
def invitation_resend(*, actor, person: User, origin: str | None = None) -> None:
    """Send a new invitation link to someone who has not accepted theirs: the older links stop
    working."""
    require_change_person(actor, person)
    person = locked(person)
    if not can_invite_again(person):
        raise ValidationError("This person has already set their password: they can reset it from the sign-in page")
    _queue_invitation(actor, person, origin)


@transaction.atomic
def person_access_change(
    *,
    actor,
    person: User,
    role_names=(),
    agency: Agency | None = None,
    agency_role: str = "",
    origin: str | None = None,
) -> User:
    """Give a person these partnership roles and this agency (or none), in place of what they
    had. Administrators only, never on their own account; every change is recorded and e-mailed.
    Giving the Coordinator role again means it must be confirmed again."""
    require_change_person(actor, person)
    _check_roles(role_names, agency, agency_role)
    person = locked(person)
    before = access_of(person)
    _set_access(person, role_names, agency, agency_role)
    privileges_changed(actor=actor, user=person, before=before, origin=origin)
    return person


def _set_active(actor, person, active: bool, origin) -> User:
    require_change_person(actor, person)
    person = locked(person)
    if person.is_active == active:
        raise ValidationError("This account is already " + ("active" if active else "deactivated"))
    before = access_of(person)
    person.is_active = active
    person.save(update_fields=["is_active"])
    if not active:
        Invitation.objects.filter(user=person, used_at__isnull=True).delete()
    privileges_changed(actor=actor, user=person, before=before, origin=origin)
    return person


@transaction.atomic
def person_deactivate(*, actor, person: User, origin: str | None = None) -> User:
    """Switch an account off: its sessions end at their next request and it cannot sign in; its
    history stays. Unused invitation links stop working."""
    return _set_active(actor, person, False, origin)


@transaction.atomic
def person_reactivate(*, actor, person: User, origin: str | None = None) -> User:
    """Switch a deactivated account back on, with the roles and agency it had."""
    return _set_active(actor, person, True, origin)


def person_two_factor_reset(*, actor, person: User, origin: str | None = None) -> None:
    """Remove someone's authenticator app and recovery codes (a lost phone): they set two-factor
    sign-in up again at their next sign-in (``two_factor.two_factor_reset``, which records it)."""
    require_change_person(actor, person)
    try:
        two_factor.two_factor_reset(actor=actor, user=person, origin=origin)
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc


@transaction.atomic
def coordinator_confirm(*, actor, person: User, origin: str | None = None) -> User:
    """Confirm a new coordinator, so that they may see children's identifiers: by another
    coordinator (confirmed themselves) or an administrator, never the person themselves nor
    whoever gave them the role, and only once they have set up two-factor sign-in."""
    if not can_confirm_coordinators(actor):
        raise PermissionDenied
    person = locked(person)
    refusal = confirmation_refusal(actor, person)
    if refusal:
        raise ValidationError(refusal)
    before = access_of(person)
    person.identifiers_confirmed_at = timezone.now()
    person.identifiers_confirmed_by = actor
    person.save(update_fields=["identifiers_confirmed_at", "identifiers_confirmed_by"])
    privileges_changed(actor=actor, user=person, before=before, origin=origin)
    return person


# Agencies, areas and needs -----------------------------------------------------------------------


def _save(actor, obj):
    require_administrator(actor)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def agency_create(*, actor, name: str, short_name: str, sector: str, is_active: bool = True) -> Agency:
    """Add an agency of the partnership. Administrators only."""
    return _save(actor, Agency(name=name, short_name=short_name, sector=sector, is_active=is_active))


@transaction.atomic
def agency_update(*, actor, agency: Agency, name: str, short_name: str, sector: str, is_active: bool) -> Agency:
    """Change an agency; an inactive one cannot be added to new cases. Administrators only."""
    require_administrator(actor)
    agency = locked(agency)
    agency.name, agency.short_name, agency.sector, agency.is_active = name, short_name, sector, is_active
    return _save(actor, agency)


@transaction.atomic
def area_create(*, actor, name: str, short_name: str) -> Area:
    """Add a local authority area. Administrators only."""
    return _save(actor, Area(name=name, short_name=short_name))


@transaction.atomic
def area_update(*, actor, area: Area, name: str, short_name: str) -> Area:
    require_administrator(actor)
    area = locked(area)
    area.name, area.short_name = name, short_name
    return _save(actor, area)


@transaction.atomic
def need_create(*, actor, name: str, slug: str) -> Need:
    """Add a need or risk factor cases can be tagged with. Administrators only."""
    return _save(actor, Need(name=name, slug=slug))


@transaction.atomic
def need_update(*, actor, need: Need, name: str, slug: str) -> Need:
    require_administrator(actor)
    need = locked(need)
    need.name, need.slug = name, slug
    return _save(actor, need)


__all__ = [
    "Access",
    "access_of",
    "account_deleted",
    "agency_create",
    "agency_update",
    "area_create",
    "area_update",
    "can_change_person",
    "can_invite_again",
    "coordinator_confirm",
    "invitation_resend",
    "need_create",
    "need_update",
    "person_access_change",
    "person_deactivate",
    "person_invite",
    "person_reactivate",
    "person_two_factor_reset",
    "privileges_changed",
]
