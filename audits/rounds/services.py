"""Writes to the audit programme. Every change names its actor and runs in one transaction."""

import datetime
import secrets
import uuid
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from agencies.access_log import services as access_log
from agencies.models import Agency, Area
from agencies.permissions import can_publish_briefings
from audits.models import AuditRound, Case, CaseAgency, CaseDraw, Need, ToolTemplate
from audits.returns import lifecycle as returns
from audits.rounds import candidates as candidate_lists
from audits.rounds import tasks
from audits.rounds.identifiers import identifiers_save
from audits.rounds.permissions import require_identifier_access, require_round_management
from audits.rounds.selectors import draw_candidates, moves_on_publication, needs_lookup, round_outstanding
from lib.models import delete_by, locked, save_history_by
from lib.storage import private_storage

CASES_CLOSED_MESSAGE = "Cases can only be added while the round is being planned or is open."


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def period_label_for(launch: datetime.date) -> str:
    """Partnerships count in financial years (April to March), two rounds a year."""
    start_year = launch.year if launch.month >= 4 else launch.year - 1
    number = 1 if 4 <= launch.month <= 9 else 2
    return f"{start_year}/{str(start_year + 1)[-2:]} round {number}"


def round_proposal(*, area: Area, today: datetime.date) -> dict:
    """Propose the next round for an area: launch six months after the area's last launch (or
    today, for a first round, or if that date has already passed), on a weekday, with milestones
    from the milestone plan (ROUND_MILESTONE_OFFSETS)."""
    last = AuditRound.objects.filter(area=area).order_by("-launch_date").first()
    launch = today
    if last is not None:
        launch = max(_add_months(last.launch_date, settings.ROUND_INTERVAL_MONTHS), today)
    # Rounds launch on a working day: a Saturday or Sunday moves to the Monday.
    if launch.weekday() >= 5:
        launch += datetime.timedelta(days=7 - launch.weekday())
    offsets = settings.ROUND_MILESTONE_OFFSETS
    period = period_label_for(launch)
    return {
        "area": area,
        "theme": last.theme if last else "",
        "tool_template": (last.tool_template if last else None) or ToolTemplate.objects.filter(is_default=True).first(),
        "title": f"{area.name} multi-agency case audit",
        "period_label": period,
        "launch_date": launch,
        "tools_due_date": launch + datetime.timedelta(days=offsets["tools_due"]),
        "meeting_date": launch + datetime.timedelta(days=offsets["meeting"]),
        "learning_due_date": launch + datetime.timedelta(days=offsets["learning_due"]),
        "briefing_due_date": launch + datetime.timedelta(days=offsets["briefing_due"]),
    }


ROUND_FIELDS = [
    "tool_template",
    "title",
    "theme",
    "period_label",
    "launch_date",
    "tools_due_date",
    "meeting_date",
    "learning_due_date",
    "briefing_due_date",
]


@transaction.atomic
def round_create(*, actor, area: Area, **fields) -> AuditRound:
    """Plan a round (coordinators). It starts in planning; milestones must be in order."""
    require_round_management(actor)
    audit_round = AuditRound(area=area, **{f: fields[f] for f in ROUND_FIELDS if f in fields})
    audit_round.full_clean()
    audit_round.save_by(actor)
    return audit_round


@transaction.atomic
def round_update(*, actor, audit_round: AuditRound, **fields) -> AuditRound:
    """Change a round's details and dates; a closed round is history and does not change."""
    require_round_management(actor)
    audit_round = locked(audit_round)
    if not audit_round.is_changeable:
        raise ValidationError("This round is closed and can no longer be changed.")
    if "tool_template" in fields and audit_round.has_opened:
        raise ValidationError({"tool_template": "The round has opened: its audit tool template is fixed."})
    old_due = audit_round.tools_due_date
    for name in ROUND_FIELDS:
        if name in fields:
            setattr(audit_round, name, fields[name])
    audit_round.full_clean()
    audit_round.save_by(actor)
    if audit_round.tools_due_date != old_due:
        returns.move_due_date(actor=actor, audit_round=audit_round)
    return audit_round


# Which stage may follow which. Publishing a briefing of the round moves it from learning to
# published (``rounds_briefing_published``); without one, a coordinator records it here.
ROUND_TRANSITIONS = {
    AuditRound.Status.PLANNING: AuditRound.Status.OPEN,
    AuditRound.Status.OPEN: AuditRound.Status.MEETING,
    AuditRound.Status.MEETING: AuditRound.Status.LEARNING,
    AuditRound.Status.LEARNING: AuditRound.Status.PUBLISHED,
    AuditRound.Status.PUBLISHED: AuditRound.Status.CLOSED,
}


def round_open_problems(audit_round: AuditRound, cases=None) -> list[str]:
    """What stops a round opening: it needs cases, and every case needs an agency. ``cases``:
    the round's cases already fetched with ``case_agencies`` (they are read otherwise)."""
    if cases is None:
        cases = list(audit_round.cases.prefetch_related("case_agencies"))
    if not cases:
        return ["Add at least one case before opening the round."]
    return [f"Choose the agencies taking part in {case}." for case in cases if not case.case_agencies.all()]


