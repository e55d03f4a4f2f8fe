"""Reads of the audit programme that depend on who is asking."""

from dataclasses import dataclass, field

from django.db.models import Case as CaseWhen
from django.db.models import Count, IntegerField, Prefetch, Q, Value, When
from django.urls import reverse

from agencies.models import Agency
from agencies.selectors import active_leads, agencies_without_lead
from audits.models import (
    AuditRound,
    AuditTool,
    Case,
    CaseAgency,
    CaseDraw,
    Chronology,
    LearningPoint,
    Need,
    WorkStatus,
)
from audits.rounds import candidates as candidate_lists
from lib.sorting import DESCENDING, Column
from lib.storage import private_storage


def _returns_by_round(model, user, round_ids) -> dict:
    """How many of each round's returns of ``model`` (audit tools or chronologies) the user may
    see (``ReturnQuerySet.visible_to``), and how many of them are handed in: {round: (total,
    handed in)}, one grouped query."""
    rows = (
        model.objects.visible_to(user)
        .filter(case__round__in=round_ids)
        .order_by()
        .values("case__round")
        .annotate(total=Count("pk"), handed_in=Count("pk", filter=Q(status__in=WorkStatus.handed_in())))
    )
    return {row["case__round"]: (row["total"], row["handed_in"]) for row in rows}


# The stages in the order a round goes through them (``AuditRound.Status``), for sorting by stage.
STAGE_ORDER = CaseWhen(
    *(When(status=value, then=Value(index)) for index, value in enumerate(AuditRound.Status.values)),
    output_field=IntegerField(),
)

# The round list's sortable columns (lib/sorting.py); the list's default is its order before it
# could be sorted, the newest launch first.
ROUND_TIES = ("-launch_date", "area__name", "pk")
ROUND_LIST_COLUMNS = (
    Column("title", "Round", "title", then=ROUND_TIES),
    Column("area", "Area", "area__name", then=("-launch_date", "pk")),
    Column("launched", "Launched", "launch_date", then=("area__name", "pk"), first=DESCENDING),
    Column("status", "Stage", STAGE_ORDER, then=ROUND_TIES),
    Column("cases", "Cases", "case_count", then=ROUND_TIES, numeric=True, in_python=True),
    Column("returned", "Returned", "returned_percent", then=ROUND_TIES, numeric=True, in_python=True),
)
ROUND_LIST_DEFAULT = ("launched", DESCENDING)


def rounds_for_list(user, *, area=None, year=None, status=None, order=None) -> list[AuditRound]:
    """Rounds the user may see, filtered and in ``order`` (lib/sorting.py), each with its case
    count and its returns: four queries whatever the number of rounds.

    ``case_count`` counts the round's cases the user may see (agency staff: those their agency is
    part of), ``returns_total`` its audit tools and chronologies the user may see (agency staff:
    their agency's), ``returns_handed_in`` those handed in (``WorkStatus.handed_in``: submitted or
    accepted) and ``returned_percent`` the share handed in (``returned_percent``). The counts are
    grouped queries over the rounds listed, added after: as subqueries of the round query they
    ran once a round and a count (hundreds of milliseconds at ten years' data)."""
    rounds = AuditRound.objects.visible_to(user).select_related("area")
    if area:
        rounds = rounds.filter(area=area)
    if year:
        rounds = rounds.filter(launch_date__year=year)
    if status:
        rounds = rounds.filter(status=status)
    rounds = list(rounds.order_by(*order.order_by()) if order else rounds)
    ids = [r.pk for r in rounds]
    cases = Case.objects.visible_to(user).filter(round__in=ids)  # agency staff: their agency's
    case_counts = dict(cases.order_by().values("round").annotate(n=Count("pk")).values_list("round", "n"))
    tools, chronologies = (_returns_by_round(model, user, ids) for model in (AuditTool, Chronology))
    for r in rounds:
        r.case_count = case_counts.get(r.pk, 0)
        counts = [tools.get(r.pk, (0, 0)), chronologies.get(r.pk, (0, 0))]
        r.returns_total = sum(total for total, _ in counts)
        r.returns_handed_in = sum(handed_in for _, handed_in in counts)
        r.returned_percent = returned_percent(r.returns_handed_in, r.returns_total)
    return order.sort(rounds) if order else rounds


