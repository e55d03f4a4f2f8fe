"""Writes about the learning: the practice themes that tag it, and the learning written for a
round (not on one case's meeting record): strengths, findings, key messages (with reflective
questions, resource links and a call-out line), recommendations and good practice, each citing
any of the round's cases or none (the round as a whole). Each kind keeps its own order, numbered
1..N without gaps, within the round. Every write checks its actor, names it and runs in one
transaction; the round's learning is written once the round has opened and until it closes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from audits.learning.permissions import require_learning_management, require_theme_management
from audits.meetings.selectors import participating_agencies
from audits.models import AuditRound, LearningPoint, PracticeTheme, ReflectiveQuestion, ResourceLink
from lib.models import delete_by, locked

UP, DOWN = "up", "down"


# Practice themes -------------------------------------------------------------------------------


def _check_theme_name(name: str, *, exclude_pk=None) -> str:
    name = " ".join(name.split())
    clash = PracticeTheme.objects.filter(name__iexact=name).exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": f"There is already a practice theme called {clash.first().name}"})
    return name


@transaction.atomic
def theme_create(*, actor, name: str, description: str = "", is_active: bool = True) -> PracticeTheme:
    """Add a theme. Names are unique whatever their capitals, so the list has no near-duplicates."""
    require_theme_management(actor)
    theme = PracticeTheme(name=_check_theme_name(name), description=description.strip(), is_active=is_active)
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def theme_update(*, actor, theme: PracticeTheme, name: str, description: str, is_active: bool) -> PracticeTheme:
    """Change a theme. Learning already tagged keeps the theme, even when it is made inactive."""
    require_theme_management(actor)
    theme.name = _check_theme_name(name, exclude_pk=theme.pk)
    theme.description = description.strip()
    theme.is_active = is_active
    theme.full_clean()
    theme.save()
    return theme


# A round's learning across cases ---------------------------------------------------------------


def _require_writable(audit_round: AuditRound) -> None:
    if not audit_round.is_writable:
        raise ValidationError(
            "This round is closed: its learning can no longer be changed."
            if audit_round.has_opened
            else "The round's learning can be written once the round has opened."
        )


def _writable_round(actor, audit_round: AuditRound) -> AuditRound:
    """The round read again under a lock (one writer at a time per round, so that positions are
    computed from a settled list), refused when the actor may not write its learning or its
    stage does not allow it."""
    require_learning_management(actor)
    audit_round = locked(audit_round)
    _require_writable(audit_round)
    return audit_round


def _check(*, audit_round: AuditRound, kind: str, agencies, evidence_cases, questions=(), links=(), callout="") -> None:
    if kind not in LearningPoint.Kind.values:
        raise ValidationError("Choose a kind of learning from the list.")
    errors = {}
    if any(case.round_id != audit_round.pk for case in evidence_cases):
        errors["evidence_cases"] = "Choose only cases of this round"
    allowed = {agency.pk for agency in participating_agencies(audit_round)}
    if any(agency.pk not in allowed for agency in agencies):
        errors["agencies"] = "Choose only agencies that take part in this round"
    if kind != LearningPoint.Kind.KEY_MESSAGE and (questions or links or callout.strip()):
        errors["__all__"] = "Only key messages have reflective questions, resource links and a call-out line."
    if errors:
        raise ValidationError(errors)


def _save_questions_and_links(point: LearningPoint, questions: list[str], links: list[tuple[str, str]]) -> None:
    point.questions.all().delete()
    point.links.all().delete()
    rows = [
        ReflectiveQuestion(learning_point=point, position=n, text=text.strip()) for n, text in enumerate(questions, 1)
    ]
    for row in rows:
        row.full_clean()
    ReflectiveQuestion.objects.bulk_create(rows)
    link_rows = [
        ResourceLink(learning_point=point, position=n, title=title.strip(), url=url.strip())
        for n, (title, url) in enumerate(links, 1)
    ]
    for row in link_rows:
        row.full_clean()
    ResourceLink.objects.bulk_create(link_rows)


def _next_position(audit_round: AuditRound, kind: str) -> int:
    last = LearningPoint.objects.filter(round=audit_round, case=None, kind=kind).aggregate(last=Max("position"))
    return (last["last"] or 0) + 1


def _create(
    actor,
    audit_round: AuditRound,
    *,
    kind: str,
    position: int,
    heading: str,
    text: str,
    callout: str,
    themes,
    agencies,
    evidence_cases,
) -> LearningPoint:
    point = LearningPoint(
        round=audit_round,
        case=None,
        kind=kind,
        heading=heading.strip(),
        text=text.strip(),
        callout=callout.strip(),
        position=position,
    )
    point.full_clean()
    point.save_by(actor)
    point.themes.set(themes)
    point.agencies.set(agencies)
    point.evidence_cases.set(evidence_cases)
    return point


@transaction.atomic
def round_learning_add(
    *,
    actor,
    audit_round: AuditRound,
    kind: str,
    heading: str = "",
    text: str,
    themes=(),
    agencies=(),
    evidence_cases=(),
    callout: str = "",
    questions: list[str] = (),
    links: list[tuple[str, str]] = (),
) -> LearningPoint:
    """Add a point of any kind to the round, after the others of its kind. It cites the
    ``evidence_cases`` (none: the round as a whole), which must be the round's; the agencies
    must take part in it. Reflective questions, resource links and the call-out line belong to
    key messages only."""
    audit_round = _writable_round(actor, audit_round)
    questions, links = list(questions), list(links)
    _check(
        audit_round=audit_round,
        kind=kind,
        agencies=agencies,
        evidence_cases=evidence_cases,
        questions=questions,
        links=links,
        callout=callout,
    )
    point = _create(
        actor,
        audit_round,
        kind=kind,
        position=_next_position(audit_round, kind),
        heading=heading,
        text=text,
        callout=callout,
        themes=themes,
        agencies=agencies,
        evidence_cases=evidence_cases,
    )
    _save_questions_and_links(point, questions, links)
    return point


@transaction.atomic
def round_learning_add_several(
    *, actor, audit_round: AuditRound, kind: str, texts: list[str], themes=(), agencies=(), evidence_cases=()
) -> list[LearningPoint]:
    """Add several points of one kind to the round, in the order given, after the others of
    their kind; each has one of the ``texts`` and no heading, and all share the themes, agencies
    and cited cases. All are added or none."""
    audit_round = _writable_round(actor, audit_round)
    texts = [text for text in texts if text.strip()]
    if not texts:
        raise ValidationError("Enter at least one point.")
    _check(audit_round=audit_round, kind=kind, agencies=agencies, evidence_cases=evidence_cases)
    first = _next_position(audit_round, kind)
    return [
        _create(
            actor,
            audit_round,
            kind=kind,
            position=first + index,
            heading="",
            text=text,
            callout="",
            themes=themes,
            agencies=agencies,
            evidence_cases=evidence_cases,
        )
        for index, text in enumerate(texts)
    ]


@transaction.atomic
def round_learning_update(
    *,
    actor,
    point: LearningPoint,
    heading: str = "",
    text: str,
    themes=(),
    agencies=(),
    evidence_cases=(),
    callout: str = "",
    questions: list[str] = (),
    links: list[tuple[str, str]] = (),
) -> LearningPoint:
    """Change a point of the round's learning; its questions and links are replaced, in the
    order given. Its place in the list does not change."""
    audit_round = _writable_round(actor, point.round)
    questions, links = list(questions), list(links)
    _check(
        audit_round=audit_round,
        kind=point.kind,
        agencies=agencies,
        evidence_cases=evidence_cases,
        questions=questions,
        links=links,
        callout=callout,
    )
    point.heading, point.text, point.callout = heading.strip(), text.strip(), callout.strip()
    point.full_clean()
    point.save_by(actor)
    point.themes.set(themes)
    point.agencies.set(agencies)
    point.evidence_cases.set(evidence_cases)
    _save_questions_and_links(point, questions, links)
    return point


def _siblings(point: LearningPoint) -> list[LearningPoint]:
    return list(
        LearningPoint.objects.select_for_update()
        .filter(round_id=point.round_id, case=None, kind=point.kind)
        .order_by("position", "pk")
    )


def _renumber(points: list[LearningPoint], actor) -> None:
    """Number the points 1..N in the order given, saving only those that move."""
    for number, point in enumerate(points, 1):
        if point.position != number:
            point.position = number
            point.save_by(actor, update_fields=["position"])


@transaction.atomic
def round_learning_remove(*, actor, point: LearningPoint) -> None:
    """Remove a point of the round's learning and close the gap it leaves; the history keeps
    what it said and who removed it."""
    _writable_round(actor, point.round)
    delete_by(point, actor)
    _renumber(_siblings(point), actor)


@transaction.atomic
def round_learning_move(*, actor, point: LearningPoint, direction: str) -> LearningPoint:
    """Swap a point with the one above or below it. Moving the first up or the last down
    changes nothing; positions stay 1..N whatever state they were in."""
    if direction not in (UP, DOWN):
        raise ValidationError("Move a point up or down.")
    _writable_round(actor, point.round)
    points = _siblings(point)
    index = next(i for i, p in enumerate(points) if p.pk == point.pk)
    other = index - 1 if direction == UP else index + 1
    if 0 <= other < len(points):
        points[index], points[other] = points[other], points[index]
    _renumber(points, actor)
    return next(p for p in points if p.pk == point.pk)
