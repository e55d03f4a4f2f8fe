"""Reads about agencies' returns (audit tools and chronologies): who owes what, what is late.

Each function runs a fixed number of queries, whatever the number of cases, agencies or rounds."""

import datetime
import itertools
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone

from agencies.models import Membership
from agencies.permissions import can_view_all_rounds
from agencies.selectors import active_leads
from audits.models import (
    AuditRound,
    AuditTool,
    Case,
    CaseAgency,
    Chronology,
    ChronologyEntry,
    TemplateQuestion,
    TemplateSection,
    ToolAnswer,
    ToolSectionState,
    WorkStatus,
)
from audits.returns.permissions import can_decide, url_kind
from audits.rounds.selectors import participating_agencies, returned_percent

DONE = WorkStatus.handed_in()


def is_overdue(item, today: datetime.date) -> bool:
    """Overdue: the agency still has the work (not submitted or accepted) and its due date has passed."""
    return item.is_outstanding and item.due_date < today


def outstanding(queryset):
    """Returns the agency still owes, in rounds still in progress (not published or closed)."""
    return queryset.exclude(status__in=DONE).exclude(
        case__round__status__in=[AuditRound.Status.PLANNING, AuditRound.Status.PUBLISHED, AuditRound.Status.CLOSED]
    )


@dataclass
class CompletionCell:
    agency: object
    taking_part: bool
    tool: AuditTool | None = None
    chronology: Chronology | None = None


@dataclass
class CompletionRow:
    case: Case
    cells: list[CompletionCell]


@dataclass
class Completion:
    """A round's cases x agencies matrix of returns, with counts per status."""

    agencies: list
    rows: list[CompletionRow]
    counts: list[dict] = field(default_factory=list)
    # Each agency's returns in the round, and how many of them are handed in: {agency id: [n, n]}.
    returns_by_agency: dict = field(default_factory=dict)
    overdue_tools: int = 0
    overdue_chronologies: int = 0

    @property
    def overdue(self) -> int:
        return self.overdue_tools + self.overdue_chronologies


def round_completion(audit_round: AuditRound, *, today: datetime.date) -> Completion:
    """Every case of the round against every agency taking part in any of its cases (four queries).

    Each tool and chronology gets ``overdue`` set for ``today``."""
    cases = list(
        audit_round.cases.order_by("number").prefetch_related(
            Prefetch("case_agencies", queryset=CaseAgency.objects.select_related("agency")),
            Prefetch("tools", queryset=AuditTool.objects.order_by()),
            Prefetch("chronologies", queryset=Chronology.objects.order_by()),
        )
    )
    agencies = participating_agencies(cases)
    tools_by_status = dict.fromkeys(WorkStatus.values, 0)
    chronologies_by_status = dict.fromkeys(WorkStatus.values, 0)
    completion = Completion(agencies=agencies, rows=[])
    for case in cases:
        taking_part = {link.agency_id for link in case.case_agencies.all()}
        tools = {tool.agency_id: tool for tool in case.tools.all()}
        chronologies = {chronology.agency_id: chronology for chronology in case.chronologies.all()}
        for item in [*tools.values(), *chronologies.values()]:
            item.overdue = is_overdue(item, today)
            counts = completion.returns_by_agency.setdefault(item.agency_id, [0, 0])
            counts[0] += 1
            counts[1] += item.status in DONE
        for tool in tools.values():
            tools_by_status[tool.status] += 1
            completion.overdue_tools += tool.overdue
        for chronology in chronologies.values():
            chronologies_by_status[chronology.status] += 1
            completion.overdue_chronologies += chronology.overdue
        cells = [
            CompletionCell(
                agency=agency,
                taking_part=agency.pk in taking_part,
                tool=tools.get(agency.pk),
                chronology=chronologies.get(agency.pk),
            )
            for agency in agencies
        ]
        completion.rows.append(CompletionRow(case=case, cells=cells))
    completion.counts = [
        {
            "status": value,
            "label": label,
            "tools": tools_by_status[value],
            "chronologies": chronologies_by_status[value],
        }
        for value, label in WorkStatus.choices
    ]
    return completion


