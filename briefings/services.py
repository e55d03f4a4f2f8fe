"""Writes for briefings (STYLE.md 2): creating and editing a briefing and its items, making its
PDF, and the draft -> approved -> published workflow. Status changes happen only here."""

import uuid
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from audits.models import AuditRound
from briefings import tasks
from briefings.branding import check_logo
from briefings.models import Branding, Briefing, BriefingItem, BriefingRender
from briefings.permissions import require_branding_access, require_briefing_management
from briefings.selectors import learning_for_format
from lib.storage import private_storage

Status = Briefing.Status
LOGO_MAX_BYTES = 512 * 1024


def _require_draft(briefing: Briefing) -> None:
    if not briefing.is_draft:
        raise ValidationError("This briefing is approved or published: choose “Make changes” before changing it.")


def _renumber(briefing: Briefing) -> None:
    """Keep positions 1..N in their current order."""
    for position, item in enumerate(briefing.items.order_by("position", "pk"), start=1):
        if item.position != position:
            BriefingItem.objects.filter(pk=item.pk).update(position=position)


def _check_rounds(audit_round: AuditRound, second_round: AuditRound | None) -> list[AuditRound]:
    if second_round is None:
        return [audit_round]
    if second_round.pk == audit_round.pk:
        raise ValidationError({"second_round": "Choose a round of another area, or none"})
    if second_round.period_label != audit_round.period_label or second_round.area_id == audit_round.area_id:
        raise ValidationError({"second_round": "The second round must be of the same period in another area"})
    return [audit_round, second_round]


@transaction.atomic
def briefing_create(
    *,
    actor,
    audit_round: AuditRound,
    briefing_format: str,
    title: str,
    introduction: str = "",
    second_round: AuditRound | None = None,
) -> Briefing:
    """A draft briefing of one round (or two of the same period), its items made from the rounds'
    learning of the kinds the format uses, all included, in briefing order."""
    require_briefing_management(actor)
    rounds = _check_rounds(audit_round, second_round)
    briefing = Briefing(format=briefing_format, title=title, introduction=introduction)
    briefing.full_clean()
    briefing.save_by(actor)
    briefing.rounds.set(rounds)
    BriefingItem.objects.bulk_create(
        BriefingItem(briefing=briefing, learning_point=point, position=position)
        for position, point in enumerate(learning_for_format(rounds, briefing.format), start=1)
    )
    return briefing


@transaction.atomic
def briefing_update(*, actor, briefing: Briefing, title: str, introduction: str) -> Briefing:
    """Change a draft's title and introduction."""
    require_briefing_management(actor)
    _require_draft(briefing)
    briefing.title = title
    briefing.introduction = introduction
    briefing.full_clean()
    briefing.save_by(actor)
    return briefing


@transaction.atomic
def briefing_refresh_items(*, actor, briefing: Briefing) -> int:
    """Add the rounds' learning recorded since the briefing was made (at the end); returns how many."""
    require_briefing_management(actor)
    _require_draft(briefing)
    existing = set(briefing.items.values_list("learning_point_id", flat=True))
    new = [p for p in learning_for_format(list(briefing.rounds.all()), briefing.format) if p.pk not in existing]
    start = (briefing.items.aggregate(m=Max("position"))["m"] or 0) + 1
    BriefingItem.objects.bulk_create(
        BriefingItem(briefing=briefing, learning_point=point, position=start + i) for i, point in enumerate(new)
    )
    briefing.save_by(actor)
    return len(new)


def _group(item: BriefingItem):
    return (item.learning_point.kind, item.learning_point.case_id)


@transaction.atomic
def briefing_items_update(
    *, actor, briefing: Briefing, included_ids, move_id: int | None = None, direction: str = ""
) -> Briefing:
    """Include the chosen items and leave out the others; then, if asked, move one item up or
    down past the next item of its group (same kind and case), keeping positions 1..N."""
    require_briefing_management(actor)
    _require_draft(briefing)
    items = list(briefing.items.select_related("learning_point").order_by("position"))
    chosen = {int(pk) for pk in included_ids}
    for item in items:
        if item.included != (item.pk in chosen):
            item.included = item.pk in chosen
            item.save(update_fields=["included"])
    if move_id is not None:
        if direction not in ("up", "down"):
            raise ValidationError("Choose to move the item up or down")
        try:
            item = next(i for i in items if i.pk == move_id)
        except StopIteration as exc:
            raise ValidationError("That item is not part of this briefing") from exc
        same = [i for i in items if _group(i) == _group(item)]
        index = same.index(item) + (-1 if direction == "up" else 1)
        if 0 <= index < len(same):
            other = same[index]
            item.position, other.position = other.position, item.position
            BriefingItem.objects.filter(pk=item.pk).update(position=item.position)
            BriefingItem.objects.filter(pk=other.pk).update(position=other.position)
    _renumber(briefing)
    briefing.save_by(actor)
    return briefing


@transaction.atomic
def render_request(*, actor, briefing: Briefing) -> BriefingRender:
    """Queue the making of the briefing's PDF; the task runs once this transaction commits."""
    require_briefing_management(actor)
    render = BriefingRender(briefing=briefing, requested_by=actor)
    render.full_clean()
    render.save()
    transaction.on_commit(partial(_enqueue_render, render.pk))
    return render


def _enqueue_render(render_pk: int) -> None:
    result = tasks.render_briefing.enqueue(render_pk)
    BriefingRender.objects.filter(pk=render_pk, task_id="").update(task_id=str(result.id)[:100])


@transaction.atomic
def branding_set_logo(*, actor, content: bytes, content_type: str) -> Branding:
    """Store the partnership's logo (already checked by the form) in private storage."""
    require_branding_access(actor)
    content_type = check_logo(content, content_type)
    branding, _ = Branding.objects.select_for_update().get_or_create(pk=1)
    old = branding.logo_file
    extension = "svg" if content_type == "image/svg+xml" else "png"
    branding.logo_file = f"branding/logo-{uuid.uuid4().hex}.{extension}"
    branding.logo_content_type = content_type
    branding.updated_by = actor
    branding.full_clean()
    private_storage.write(branding.logo_file, content)
    branding.save()
    if old:
        transaction.on_commit(partial(private_storage.delete, old))
    return branding
