"""Writes for composing briefings (STYLE.md 2): creating a briefing of one round or several,
its title, introduction and marking, its sections, themes and items in order, making its draft
PDF, and the partnership's logo and contact line. The workflow is in ``briefings.workflow``."""

import uuid
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from audits.models import AuditRound
from briefings import tasks
from briefings.branding import check_logo
from briefings.models import PRESETS, Branding, Briefing, BriefingItem, BriefingRender, BriefingSection, BriefingTheme
from briefings.permissions import require_branding_access, require_briefing_management
from briefings.selectors import briefing_rounds, item_groups, items_with_points, learning_for_briefing, theme_order
from lib.forms import as_id
from lib.models import locked
from lib.storage import private_storage

SectionKind, Grouping = BriefingSection.Kind, BriefingSection.Grouping

Status = Briefing.Status
LOGO_MAX_BYTES = 512 * 1024


def _require_draft(briefing: Briefing) -> None:
    if not briefing.is_draft:
        raise ValidationError(
            "This briefing is waiting for approval, approved or published: choose “Make changes” before changing it."
        )


def _renumber(rows) -> None:
    """Keep positions 1..N in the rows' order."""
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            type(row).objects.filter(pk=row.pk).update(position=position)
            row.position = position


def _check_rounds(rounds) -> list[AuditRound]:
    """One round or several (any areas and periods), each once."""
    rounds = list({r.pk: r for r in rounds}.values())
    if not rounds:
        raise ValidationError("Choose at least one round")
    return rounds


def _add_items(briefing: Briefing, points) -> int:
    start = (briefing.items.aggregate(m=Max("position"))["m"] or 0) + 1
    BriefingItem.objects.bulk_create(
        BriefingItem(briefing=briefing, learning_point=point, position=start + i) for i, point in enumerate(points)
    )
    return len(points)


@transaction.atomic
def briefing_create(
    *,
    actor,
    rounds,
    briefing_format: str,
    title: str,
    introduction: str = "",
    marking: str = Briefing.Marking.OFFICIAL_SENSITIVE,
) -> Briefing:
    """A draft briefing of one round or several: the format's sections (``PRESETS``) and an item
    for every learning point of the rounds, all included, in briefing order."""
    require_briefing_management(actor)
    rounds = _check_rounds(rounds)
    briefing = Briefing(format=briefing_format, title=title, introduction=introduction, marking=marking)
    briefing.full_clean()
    briefing.save_by(actor)
    briefing.rounds.set(rounds)
    BriefingSection.objects.bulk_create(
        BriefingSection(briefing=briefing, kind=kind, grouping=grouping, position=position)
        for position, (kind, grouping) in enumerate(PRESETS[briefing.format], start=1)
    )
    _add_items(briefing, learning_for_briefing(briefing_rounds(briefing)))
    return briefing


@transaction.atomic
def briefing_update(*, actor, briefing: Briefing, title: str, introduction: str, marking: str) -> Briefing:
    """Change a draft's title, introduction and protective marking."""
    require_briefing_management(actor)
    briefing = locked(briefing)
    _require_draft(briefing)
    briefing.title = title
    briefing.introduction = introduction
    briefing.marking = marking
    briefing.full_clean()
    briefing.save_by(actor)
    return briefing


@transaction.atomic
def briefing_refresh_items(*, actor, briefing: Briefing) -> int:
    """Add the rounds' learning recorded since the briefing was made (at the end); returns how many."""
    require_briefing_management(actor)
    briefing = locked(briefing)
    _require_draft(briefing)
    existing = set(briefing.items.values_list("learning_point_id", flat=True))
    added = _add_items(briefing, [p for p in learning_for_briefing(briefing_rounds(briefing)) if p.pk not in existing])
    briefing.save_by(actor)
    return added


def _move(rows: list, row, direction: str) -> None:
    """Swap ``row`` with its neighbour in ``rows`` (in order); the caller renumbers."""
    index = rows.index(row)
    other = index + (-1 if direction == "up" else 1)
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]


