"""The briefing workflow (STYLE.md 2): draft -> waiting for approval -> approved -> published, and
back to a draft ("Make changes", or "Send back" by a board approver). Status changes happen only
here. Who may do each step, and when, is ``briefings.permissions`` (the same predicates the pages
ask); each service checks them on the briefing read again under its lock, in one transaction.
Approval and publication are in the briefing's history and in the access log."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from agencies.access_log import services as access_log
from audits.rounds.services import rounds_briefing_published
from briefings import guard
from briefings.models import Briefing, PublishedVersion
from briefings.permissions import (
    approval_refusal,
    can_review_briefings,
    publish_refusal,
    reopen_refusal,
    submit_refusal,
)
from briefings.rendering import briefing_pdf, stored_name
from briefings.selectors import briefing_content, included_point_ids
from lib.models import locked
from lib.storage import private_storage

Status = Briefing.Status


def _require(refusal: str) -> None:
    """Refuse with the predicate's reason (shown to the user as it is)."""
    if refusal:
        raise ValidationError(refusal, code="refused")


def _locked_for(actor, briefing: Briefing) -> Briefing:
    """The briefing under its lock, for someone who may take part in its workflow at all
    (coordinators and board approvers; anyone else is refused outright)."""
    if not can_review_briefings(actor):
        raise PermissionDenied
    return locked(briefing)


def _refuse_identifiers(actor, briefing: Briefing) -> None:
    """The publication guard: refused while the text holds a restricted identifier of its rounds."""
    matches = guard.check_briefing(user=actor, briefing=briefing, content=briefing_content(briefing))
    if matches:
        raise ValidationError([ValidationError(str(match), code="identifiers") for match in matches])


@transaction.atomic
def briefing_submit(*, actor, briefing: Briefing) -> Briefing:
    """Draft -> waiting for approval ("Send for approval", a coordinator): refused while the text
    holds a restricted identifier. Its text and learning no longer change."""
    briefing = _locked_for(actor, briefing)
    _require(submit_refusal(actor, briefing))
    _refuse_identifiers(actor, briefing)
    briefing.status = Status.AWAITING
    briefing.full_clean()
    briefing.save_by(actor)
    return briefing


@transaction.atomic
def briefing_approve(*, actor, briefing: Briefing, origin: str | None = None) -> Briefing:
    """Waiting for approval (or, with four eyes off, a draft) -> approved, by whoever
    ``permissions.can_approve`` admits (never the author while four eyes are on); refused while
    the text holds a restricted identifier. Logged."""
    briefing = _locked_for(actor, briefing)
    _require(approval_refusal(actor, briefing))
    _refuse_identifiers(actor, briefing)
    briefing.status = Status.APPROVED
    briefing.approved_at = timezone.now()
    briefing.approved_by = actor
    briefing.full_clean()
    briefing.save_by(actor)
    access_log.record(
        access_log.Kind.BRIEFING_APPROVED, origin=origin, user=actor, what=f"Briefing {briefing.pk} approved"
    )
    return briefing


@transaction.atomic
def briefing_reopen(*, actor, briefing: Briefing) -> Briefing:
    """Back to a draft: "Make changes" (a coordinator, from any other state) or "Send back" (a
    board approver, of one waiting for approval). Un-approves; published versions stay."""
    briefing = _locked_for(actor, briefing)
    _require(reopen_refusal(actor, briefing))
    briefing.status = Status.DRAFT
    briefing.approved_at = None
    briefing.approved_by = None
    briefing.full_clean()
    briefing.save_by(actor)
    return briefing


@transaction.atomic
def briefing_publish(*, actor, briefing: Briefing, origin: str | None = None) -> PublishedVersion:
    """Approved -> published (a board approver or a coordinator): render the PDF with its version
    number and date and keep it, with its SHA-256 and the learning it printed, as the next
    version; each of its rounds in the learning stage moves to "Briefing published" in the same
    transaction (``audits.rounds.services.rounds_briefing_published``). Logged."""
    briefing = _locked_for(actor, briefing)
    _require(publish_refusal(actor, briefing))
    _refuse_identifiers(actor, briefing)
    number = (briefing.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    content = briefing_pdf(briefing, version=number, published_on=timezone.localdate())
    name = stored_name(briefing, f"version-{number}")
    private_storage.write(name, content)
    version = PublishedVersion(
        briefing=briefing,
        number=number,
        stored_file=name,
        sha256=hashlib.sha256(content).hexdigest(),
        published_by=actor,
    )
    version.full_clean()
    version.save()
    version.learning_points.set(included_point_ids(briefing))
    briefing.status = Status.PUBLISHED
    briefing.full_clean()
    briefing.save_by(actor)
    rounds_briefing_published(actor=actor, rounds=list(briefing.rounds.all()))
    access_log.record(
        access_log.Kind.BRIEFING_PUBLISHED,
        origin=origin,
        user=actor,
        what=f"Briefing {briefing.pk} version {number} published",
    )
    return version
