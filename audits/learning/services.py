"""Writes about a round's learning across its cases: key messages (with reflective questions,
resource links and a call-out line), recommendations and good practice. Each kind keeps its own
order, numbered 1..N without gaps, within the round. Every write names its actor and runs in one
transaction; the round's learning is written once the round has opened and until it closes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from audits.meetings.selectors import participating_agencies
from audits.models import AuditRound, LearningPoint, ReflectiveQuestion, ResourceLink

ROUND_KINDS = (LearningPoint.Kind.KEY_MESSAGE, LearningPoint.Kind.RECOMMENDATION, LearningPoint.Kind.GOOD_PRACTICE)
UP, DOWN = "up", "down"


def _require_writable(audit_round: AuditRound) -> None:
    if audit_round.status == AuditRound.Status.PLANNING:
        raise ValidationError("The round's learning can be written once the round has opened.")
    if audit_round.status == AuditRound.Status.CLOSED:
        raise ValidationError("This round is closed: its learning can no longer be changed.")


def _lock_round(audit_round: AuditRound) -> AuditRound:
    # One writer at a time per round, so that positions are computed from a settled list.
    return AuditRound.objects.select_for_update().get(pk=audit_round.pk)


def _check(*, audit_round: AuditRound, kind: str, agencies, evidence_cases, questions, links, callout) -> None:
    if kind not in ROUND_KINDS:
        raise ValidationError("Learning across cases is a key message, a recommendation or good practice.")
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


@transaction.atomic
def round_learning_add(
    *,
    actor,
    audit_round: AuditRound,
    kind: str,
    heading: str,
    text: str,
    themes=(),
    agencies=(),
    evidence_cases=(),
    callout: str = "",
    questions: list[str] = (),
    links: list[tuple[str, str]] = (),
) -> LearningPoint:
    """Add a key message, recommendation or piece of good practice after the others of its kind.
    Reflective questions, resource links and the call-out line belong to key messages only;
    the evidence cases must be the round's and the agencies must take part in it."""
    audit_round = _lock_round(audit_round)
    _require_writable(audit_round)
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
    last = LearningPoint.objects.filter(round=audit_round, case=None, kind=kind).aggregate(last=Max("position"))
    point = LearningPoint(
        round=audit_round,
        case=None,
        kind=kind,
        heading=heading.strip(),
        text=text.strip(),
        callout=callout.strip(),
        position=(last["last"] or 0) + 1,
        created_by=actor,
        updated_by=actor,
    )
    point.full_clean()
    point._history_user = actor
    point.save()
    point.themes.set(themes)
    point.agencies.set(agencies)
    point.evidence_cases.set(evidence_cases)
    _save_questions_and_links(point, questions, links)
    return point


@transaction.atomic
def round_learning_update(
    *,
    actor,
    point: LearningPoint,
    heading: str,
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
    audit_round = _lock_round(point.round)
    _require_writable(audit_round)
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
    point.updated_by = actor
    point.full_clean()
    point._history_user = actor
    point.save()
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
            point.updated_by = actor
            point._history_user = actor
            point.save(update_fields=["position", "updated_by", "updated_at"])


@transaction.atomic
def round_learning_remove(*, actor, point: LearningPoint) -> None:
    """Remove a point of the round's learning and close the gap it leaves; the history keeps
    what it said and who removed it."""
    audit_round = _lock_round(point.round)
    _require_writable(audit_round)
    point._history_user = actor
    point.delete()
    _renumber(_siblings(point), actor)


@transaction.atomic
def round_learning_move(*, actor, point: LearningPoint, direction: str) -> LearningPoint:
    """Swap a point with the one above or below it. Moving the first up or the last down
    changes nothing; positions stay 1..N whatever state they were in."""
    if direction not in (UP, DOWN):
        raise ValidationError("Move a point up or down.")
    audit_round = _lock_round(point.round)
    _require_writable(audit_round)
    points = _siblings(point)
    index = next(i for i, p in enumerate(points) if p.pk == point.pk)
    other = index - 1 if direction == UP else index + 1
    if 0 <= other < len(points):
        points[index], points[other] = points[other], points[index]
    _renumber(points, actor)
    return next(p for p in points if p.pk == point.pk)