def _parse(command: str) -> tuple[str, str, int | None]:
    """ "section-up:5" -> ("section", "up", 5); "" -> ("", "", None)."""
    if not command:
        return "", "", None
    what, _, raw = command.partition(":")
    thing, _, verb = what.partition("-")
    if thing not in ("section", "theme", "item") or verb not in ("up", "down", "remove"):
        raise ValidationError("That is not something the briefing can do")
    if verb == "remove" and thing != "section":
        raise ValidationError("That is not something the briefing can do")
    return thing, verb, as_id(raw)


@transaction.atomic
def briefing_compose(
    *,
    actor,
    briefing: Briefing,
    included_ids,
    groupings: dict[int, str] | None = None,
    command: str = "",
    add_kind: str = "",
) -> Briefing:
    """Save the composer's choices (which items are included, each section's grouping), then do
    one command: add a section (``add_kind``), remove or move a section, move a practice theme,
    or move an item within its group (same section and case or theme)."""
    require_briefing_management(actor)
    briefing = locked(briefing)
    _require_draft(briefing)
    thing, verb, target = _parse(command)
    items = list(briefing.items.order_by("position", "pk"))
    chosen = {int(pk) for pk in included_ids}
    for item in items:
        if item.included != (item.pk in chosen):
            item.included = item.pk in chosen
            item.save(update_fields=["included"])
    sections = list(briefing.sections.order_by("position", "pk"))
    for section in sections:
        grouping = (groupings or {}).get(section.pk)
        if grouping and section.is_learning and grouping != section.grouping:
            if grouping not in Grouping.values:
                raise ValidationError("Choose how to group the section from the list")
            section.grouping = grouping
            section.save(update_fields=["grouping"])
    if add_kind:
        if add_kind not in SectionKind.values:
            raise ValidationError("Choose a section to add from the list")
        if any(section.kind == add_kind for section in sections):
            raise ValidationError("The briefing already has that section")
        grouping = Grouping.BY_CASE if add_kind in (SectionKind.STRENGTH, SectionKind.FINDING) else Grouping.LIST
        sections.append(
            BriefingSection.objects.create(
                briefing=briefing, kind=add_kind, grouping=grouping, position=len(sections) + 1
            )
        )
    if thing == "section":
        section = next((s for s in sections if s.pk == target), None)
        if section is None:
            raise ValidationError("That section is not part of this briefing")
        if verb == "remove":
            section.delete()
            sections.remove(section)
        else:
            _move(sections, section, verb)
        _renumber(sections)
    elif thing == "theme":
        themes = theme_order(briefing, [item.learning_point for item in items_with_points(briefing)])
        theme = next((t for t in themes if t.pk == target), None)
        if theme is None:
            raise ValidationError("That practice theme is not part of this briefing")
        _move(themes, theme, verb)
        BriefingTheme.objects.filter(briefing=briefing).delete()
        BriefingTheme.objects.bulk_create(
            BriefingTheme(briefing=briefing, theme=t, position=position) for position, t in enumerate(themes, start=1)
        )
    elif thing == "item":
        item = next((i for i in items if i.pk == target), None)
        if item is None:
            raise ValidationError("That item is not part of this briefing")
        groups = item_groups(briefing)
        same = [i for i in items if groups[i.pk] == groups[item.pk]]
        index = same.index(item) + (-1 if verb == "up" else 1)
        if 0 <= index < len(same):
            other = same[index]
            a, b = items.index(item), items.index(other)
            items[a], items[b] = items[b], items[a]
        _renumber(items)
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
def branding_set_contact(*, actor, contact_line: str) -> Branding:
    """The partnership's contact line, printed on every briefing."""
    require_branding_access(actor)
    branding, _ = Branding.objects.select_for_update().get_or_create(pk=1)
    branding.contact_line = contact_line
    branding.updated_by = actor
    branding.full_clean()
    branding.save()
    return branding


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