NOT_READY_MESSAGE = "This stage still has work outstanding: choose “Move on anyway” to move the round on regardless."


@transaction.atomic
def round_advance(*, actor, audit_round: AuditRound, from_status: str, require_ready: bool = False) -> AuditRound:
    """Move a round to its next stage. ``from_status`` is the stage the actor saw, so that two
    coordinators pressing the button at once move it only one stage. With ``require_ready``
    (the page's first "Yes", before the coordinator chose "Move on anyway"), a stage with work
    outstanding (``selectors.round_outstanding``) is not left."""
    require_round_management(actor)
    audit_round = locked(audit_round)
    if audit_round.status != from_status or audit_round.status not in ROUND_TRANSITIONS:
        raise ValidationError("The round has already moved on: check its stage and try again.")
    opening = not audit_round.has_opened
    if opening:
        problems = round_open_problems(audit_round)
        if problems:
            raise ValidationError(problems)
    if require_ready and round_outstanding(audit_round):
        raise ValidationError(NOT_READY_MESSAGE, code="not_ready")
    if opening:
        returns.pin_template_version(audit_round)
    audit_round.status = ROUND_TRANSITIONS[audit_round.status]
    if audit_round.is_closed:
        audit_round.closed_at = timezone.now()  # retention counts from here
    audit_round.save_by(actor)
    if opening:
        for case in audit_round.cases.all():
            returns.returns_create_for_case(actor=actor, case=case)
        transaction.on_commit(partial(tasks.send_round_invitations.enqueue, audit_round.pk))
    return audit_round


@transaction.atomic
def rounds_briefing_published(*, actor, rounds) -> list[AuditRound]:
    """A briefing of these rounds was published (``briefings.workflow.briefing_publish``, in its
    transaction): each round in the learning stage moves to "Briefing published"; a round in
    another stage stays where it is (``selectors.moves_on_publication``). Returns the rounds moved.
    Whoever may publish a briefing (a coordinator or a board approver) moves its rounds on."""
    if not can_publish_briefings(actor):
        raise PermissionDenied
    moved = []
    for audit_round in sorted(rounds, key=lambda r: r.pk):  # one order of locks, always
        audit_round = locked(audit_round)
        if moves_on_publication(audit_round):
            audit_round.status = ROUND_TRANSITIONS[audit_round.status]
            audit_round.save_by(actor)
            moved.append(audit_round)
    return moved


def _next_case_number(audit_round: AuditRound) -> int:
    # The caller holds a lock on the round row, so two additions cannot take the same number.
    return (audit_round.cases.aggregate(top=Max("number"))["top"] or 0) + 1


@transaction.atomic
def case_create(
    *,
    actor,
    audit_round: AuditRound,
    summary: str,
    age_band: str,
    plan_type: str,
    needs,
    child_name: str = "",
    date_of_birth=None,
    record_numbers: str = "",
    candidate_reference: str = "",
    draw: CaseDraw | None = None,
    origin: str | None = None,
) -> Case:
    """Add a case to a round with the next number, and its restricted identifiers (``origin``,
    the client's address, goes to the access log with them)."""
    require_round_management(actor)
    audit_round = locked(audit_round)
    if not audit_round.accepts_cases:
        raise ValidationError(CASES_CLOSED_MESSAGE)
    case = Case(
        round=audit_round,
        number=_next_case_number(audit_round),
        summary=summary,
        age_band=age_band,
        plan_type=plan_type,
        draw=draw,
    )
    case.full_clean()
    case.save_by(actor)
    case.needs.set(needs)
    if child_name or date_of_birth or record_numbers or candidate_reference:
        identifiers_save(
            actor=actor,
            case=case,
            child_name=child_name,
            date_of_birth=date_of_birth,
            record_numbers=record_numbers,
            candidate_reference=candidate_reference,
            origin=origin,
        )
    return case


@transaction.atomic
def case_update(*, actor, case: Case, summary: str, age_band: str, plan_type: str, needs) -> Case:
    """Change a case's summary, age band, plan type and needs, until its round closes."""
    require_round_management(actor)
    # The round first, always: it is the lock every change to a round's cases takes.
    audit_round = locked(case.round)
    case = locked(case)
    if not audit_round.is_changeable:
        raise ValidationError("This round is closed and its cases can no longer be changed.")
    case.summary = summary
    case.age_band = age_band
    case.plan_type = plan_type
    case.full_clean()
    case.save_by(actor)
    case.needs.set(needs)
    return case