def agency_returns(completion: Completion, order) -> list:
    """The agencies taking part in the round (the matrix's columns), each with ``returns_total``
    (its audit tools and chronologies in the round), ``returns_handed_in`` (``WorkStatus.handed_in``)
    and ``returned_percent``, counted from the returns the matrix holds already (no query), in
    ``order`` (``AGENCY_RETURNS_COLUMNS``: sorted in Python)."""
    for agency in completion.agencies:
        agency.returns_total, agency.returns_handed_in = completion.returns_by_agency.get(agency.pk, (0, 0))
        agency.returned_percent = returned_percent(agency.returns_handed_in, agency.returns_total)
    return order.sort(sorted(completion.agencies, key=lambda agency: (agency.name, agency.pk)))


@dataclass
class Task:
    """One return an agency owes, as listed on its staff's home page."""

    kind: str
    item: object
    overdue: bool

    @property
    def case(self):
        return self.item.case

    @property
    def round(self):
        return self.item.case.round

    @property
    def ready(self) -> bool:
        """An auditor has marked it ready for the lead (and nobody changed it since)."""
        return self.item.ready_at is not None


def kind_label(item) -> str:
    """What an audit tool or chronology is called in a sentence."""
    return "audit tool" if isinstance(item, AuditTool) else "chronology"


def assigned_to(user, tasks: list[Task]) -> list[Task]:
    """Of an agency's tasks, those its lead gave to ``user``."""
    return [task for task in tasks if task.item.assigned_to_id == user.pk]


def ready_for_lead(tasks: list[Task]) -> list[Task]:
    """Of an agency's tasks, those an auditor has marked ready for the lead to submit."""
    return [task for task in tasks if task.ready]


def assignable_auditors(item) -> list:
    """The active auditors of the agency that owes ``item``, by name: whom its lead may give it to."""
    memberships = Membership.objects.filter(
        agency_id=item.agency_id, role=Membership.Role.AUDITOR, user__is_active=True
    ).select_related("user")
    return sorted((m.user for m in memberships), key=lambda user: (user.full_name, user.email))


def agency_leads(item) -> list:
    """The active leads of the agency that owes ``item``: whom its e-mails go to (one query)."""
    return active_leads([item.agency_id]).get(item.agency_id, [])


@dataclass
class Waiting:
    """One submitted return waiting for the coordinator's review."""

    kind: str
    item: object
    days: int

    @property
    def case(self):
        return self.item.case

    @property
    def round(self):
        return self.item.case.round

    @property
    def url(self) -> str:
        """Its review page."""
        return reverse("audits:return-review", args=[url_kind(self.item), self.item.pk])


def review_queue(user, *, today: datetime.date) -> list[Waiting]:
    """For coordinators: every submitted audit tool and chronology, oldest submission first,
    with the whole days each has waited (two queries)."""
    if not can_decide(user):
        return []
    waiting = []
    for model, kind in ((AuditTool, "Audit tool"), (Chronology, "Chronology")):
        items = model.objects.filter(status=WorkStatus.SUBMITTED).select_related("case__round__area", "agency")
        for item in items:
            submitted = timezone.localdate(item.submitted_at) if item.submitted_at else today
            waiting.append(Waiting(kind=kind, item=item, days=max((today - submitted).days, 0)))
    waiting.sort(key=lambda w: (w.item.submitted_at or timezone.now(), w.kind, w.item.pk))
    return waiting


def agency_tasks(user, *, today: datetime.date) -> list[Task]:
    """For agency staff: their agency's audit tools and chronologies not yet submitted or
    accepted, in rounds in progress, soonest due first (two queries)."""
    agency = user.agency
    if agency is None:
        return []
    related = ("case__round__area", "assigned_to")
    tools = outstanding(AuditTool.objects.filter(agency=agency)).select_related(*related)
    chronologies = outstanding(Chronology.objects.filter(agency=agency)).select_related(*related)
    tasks = [Task(kind="Audit tool", item=tool, overdue=is_overdue(tool, today)) for tool in tools]
    tasks += [Task(kind="Chronology", item=c, overdue=is_overdue(c, today)) for c in chronologies]
    tasks.sort(key=lambda t: (t.item.due_date, t.round.pk, t.case.number, t.kind))
    return tasks


