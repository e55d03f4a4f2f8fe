"""The briefing workflow (STYLE.md 2): draft -> waiting for approval -> approved -> published,
and back to draft ("Make changes"). Status changes happen only here."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from audits.rounds.services import rounds_briefing_published
from briefings import guard
from briefings.models import Briefing, PublishedVersion
from briefings.permissions import require_briefing_management
from briefings.rendering import briefing_pdf, stored_name
from briefings.selectors import briefing_content
from lib.models import locked
from lib.storage import private_storage

Status = Briefing.Status
LOGO_MAX_BYTES = 512 * 1024


def _refuse_identifiers(actor, briefing: Briefing) -> None:
    matches = guard.check_briefing(user=actor, briefing=briefing, content=briefing_content(briefing))
    if matches:
        raise ValidationError([ValidationError(str(match), code="identifiers") for match in matches])


@transaction.atomic
def briefing_approve(*, actor, briefing: Briefing) -> Briefing:
    """Draft -> approved, refused while the text holds a restricted identifier."""
    require_briefing_management(actor)
    briefing = locked(briefing)
    if not briefing.is_draft:
        raise ValidationError("Only a draft briefing can be approved")
    _refuse_identifiers(actor, briefing)
    briefing.status = Status.APPROVED
    briefing.approved_at = timezone.now()
    briefing.approved_by = actor
    briefing.full_clean()
    briefing.save_by(actor)
    return briefing


@transaction.atomic
def briefing_reopen(*, actor, briefing: Briefing) -> Briefing:
    """Approved or published -> draft ("Make changes"): un-approves; published versions stay."""
    require_briefing_management(actor)
    briefing = locked(briefing)
    if briefing.is_draft:
        raise ValidationError("This briefing is already a draft")
    briefing.status = Status.DRAFT
    briefing.approved_at = None
    briefing.approved_by = None
    briefing.full_clean()
    briefing.save_by(actor)
    return briefing


@transaction.atomic
def briefing_publish(*, actor, briefing: Briefing) -> PublishedVersion:
    """Approved -> published: render the PDF and keep it, with its SHA-256, as the next version;
    each of its rounds in the learning stage moves to "Briefing published" in the same transaction
    (``audits.rounds.services.rounds_briefing_published``)."""
    require_briefing_management(actor)
    briefing = locked(briefing)
    if not briefing.is_approved:
        raise ValidationError("Only an approved briefing can be published")
    _refuse_identifiers(actor, briefing)
    content = briefing_pdf(briefing)
    number = (briefing.versions.aggregate(m=Max("number"))["m"] or 0) + 1
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
    briefing.status = Status.PUBLISHED
    briefing.save_by(actor)
    rounds_briefing_published(actor=actor, rounds=list(briefing.rounds.all()))
    return version