def returned_percent(handed_in: int, total: int) -> int | None:
    """The share of returns handed in (``WorkStatus.handed_in``), rounded down so that 100% means
    every one, None when there are none: the one rule the round list, the completion matrix and
    the round's task list show."""
    return handed_in * 100 // total if total else None


# The completion matrix's agency summary (``audits.returns.selectors.agency_returns``): sortable
# columns (lib/sorting.py), sorted in Python over the counts the matrix holds.
AGENCY_RETURNS_COLUMNS = (
    Column("agency", "Agency", "name", then=("pk",), in_python=True),
    Column(
        "handed_in",
        "Handed in",
        "returns_handed_in",
        then=("name", "pk"),
        numeric=True,
        first=DESCENDING,
        in_python=True,
    ),
    Column("total", "Returns", "returns_total", then=("name", "pk"), numeric=True, first=DESCENDING, in_python=True),
    Column("returned", "Returned", "returned_percent", then=("name", "pk"), numeric=True, in_python=True),
)
AGENCY_RETURNS_DEFAULT = ("agency", "asc")


def round_years(user) -> list[int]:
    return sorted({d.year for d in AuditRound.objects.visible_to(user).dates("launch_date", "year")}, reverse=True)


def cases_for_round(user, audit_round):
    """The round's cases the user may see, with their agencies and needs prefetched."""
    return (
        Case.objects.visible_to(user)
        .filter(round=audit_round)
        .prefetch_related(
            Prefetch("case_agencies", queryset=CaseAgency.objects.select_related("agency")),
            "needs",
        )
    )


def participating_agencies(cases) -> list:
    """The distinct agencies across already-fetched cases, by name."""
    agencies = {link.agency.pk: link.agency for case in cases for link in case.case_agencies.all()}
    return sorted(agencies.values(), key=lambda agency: agency.name)


def agency_rounds(user):
    """For agency staff: rounds in progress where their agency takes part, with its cases."""
    agency = user.agency
    if agency is None:
        return []
    cases = Case.objects.filter(case_agencies__agency=agency).order_by("number")
    return list(
        AuditRound.objects.visible_to(user)
        .in_progress()
        .select_related("area")
        .prefetch_related(Prefetch("cases", queryset=cases, to_attr="agency_cases"))
        .order_by("launch_date")
    )


def coordinator_rounds(user):
    return list(
        AuditRound.objects.visible_to(user)
        .in_progress()
        .select_related("area")
        .annotate(
            case_count=Count("cases", distinct=True),
            cases_without_agencies=Count("cases", filter=Q(cases__case_agencies__isnull=True), distinct=True),
        )
        .order_by("launch_date")
    )


def confirmed_draws(audit_round) -> list[CaseDraw]:
    """The draws that chose a round's cases, newest first: the record of how they were chosen."""
    return list(audit_round.draws.filter(status=CaseDraw.Status.CONFIRMED))


def needs_lookup() -> dict:
    """Each need by its normalised name and slug, to its slug: how a candidate list names needs."""
    lookup = {}
    for need in Need.objects.all():
        lookup[candidate_lists.normalise_header(need.name)] = need.slug
        lookup[candidate_lists.normalise_header(need.slug)] = need.slug
    return lookup


def draw_candidates(draw: CaseDraw) -> list:
    """The candidates a draw selected, read again from its stored file, in draw order."""
    data = private_storage.read_bytes(draw.stored_file)
    candidates = candidate_lists.parse_candidates(
        data, draw.file_name, launch_date=draw.round.launch_date, needs_by_key=needs_lookup()
    )
    by_reference = {c.reference: c for c in candidates}
    return [by_reference[reference] for reference in draw.selected_references]


def case_returns_for_user(user, case) -> list[dict]:
    """Per agency of a case, its audit tool and chronology: all agencies for coordinators and
    administrators, only their own for agency staff."""
    tools = AuditTool.objects.visible_to(user).filter(case=case).select_related("agency")
    chronologies = Chronology.objects.visible_to(user).filter(case=case).select_related("agency")
    by_agency: dict[int, dict] = {}
    for tool in tools:
        by_agency.setdefault(tool.agency_id, {"agency": tool.agency})["tool"] = tool
    for chronology in chronologies:
        by_agency.setdefault(chronology.agency_id, {"agency": chronology.agency})["chronology"] = chronology
    return sorted(by_agency.values(), key=lambda row: row["agency"].name)