def _overdue_count(model, today: datetime.date):
    """How many of the round's ``model`` returns are overdue, as a subquery of the round."""
    overdue = outstanding(model.objects.filter(case__round=OuterRef("pk"), due_date__lt=today))
    return Coalesce(Subquery(overdue.order_by().values("case__round").annotate(n=Count("pk")).values("n")), 0)


def overdue_by_round(user, *, today: datetime.date) -> list[AuditRound]:
    """For those who see every round: rounds with overdue returns, each with ``overdue_tools``
    and ``overdue_chronologies`` counts (one query, whether any are overdue or none)."""
    if not can_view_all_rounds(user):
        return []
    return list(
        AuditRound.objects.visible_to(user)
        .annotate(
            overdue_tools=_overdue_count(AuditTool, today), overdue_chronologies=_overdue_count(Chronology, today)
        )
        .filter(Q(overdue_tools__gt=0) | Q(overdue_chronologies__gt=0))
        .select_related("area")
        .order_by("launch_date")
    )


INCLUDED_STATUSES = WorkStatus.handed_in()  # what the integrated chronology merges


MARKER_COUNT = 8


def case_chronologies(case: Case) -> list[Chronology]:
    """Every agency's chronology of the case, by agency name, each with ``marker`` (1..8), the
    colour its entries carry on the timeline, and ``included`` (submitted or accepted)."""
    chronologies = list(case.chronologies.select_related("agency").order_by("agency__name"))
    for position, chronology in enumerate(chronologies):
        chronology.marker = position % MARKER_COUNT + 1
        chronology.included = chronology.status in INCLUDED_STATUSES
    return chronologies


def integrated_queryset(chronologies, *, agency_ids=(), event_types=(), key_only=False):
    """The entries of a case's submitted and accepted chronologies (``chronologies``, from
    ``case_chronologies``: selected by their ids, so that PostgreSQL reads the case's entries
    through the index on the chronology rather than joining every entry of every case), merged
    in date order (then time, entries without a time first, then agency name, then pk: a stable
    order for paging), filtered as asked, all in the database."""
    entries = ChronologyEntry.objects.filter(chronology_id__in=[c.pk for c in chronologies if c.included])
    if agency_ids:
        entries = entries.filter(chronology__agency_id__in=agency_ids)
    if event_types:
        entries = entries.filter(event_type__in=event_types)
    if key_only:
        entries = entries.filter(key_event=True)
    return entries.select_related("chronology__agency").order_by(
        "date", F("time").asc(nulls_first=True), "chronology__agency__name", "pk"
    )


def integrated_entries(chronologies, **filters) -> list[ChronologyEntry]:
    """Every entry ``integrated_queryset`` selects (for the downloads), with their markers."""
    return with_markers(list(integrated_queryset(chronologies, **filters)), chronologies)


def with_markers(entries: list[ChronologyEntry], chronologies) -> list[ChronologyEntry]:
    """The entries, each with ``marker`` (its agency's colour on the timeline) and
    ``event_type_label`` (from one dict: ``get_event_type_display`` rebuilds the choices on every
    call)."""
    markers = {chronology.agency_id: chronology.marker for chronology in chronologies}
    labels = dict(ChronologyEntry.EventType.choices)
    for entry in entries:
        entry.marker = markers.get(entry.chronology.agency_id, 1)
        entry.event_type_label = labels.get(entry.event_type, entry.event_type)
    return entries


def by_month(entries: list[ChronologyEntry]) -> list[dict]:
    """Entries (already in date order) grouped by calendar month, for the timeline."""
    return [
        {"month": month, "entries": list(group)}
        for month, group in itertools.groupby(entries, key=lambda entry: entry.date.replace(day=1))
    ]


INTEGRATED_PER_PAGE = 50  # a page renders in a few ms; the month links reach the rest


@dataclass
class Timeline:
    """One page of the integrated chronology: the page (``Page``, its paginator counted from
    ``months``), its entries grouped by month (each group ``continued`` from the page before and
    ``continues`` on the next when a month is split), and every month with its number of entries
    and the page it starts on, for the month links."""

    page: object
    groups: list
    months: list
    total: int


