"""Who may touch briefings (STYLE.md 4), and when. Every briefings view starts with one of these;
the workflow's services (``briefings.workflow``) ask the same predicates under the briefing's
lock, and the pages show only the buttons they allow.

- Coordinators write every briefing, send it for approval, "Make changes" (back to a draft) and
  publish an approved one.
- Board approvers (``briefings.approve_briefing``) read a briefing once it is sent (waiting for
  approval, approved or published: a draft does not exist for them, 404), approve it, send it
  back or publish it once approved.
- Four eyes (``settings.BRIEFING_FOUR_EYES``, on by default): only a board approver approves, and
  never the briefing's author, whoever they are. Off: a coordinator may approve too, from a
  draft or once sent, their own briefing included.
- Readers of published briefings (``agencies.permissions.can_read_library``: coordinators,
  administrators, board viewers and approvers, agency leads and auditors) open a briefing with a
  published version and download its versions; any other briefing is 404 to them. Anyone else 403.
- Branding is the administrators' (``briefings.manage_branding``).

Each ``*_refusal(user, briefing)`` says why the user may not do it now ("" when they may); the
``can_*`` predicate is its negation."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from agencies.permissions import can_publish_briefings, can_read_library, is_board_approver, is_coordinator
from audits.rounds.permissions import get_round_for_user
from briefings.models import Briefing, PublishedVersion

AUTHOR_MAY_NOT_APPROVE = "You wrote this briefing: another person must approve it."

_STATE = {
    Briefing.Status.DRAFT: "a draft",
    Briefing.Status.AWAITING: "waiting for approval",
    Briefing.Status.APPROVED: "approved",
    Briefing.Status.PUBLISHED: "published",
}


def _state(briefing: Briefing) -> str:
    return _STATE[briefing.status]


def four_eyes() -> bool:
    """The author never approves their own briefing, and only board approvers approve."""
    return settings.BRIEFING_FOUR_EYES


def can_manage_briefings(user) -> bool:
    """Coordinators write briefings."""
    return is_coordinator(user)


def require_briefing_management(user) -> None:
    if not can_manage_briefings(user):
        raise PermissionDenied


def can_read_published(user) -> bool:
    """Published briefings: whoever reads the learning library."""
    return can_read_library(user)


def require_published_access(user) -> None:
    if not can_read_published(user):
        raise PermissionDenied


def require_branding_access(user) -> None:
    if not user.has_perm("briefings.manage_branding"):
        raise PermissionDenied


def can_review_briefings(user) -> bool:
    """Who reads briefings before they are published: coordinators and board approvers."""
    return can_manage_briefings(user) or is_board_approver(user)


def require_briefing_review(user) -> None:
    if not can_review_briefings(user):
        raise PermissionDenied


def can_review(user, briefing: Briefing) -> bool:
    """Read this briefing as it stands (its page, preview and draft PDF): coordinators any;
    board approvers one that has been sent for approval (not a draft)."""
    return can_manage_briefings(user) or (is_board_approver(user) and not briefing.is_draft)


# --- The workflow: draft -> waiting for approval -> approved -> published, and back to draft ---


def submit_refusal(user, briefing: Briefing) -> str:
    """Sending for approval: a coordinator, of a draft."""
    if not can_manage_briefings(user):
        return "Only an audit coordinator can send a briefing for approval."
    if not briefing.is_draft:
        return f"Only a draft can be sent for approval: this briefing is {_state(briefing)}."
    return ""


def can_submit(user, briefing: Briefing) -> bool:
    return not submit_refusal(user, briefing)


def approval_refusal(user, briefing: Briefing) -> str:
    """Approving: a board approver, of a briefing waiting for approval, never its author while
    four eyes are on; with four eyes off, a coordinator too, of a draft as well."""
    coordinator_approves = not four_eyes() and can_manage_briefings(user)
    if not (is_board_approver(user) or coordinator_approves):
        return "Only a board approver can approve a briefing."
    if not (briefing.is_awaiting or (coordinator_approves and briefing.is_draft)):
        allowed = (
            "a draft or a briefing waiting for approval" if coordinator_approves else "a briefing waiting for approval"
        )
        return f"Only {allowed} can be approved: this one is {_state(briefing)}."
    if four_eyes() and briefing.created_by_id == user.pk:
        return AUTHOR_MAY_NOT_APPROVE
    return ""


def can_approve(user, briefing: Briefing) -> bool:
    return not approval_refusal(user, briefing)


def publish_refusal(user, briefing: Briefing) -> str:
    """Publishing: a board approver or a coordinator, of an approved briefing."""
    if not can_publish_briefings(user):
        return "Only a board approver or an audit coordinator can publish a briefing."
    if not briefing.is_approved:
        return f"Only an approved briefing can be published: this one is {_state(briefing)}."
    return ""


def can_publish(user, briefing: Briefing) -> bool:
    return not publish_refusal(user, briefing)


def reopen_refusal(user, briefing: Briefing) -> str:
    """Back to a draft: "Make changes" (a coordinator, of any briefing that is not a draft) or
    "Send back" (a board approver, of one waiting for approval). Published versions stay."""
    if can_manage_briefings(user):
        return "This briefing is already a draft." if briefing.is_draft else ""
    if not is_board_approver(user):
        return "Only an audit coordinator or a board approver can return a briefing to its author."
    if not briefing.is_awaiting:
        return f"Only a briefing waiting for approval can be sent back: this one is {_state(briefing)}."
    return ""


def can_reopen(user, briefing: Briefing) -> bool:
    return not reopen_refusal(user, briefing)


def workflow_actions(user, briefing: Briefing) -> dict:
    """What the user may do next with the briefing, for its pages (templates ask these flags and
    never the status): the four steps, and why approving is refused when it is the next step."""
    actions = {
        "can_submit": can_submit(user, briefing),
        "can_approve": can_approve(user, briefing),
        "can_publish": can_publish(user, briefing),
        "can_reopen": can_reopen(user, briefing),
        "reopen_label": "Make changes" if can_manage_briefings(user) else "Send back",
        "approval_refusal": "",
    }
    # Said only where approving would otherwise be this user's next step.
    refusal = approval_refusal(user, briefing)
    if refusal == AUTHOR_MAY_NOT_APPROVE or (briefing.is_awaiting and can_manage_briefings(user)):
        actions["approval_refusal"] = refusal
    return actions


# --- Which briefings a user may open ---


def _published():
    return Q(Exists(PublishedVersion.objects.filter(briefing=OuterRef("pk"))))


def reviewable_briefings(user):
    """Briefings the user may read as they stand (``can_review``): coordinators all, board
    approvers every one that is not a draft; nobody else any."""
    if can_manage_briefings(user):
        return Briefing.objects.all()
    if is_board_approver(user):
        return Briefing.objects.exclude(status=Briefing.Status.DRAFT)
    return Briefing.objects.none()


def readable_briefings(user):
    """Briefings the user may open: every one they may review, and every one with a published
    version (drafts never published do not exist for readers)."""
    if can_manage_briefings(user):
        return Briefing.objects.all()
    condition = _published()
    if is_board_approver(user):
        condition |= ~Q(status=Briefing.Status.DRAFT)
    return Briefing.objects.filter(condition)


def get_briefing_for_user(user, pk, *, manage: bool = False, review: bool = False) -> Briefing:
    """A briefing to change (``manage``: coordinators only, else 403), to read as it stands
    (``review``: coordinators any, board approvers one that is not a draft, 404 otherwise;
    everyone else 403), or to read (readers of published briefings: 404 for one they may not
    open; 403 for anyone else)."""
    if manage:
        require_briefing_management(user)
        queryset = Briefing.objects.all()
    elif review:
        require_briefing_review(user)
        queryset = reviewable_briefings(user)
    else:
        require_published_access(user)
        queryset = readable_briefings(user)
    return get_object_or_404(queryset.prefetch_related("rounds__area"), pk=pk)


def get_version_for_user(user, pk, number) -> PublishedVersion:
    require_published_access(user)
    return get_object_or_404(PublishedVersion.objects.select_related("briefing"), briefing_id=pk, number=number)


def get_render_for_user(user, pk, render_pk):
    """A made PDF of the briefing as it stood: whoever may review the briefing."""
    briefing = get_briefing_for_user(user, pk, review=True)
    return get_object_or_404(briefing.renders.all(), pk=render_pk)


def get_round_for_briefing(user, pk):
    """A round to write a briefing for: coordinators only (403 for everyone else, agency staff included)."""
    require_briefing_management(user)
    return get_round_for_user(user, pk, manage=True)