# Agencies' leads ------------------------------------------------------------------------------


def agencies_without_lead_among(agencies) -> set[int]:
    """The ids of those of these (already fetched) agencies that have no active lead: flagged
    wherever a coordinator chooses or relies on agencies (``agencies.selectors.agencies_without_lead``)."""
    return agencies_without_lead({agency.pk for agency in agencies})


@dataclass
class AgencyInvitation:
    """One taking-part agency's round invitation: its cases, and the leads it goes to."""

    agency: Agency
    cases: list = field(default_factory=list)
    leads: list = field(default_factory=list)

    @property
    def sent(self) -> bool:
        return bool(self.leads)

    @property
    def reason(self) -> str:
        """Why it is not sent (empty when it is)."""
        return "" if self.leads else "the agency has no active agency lead to send it to"


def round_invitations(audit_round: AuditRound) -> list[AgencyInvitation]:
    """Who the round invitation goes to, agency by agency (by name): the opening confirmation
    shows it, ``emails.send_round_invitations`` sends it. Two queries."""
    links = CaseAgency.objects.filter(case__round=audit_round).select_related("case", "agency").order_by("case__number")
    invitations: dict[int, AgencyInvitation] = {}
    for link in links:
        invitations.setdefault(link.agency_id, AgencyInvitation(agency=link.agency)).cases.append(link.case)
    leads = active_leads(invitations)
    for agency_id, invitation in invitations.items():
        invitation.leads = leads.get(agency_id, [])
    return sorted(invitations.values(), key=lambda invitation: invitation.agency.name)


# Stage readiness ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outstanding:
    """One thing the stage a round is leaving has not finished, with where to see it."""

    text: str
    url: str = ""


def _outstanding_returns(audit_round: AuditRound) -> list[Outstanding]:
    rows = []
    for model, label in ((AuditTool, "audit tool"), (Chronology, "chronology")):
        items = (
            model.objects.filter(case__round=audit_round)
            .exclude(status=WorkStatus.ACCEPTED)
            .select_related("case", "agency")
        )
        for item in items:
            if item.status == WorkStatus.SUBMITTED:
                state = "submitted, not yet accepted"
            else:
                state = f"not submitted ({item.get_status_display().lower()})"
            rows.append(
                (
                    (item.case.number, item.agency.name, label),
                    Outstanding(f"{item.case}, {item.agency.name}: {label} {state}", item.get_absolute_url()),
                )
            )
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def has_meeting_record(case: Case) -> bool:
    """The meeting recorded something about the case: discussion notes or an agreed grade."""
    discussion = getattr(case, "discussion", None)
    return discussion is not None and bool(discussion.notes.strip() or discussion.agreed_grade)


def _outstanding_meeting(audit_round: AuditRound) -> list[Outstanding]:
    cases = audit_round.cases.order_by("number").select_related("discussion")
    missing = []
    for case in cases:
        if not has_meeting_record(case):
            missing.append(Outstanding(f"{case}: no meeting record (no discussion notes or agreed grade)"))
    return missing


def has_round_learning(audit_round: AuditRound) -> bool:
    """Learning across the round's cases is drafted (key messages, recommendations, ...)."""
    return LearningPoint.objects.filter(round=audit_round, case=None).exists()


def _outstanding_learning(audit_round: AuditRound) -> list[Outstanding]:
    if has_round_learning(audit_round):
        return []
    return [
        Outstanding(
            "No learning for the round drafted yet (key messages, recommendations, good practice, or strengths "
            "and findings across the round)",
            reverse("audits:round-learning", args=[audit_round.pk]),
        )
    ]


_OUTSTANDING = {
    AuditRound.Status.OPEN: _outstanding_returns,
    AuditRound.Status.MEETING: _outstanding_meeting,
    AuditRound.Status.LEARNING: _outstanding_learning,
}


