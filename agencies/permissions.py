"""What each partnership role may do, as questions every app and the navigation ask.

Like each feature's ``permissions.py``: ``can_*`` (and ``is_*``) answer for views, templates' flags
and navigation; ``require_*`` raises PermissionDenied (403) and is the first line of every view it
guards. The roles' permissions themselves are listed in ``agencies/roles.py``."""

from django.conf import settings
from django.core.exceptions import PermissionDenied


def is_coordinator(user) -> bool:
    """Coordinators plan rounds, choose their cases and agencies, and run the audit programme."""
    return user.is_authenticated and user.has_perm("audits.manage_rounds")


def can_view_all_rounds(user) -> bool:
    """Coordinators and administrators see every round and case; agency staff only their agency's."""
    return user.is_authenticated and user.has_perm("audits.view_all_rounds")


def can_view_rounds(user) -> bool:
    """Audit rounds are for coordinators, administrators and agency staff; board viewers (and anyone
    without an agency or a partnership role) never see them."""
    return can_view_all_rounds(user) or (user.is_authenticated and user.agency is not None)


def can_read_library(user) -> bool:
    """Published briefings and the learning library: coordinators, administrators, board viewers
    and approvers (``briefings.view_published``), and the practitioners the learning is for,
    agency leads and auditors. What each may see of it is the library's and briefings' own rule."""
    return user.is_authenticated and (user.has_perm("briefings.view_published") or user.agency is not None)


def is_board_approver(user) -> bool:
    """Board approvers sign briefings off for the board (``briefings.approve_briefing``)."""
    return user.is_authenticated and user.has_perm("briefings.approve_briefing")


def can_publish_briefings(user) -> bool:
    """Who may publish an approved briefing (and so move its rounds on): board approvers and
    coordinators. ``briefings.permissions`` says which briefing, and when."""
    return is_board_approver(user) or is_coordinator(user)


def can_manage_templates(user) -> bool:
    """The audit tool templates: coordinators and administrators."""
    return user.is_authenticated and user.has_perm("audits.manage_templates")


def can_manage_themes(user) -> bool:
    """The practice themes learning is tagged with: coordinators and administrators."""
    return user.is_authenticated and user.has_perm("audits.manage_themes")


def can_use_admin_site(user) -> bool:
    """Django's own administration site: superusers only (the technical administrators). The
    partnership's administrators use the service's pages (``is_administrator``)."""
    return user.is_authenticated and user.is_active and user.is_superuser


def is_administrator(user) -> bool:
    """Administrators (the Administrator role, or a superuser) manage people, agencies, areas,
    needs and practice themes through the service's administration pages (agencies/people)."""
    return user.is_authenticated and user.has_perm("agencies.change_user")


def require_administrator(user) -> None:
    if not is_administrator(user):
        raise PermissionDenied


def can_open_settings(user) -> bool:
    """The settings page (one navigation item for the pages that set the service up): anyone who
    may manage at least one of them, the audit tool templates, the practice themes, the
    administrators' pages (people, agencies, areas, needs), the access log or Django's admin."""
    return (
        can_manage_templates(user)
        or can_manage_themes(user)
        or is_administrator(user)
        or can_view_access_log(user)
        or can_use_admin_site(user)
    )


def require_settings(user) -> None:
    if not can_open_settings(user):
        raise PermissionDenied


def may_read_identifiers(user) -> bool:
    """The rule every way to a child's identifiers asks first, the coordinators' page
    (``can_read_identifiers``) and an agency's child's details
    (``audits.rounds.permissions.can_see_child_details``) alike: a signed-in, active account that
    is neither an administrator nor a superuser. Administrators and superusers never read
    identifiers, whatever else they hold (an agency membership included)."""
    return user.is_authenticated and user.is_active and not user.is_superuser and not is_administrator(user)


def can_read_identifiers(user) -> bool:
    """Children's restricted identifiers: a coordinator (``view_restricted_identifiers``) who may
    read identifiers at all (``may_read_identifiers``), and, while COORDINATOR_CONFIRMATION_REQUIRED is on,
    whose account another coordinator or an administrator has confirmed after they set up
    two-factor sign-in (``User.identifiers_confirmed``). So whoever can make accounts and give
    roles cannot read identifiers through an account of their own making unseen. The one rule:
    ``audits.rounds.permissions.can_see_identifiers`` asks it."""
    if not may_read_identifiers(user) or not user.has_perm("audits.view_restricted_identifiers"):
        return False
    return user.identifiers_confirmed or not settings.COORDINATOR_CONFIRMATION_REQUIRED


def can_confirm_coordinators(user) -> bool:
    """Who may confirm a new coordinator: administrators, and coordinators who are confirmed
    themselves. Which account, and when, is ``agencies.people.permissions``' rule."""
    return is_administrator(user) or can_read_identifiers(user)


def can_view_access_log(user) -> bool:
    """The access log is not agency data: the Administrator role only (agencies/roles.py), never
    coordinators or agency staff."""
    return user.is_authenticated and user.has_perm("agencies.view_accessevent")


def require_access_log(user) -> None:
    if not can_view_access_log(user):
        raise PermissionDenied


def works_for(user, agency_id) -> bool:
    """Staff (lead or auditor) of the agency with this id."""
    membership = getattr(user, "membership", None)
    return membership is not None and membership.agency_id == agency_id


def is_lead_of(user, agency_id) -> bool:
    """The lead of the agency with this id (``User.is_agency_lead`` says whether of any)."""
    return works_for(user, agency_id) and user.is_agency_lead