@transaction.atomic
def case_set_agencies(*, actor, case: Case, agencies) -> Case:
    """Choose the agencies taking part in a case. Once the round is open, agencies owe work, so
    they can be added but not taken away."""
    require_round_management(actor)
    audit_round = locked(case.round)
    case = locked(case)
    if not audit_round.accepts_cases:
        raise ValidationError("Agencies can only be changed while the round is being planned or is open.")
    wanted = {agency.pk for agency in agencies}
    current = set(case.case_agencies.values_list("agency_id", flat=True))
    removed = current - wanted
    if removed and audit_round.has_opened:
        names = ", ".join(Agency.objects.filter(pk__in=removed).values_list("name", flat=True))
        raise ValidationError(f"The round is open, so agencies cannot be taken off a case: {names}.")
    inactive = Agency.objects.filter(pk__in=wanted - current, is_active=False)
    if inactive.exists():
        raise ValidationError("Inactive agencies cannot be added to a case.")
    for link in CaseAgency.objects.filter(case=case, agency_id__in=removed):
        delete_by(link, actor)
    for agency_id in sorted(wanted - current):
        link = CaseAgency(case=case, agency_id=agency_id, added_by=actor)
        save_history_by(link, actor)
        link.save()
    case.save_by(actor, update_fields=["updated_at"])
    if audit_round.has_opened:  # open (it accepts agencies): the new agencies owe their returns
        returns.returns_create_for_case(actor=actor, case=case)
    return case


def read_candidate_file(*, audit_round: AuditRound, data: bytes, file_name: str):
    return candidate_lists.parse_candidates(
        data, file_name, launch_date=audit_round.launch_date, needs_by_key=needs_lookup()
    )


@transaction.atomic
def draw_preview(
    *,
    actor,
    audit_round: AuditRound,
    data: bytes,
    file_name: str,
    number_of_cases: int,
    strata: list[str],
    seed: int | None,
    origin: str | None = None,
) -> CaseDraw:
    """Read a candidate list and record a proposed draw for the coordinator to confirm; the
    upload (it names children) is recorded in the access log, from ``origin``.

    A file with any bad row raises ValidationError and stores nothing."""
    require_round_management(actor)
    require_identifier_access(actor)  # the list uploaded names children
    audit_round = locked(audit_round)
    if not audit_round.accepts_cases:
        raise ValidationError(CASES_CLOSED_MESSAGE)
    if number_of_cases < 1:
        raise ValidationError("Choose at least one case.")
    candidates = read_candidate_file(audit_round=audit_round, data=data, file_name=file_name)
    if number_of_cases > len(candidates):
        raise ValidationError(f"The list has {len(candidates)} candidates: choose {len(candidates)} cases or fewer.")
    if seed is None:
        seed = secrets.randbelow(10**9)
    chosen = candidate_lists.draw(candidates, number=number_of_cases, strata=strata, seed=seed)
    draw = CaseDraw(
        round=audit_round,
        file_name=file_name[:255],
        file_sha256=candidate_lists.file_sha256(data),
        stored_file=f"candidate-lists/{uuid.uuid4().hex}",
        candidate_count=len(candidates),
        seed=seed,
        number_of_cases=number_of_cases,
        strata=list(strata),
        selected_references=[c.reference for c in chosen],
    )
    draw.full_clean()
    # Earlier previews of this round are superseded.
    for old in audit_round.draws.filter(status=CaseDraw.Status.PREVIEW):
        # The file goes only once the new preview is committed, so a failure keeps the old one whole.
        transaction.on_commit(partial(private_storage.delete, old.stored_file))
        old.delete()
    draw.save_by(actor)
    access_log.record(
        access_log.Kind.IDENTIFIERS_CHANGED,
        origin=origin,
        user=actor,
        what=f"Candidate list of round {audit_round.pk} draw {draw.pk} uploaded",
    )
    # Written last: if writing fails, the transaction rolls back and nothing is kept.
    private_storage.write(draw.stored_file, data)
    return draw


@transaction.atomic
def draw_confirm(*, actor, draw: CaseDraw, origin: str | None = None) -> list[Case]:
    """Turn a previewed draw into cases (numbered after any existing ones), all or nothing."""
    require_round_management(actor)
    require_identifier_access(actor)
    # The round first, as every change to a round's cases does, so two draws cannot deadlock.
    audit_round = locked(draw.round)
    draw = locked(draw)
    if not draw.is_preview:
        raise ValidationError("These cases have already been added to the round.")
    if not draw.stored_file:
        raise ValidationError("This draw's candidate list was destroyed under the retention policy.")
    needs = {need.slug: need for need in Need.objects.all()}
    cases = []
    for candidate in draw_candidates(draw):
        cases.append(
            case_create(
                actor=actor,
                audit_round=audit_round,
                summary="",
                age_band=candidate.age_band,
                plan_type=candidate.plan_type,
                needs=[needs[slug] for slug in candidate.needs],
                child_name=candidate.child_name,
                date_of_birth=candidate.date_of_birth,
                record_numbers=candidate.record_numbers,
                candidate_reference=candidate.reference,
                draw=draw,
                origin=origin,
            )
        )
    draw.status = CaseDraw.Status.CONFIRMED
    draw.save_by(actor, update_fields=["status"])
    return cases