def round_outstanding(audit_round: AuditRound) -> list[Outstanding]:
    """What the stage the round is in (and would leave by moving on) has not finished: open,
    the audit tools and chronologies not yet accepted; meeting, the cases without a meeting
    record; learning, no learning across cases. The one list the confirmation page shows and
    ``services.round_advance`` checks. A fixed number of queries."""
    reader = _OUTSTANDING.get(audit_round.status)
    return reader(audit_round) if reader else []


def moves_on_publication(audit_round: AuditRound) -> bool:
    """Publishing a briefing of the round moves it to "Briefing published": only from the
    learning stage (before it the round's work is not finished; after it, it has moved already)."""
    return audit_round.status == AuditRound.Status.LEARNING


# The round's task list -------------------------------------------------------------------------


class TaskStatus:
    """A task's status on the round's task list (the GOV.UK task list's statuses), with its tag."""

    COMPLETED = ("Completed", "")
    IN_PROGRESS = ("In progress", "govuk-tag--light-blue")
    NOT_STARTED = ("Not yet started", "govuk-tag--blue")
    CANNOT_START = ("Cannot start yet", "")


@dataclass
class RoundTask:
    """One task of a round's stage: its name, its status, where to do it (empty when the user
    may not, or it cannot start yet) and a hint (progress, what it waits for)."""

    name: str
    status: tuple
    url: str = ""
    hint: str = ""

    @property
    def label(self) -> str:
        return self.status[0]

    @property
    def tag(self) -> str:
        return self.status[1]

    @property
    def is_completed(self) -> bool:
        return self.status == TaskStatus.COMPLETED

    @property
    def cannot_start(self) -> bool:
        return self.status == TaskStatus.CANNOT_START

    @property
    def is_next(self) -> bool:
        """Something to do now: started or ready to start."""
        return not (self.is_completed or self.cannot_start)


@dataclass
class RoundStage:
    title: str
    tasks: list


@dataclass
class RoundTaskList:
    stages: list

    @property
    def next_task(self) -> RoundTask | None:
        """The first task to do now, in the round's order (None when nothing is left)."""
        return next((task for stage in self.stages for task in stage.tasks if task.is_next), None)

    @property
    def all_completed(self) -> bool:
        return all(task.is_completed for stage in self.stages for task in stage.tasks)


def _progress(done: int, total: int, *, none_started=TaskStatus.NOT_STARTED) -> tuple:
    if total and done >= total:
        return TaskStatus.COMPLETED
    return TaskStatus.IN_PROGRESS if done else none_started


def _returns_counts(audit_round: AuditRound) -> dict:
    """The round's audit tools and chronologies: how many, handed in, accepted (two queries)."""
    counts = {"total": 0, "handed_in": 0, "accepted": 0}
    for model in (AuditTool, Chronology):
        row = model.objects.filter(case__round=audit_round).aggregate(
            total=Count("pk"),
            handed_in=Count("pk", filter=Q(status__in=WorkStatus.handed_in())),
            accepted=Count("pk", filter=Q(status=WorkStatus.ACCEPTED)),
        )
        for key in counts:
            counts[key] += row[key]
    return counts