def integrated_timeline(case: Case, chronologies, filters: dict, number, per_page=None) -> Timeline:
    """Page ``number`` of the entries the filters select, each with ``marker`` (its agency's
    colour) and ``event_type_label``, in two queries whatever the number of
    entries: the months (which give the count), and the page's rows with one row either side, to
    tell whether its first and last months carry on from or onto the next page."""
    per_page = per_page or INTEGRATED_PER_PAGE
    entries = integrated_queryset(chronologies, **filters)
    months, total = [], 0
    month_rows = (
        entries.order_by()
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(entries=Count("pk"))
        .order_by("month")
    )
    for row in month_rows:
        months.append({"month": row["month"], "entries": row["entries"], "page": total // per_page + 1})
        total += row["entries"]
    paginator = Paginator([], per_page)
    paginator.count = total  # counted with the months: no second COUNT
    page = paginator.get_page(number)
    start = (page.number - 1) * per_page
    before = 1 if start else 0
    rows = list(entries[start - before : start + per_page + 1])
    previous, rows = (rows[0] if before else None), rows[before:]
    following = rows[per_page] if len(rows) > per_page else None
    rows = rows[:per_page]
    page.object_list = with_markers(rows, chronologies)
    groups = by_month(rows)
    for group in groups:
        group["continued"] = group["continues"] = False
    if groups:
        first, last = groups[0], groups[-1]
        first["continued"] = previous is not None and previous.date.replace(day=1) == first["month"]
        last["continues"] = following is not None and following.date.replace(day=1) == last["month"]
    return Timeline(page=page, groups=groups, months=months, total=total)


def sections_of(tool: AuditTool) -> list[TemplateSection]:
    """The sections of the tool's pinned template version, in order, with their questions."""
    return list(tool.template_version.sections.prefetch_related("questions"))


def answers_by_question(tool: AuditTool) -> dict[int, ToolAnswer]:
    return {answer.question_id: answer for answer in tool.answers.select_related("question")}


def section_states(tool: AuditTool) -> dict[int, ToolSectionState]:
    """The tool's section states by section id (one query)."""
    return {state.section_id: state for state in tool.section_states.all()}


def section_revision(tool: AuditTool, section: TemplateSection) -> int:
    """The revision a section editor starts from (0 before anyone saved the section)."""
    state = ToolSectionState.objects.filter(tool=tool, section=section).first()
    return state.revision if state else 0


@dataclass
class Missing:
    section: TemplateSection
    question: TemplateQuestion


@dataclass
class SectionProgress:
    """One section of a tool and how far its answers have got."""

    section: TemplateSection
    questions: list[TemplateQuestion]
    answers: list[tuple[TemplateQuestion, ToolAnswer | None]]
    answered: list[TemplateQuestion]
    missing: list[TemplateQuestion]

    @property
    def is_complete(self) -> bool:
        """Complete: something is answered and every required question is."""
        return bool(self.answered) and not self.missing

    @property
    def status(self) -> str:
        if not self.answered:
            return "Not yet started"
        return "Completed" if self.is_complete else "In progress"


def tool_progress(tool: AuditTool, answers: dict[int, ToolAnswer] | None = None) -> list[SectionProgress]:
    """Each section of the tool with its answers and the required questions still unanswered."""
    if answers is None:
        answers = answers_by_question(tool)
    rows = []
    for section in sections_of(tool):
        questions = list(section.questions.all())
        answered = [q for q in questions if (a := answers.get(q.pk)) and a.is_answered]
        rows.append(
            SectionProgress(
                section=section,
                questions=questions,
                answers=[(q, answers.get(q.pk)) for q in questions],
                answered=answered,
                missing=[q for q in questions if q.required and q not in answered],
            )
        )
    return rows


def tool_missing_answers(tool: AuditTool) -> list[Missing]:
    """The required questions not yet answered: a tool is submitted only when there are none."""
    return [Missing(section=row.section, question=q) for row in tool_progress(tool) for q in row.missing]