def round_task_list(audit_round: AuditRound, *, cases, meetings, open_problems, links) -> RoundTaskList:
    """The round's stages and their tasks, each with its status from the round's stage predicates
    (``AuditRound``) and its work so far: the round page's task list and "what to do next".

    ``cases`` are the round's cases (with ``case_agencies`` prefetched), ``meetings`` its sittings,
    ``open_problems`` what stops it opening (``services.round_open_problems``) and ``links`` the
    URLs the user may follow, by task key (a task without one shows no link). A fixed number of
    queries (six), whatever the number of cases."""
    status = audit_round.status
    past_planning = audit_round.has_opened
    past_open = status not in (AuditRound.Status.PLANNING, AuditRound.Status.OPEN)
    past_meeting = past_open and status != AuditRound.Status.MEETING
    past_learning = past_meeting and status != AuditRound.Status.LEARNING

    with_agencies = sum(1 for case in cases if case.case_agencies.all())
    returns = _returns_counts(audit_round)
    recorded = sum(1 for case in audit_round.cases.select_related("discussion").order_by() if has_meeting_record(case))
    learning = has_round_learning(audit_round)
    actions = audit_round.actions.count()
    briefings = audit_round.briefings.count()
    percent = returned_percent(returns["handed_in"], returns["total"])

    def task(key, name, task_status, hint=""):
        url = "" if task_status == TaskStatus.CANNOT_START else links.get(key, "")
        return RoundTask(name=name, status=task_status, url=url, hint=hint)

    stages = [
        RoundStage(
            "Set up the round",
            [
                task("details", "Round details and milestones", TaskStatus.COMPLETED),
            ],
        ),
        RoundStage(
            "Choose the cases",
            [
                task(
                    "cases",
                    "Draw or add the cases",
                    TaskStatus.COMPLETED
                    if cases
                    else TaskStatus.NOT_STARTED
                    if audit_round.accepts_cases
                    else TaskStatus.CANNOT_START,
                    f"{len(cases)} case{'s' if len(cases) != 1 else ''}",
                ),
                task(
                    "agencies",
                    "Choose the agencies for each case",
                    _progress(with_agencies, len(cases)) if cases else TaskStatus.CANNOT_START,
                    f"{with_agencies} of {len(cases)} cases have agencies" if cases else "Add cases first",
                ),
            ],
        ),
        RoundStage(
            "Invite the agencies",
            [
                task(
                    "open",
                    "Open the round and send the invitations",
                    TaskStatus.COMPLETED
                    if past_planning
                    else TaskStatus.CANNOT_START
                    if open_problems
                    else TaskStatus.NOT_STARTED,
                    "" if past_planning or not open_problems else open_problems[0],
                ),
            ],
        ),
        RoundStage(
            "Returns from agencies",
            [
                task(
                    "returns",
                    "Audit tools and chronologies returned",
                    TaskStatus.CANNOT_START
                    if not past_planning
                    else _progress(returns["accepted"], returns["total"], none_started=TaskStatus.IN_PROGRESS),
                    f"{percent}% handed in, {returns['accepted']} of {returns['total']} accepted"
                    if past_planning and percent is not None
                    else "",
                ),
            ],
        ),
        RoundStage(
            "Multi-agency meeting",
            [
                task(
                    "meeting",
                    "Arrange the meeting",
                    TaskStatus.COMPLETED
                    if meetings
                    else TaskStatus.NOT_STARTED
                    if audit_round.can_arrange_sitting(0)
                    else TaskStatus.CANNOT_START,
                ),
                task(
                    "record",
                    "Record each case's discussion and agreed grade",
                    TaskStatus.CANNOT_START if not (past_planning and meetings) else _progress(recorded, len(cases)),
                    f"{recorded} of {len(cases)} cases recorded" if past_planning and meetings else "",
                ),
            ],
        ),
        RoundStage(
            "Learning",
            [
                task(
                    "learning",
                    "Draft the learning across the cases",
                    TaskStatus.COMPLETED
                    if learning
                    else TaskStatus.NOT_STARTED
                    if audit_round.is_writable
                    else TaskStatus.CANNOT_START,
                ),
            ],
        ),
        RoundStage(
            "Action plan",
            [
                task(
                    "actions",
                    "Agree the actions",
                    TaskStatus.COMPLETED
                    if actions and past_meeting
                    else TaskStatus.IN_PROGRESS
                    if actions
                    else TaskStatus.NOT_STARTED
                    if audit_round.is_writable
                    else TaskStatus.CANNOT_START,
                    f"{actions} action{'s' if actions != 1 else ''}" if actions else "",
                ),
            ],
        ),
        RoundStage(
            "Briefing",
            [
                task(
                    "briefing",
                    "Write and publish a briefing",
                    TaskStatus.COMPLETED
                    if past_learning
                    else TaskStatus.IN_PROGRESS
                    if briefings
                    else TaskStatus.NOT_STARTED,  # a briefing may be drafted at any stage
                ),
            ],
        ),
        RoundStage(
            "Close the round",
            [
                task(
                    "close",
                    "Close the round",
                    TaskStatus.COMPLETED
                    if audit_round.is_closed
                    else TaskStatus.NOT_STARTED
                    if status == AuditRound.Status.PUBLISHED
                    else TaskStatus.CANNOT_START,
                ),
            ],
        ),
    ]
    return RoundTaskList(stages=stages)
