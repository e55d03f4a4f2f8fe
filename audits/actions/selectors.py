"""Reads of the MACA action plan: the actions a user may see, filtered, with their RAG.

Filtering by RAG uses ``ActionQuerySet.rag``, the database twin of ``Action.rag``, so it needs
no query per row. Every function runs a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)

from agencies.models import Agency, Area
from audits.models import Action, ActionUpdate, AuditRound, LearningPoint
from audits.models import Case as AuditCase
from lib.sorting import ASCENDING, DESCENDING, Column


@dataclass
class PlanFilters:
    area: Area | None = None
    audit_round: AuditRound | None = None
    agency: Agency | None = None
    status: str = ""
    rag: str = ""
    overdue: bool = False

    @property
    def any(self) -> bool:
        return bool(self.area or self.audit_round or self.agency or self.status or self.rag or self.overdue)


def with_rag(actions, today: datetime.date):
    for action in actions:
        action.rag_colour, action.rag_reason = action.rag(today)
    return actions


PLAN_PER_PAGE = 50

# The plans' sortable columns (lib/sorting.py). The default is the plan's order before it could
# be sorted: by status, which puts open actions first (soonest due first), then the closed ones
# (complete or not going ahead). ``closed`` and ``latest_update`` are annotations of
# ``plan_queryset``; every order ends with the primary key, so pages never overlap.
PLAN_COLUMNS = (
    Column("action", "Action", "what", then=("due_date", "pk")),
    Column("due", "Due", "due_date", then=("closed", "round__title", "pk")),
    Column("lead", "Lead agency and owner", "lead_agency__name", then=("closed", "due_date", "pk")),
    Column("status", "Status", "closed", then=("due_date", "round__title", "pk")),
    Column("updated", "Latest update", "latest_update", then=("closed", "due_date", "pk"), first=DESCENDING),
)
PLAN_DEFAULT = ("status", ASCENDING)
_PLAN_ORDER = next(column for column in PLAN_COLUMNS if column.key == PLAN_DEFAULT[0]).order_by(PLAN_DEFAULT[1])


def plan_order_description(order) -> str:
    """The plan's order in words (``order``: a ``lib.sorting.Sorting`` of ``PLAN_COLUMNS``)."""
    if order.key == "status":
        if order.direction == ASCENDING:
            return "status: open actions first, soonest due first"
        return "status: complete or not going ahead first, then open actions"
    current = order.current()
    return f"{current['label'].lower()}, {current['direction']}"


def plan_queryset(user, *, today: datetime.date, filters: PlanFilters, order_by=None):
    """The actions the user may see that match the filters, in ``order_by`` (a sorting's
    ``order_by()``; by default open ones first, soonest due first, then the closed ones:
    complete or not going ahead), each with ``latest_update`` (the date of its latest update, a
    subquery: counting the plan needs no GROUP BY)."""
    latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-date").values("date")[:1]
    actions = (
        Action.objects.visible_to(user)
        .select_related("round__area", "lead_agency", "owner_user")
        .annotate(
            latest_update=Subquery(latest),
            closed=Case(When(status__in=Action.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()),
        )
        .order_by(*(order_by or _PLAN_ORDER))
    )
    if filters.area:
        actions = actions.filter(round__area=filters.area)
    if filters.audit_round:
        actions = actions.filter(round=filters.audit_round)
    if filters.agency:
        actions = actions.filter(lead_agency=filters.agency)
    if filters.status:
        actions = actions.filter(status=filters.status)
    if filters.rag:
        actions = actions.rag(filters.rag, today)
    if filters.overdue:
        actions = actions.overdue(today)
    return actions


def plan_actions(user, *, today: datetime.date, filters: PlanFilters, exports: bool = False) -> list[Action]:
    """Every action of ``plan_queryset`` (for the downloads: no pages), each with ``rag_colour``
    and ``rag_reason``. For exports, also the findings each answers and the updates (latest
    first)."""
    actions = plan_queryset(user, today=today, filters=filters)
    if exports:
        actions = actions.prefetch_related(
            Prefetch("findings", queryset=findings_shown_to(user, LearningPoint.objects.all())),
            Prefetch(
                "updates", queryset=ActionUpdate.objects.select_related("author").order_by("-date", "-created_at")
            ),
        )
    return with_rag(list(actions), today)


def plan_page(
    user, *, today: datetime.date, filters: PlanFilters, number, per_page: int | None = None, order_by=None
) -> Page:
    """Page ``number`` (as in the URL) of ``plan_queryset`` in ``order_by``, its actions with
    their RAG: two queries (the count and the page) whatever the number of actions."""
    actions = plan_queryset(user, today=today, filters=filters, order_by=order_by)
    page = Paginator(actions, per_page or PLAN_PER_PAGE).get_page(number)
    page.object_list = with_rag(list(page.object_list), today)
    return page


def filter_choices(user) -> dict:
    """What the cross-round plan can be filtered by: the areas, rounds and lead agencies of the
    actions the user may see (three queries)."""
    visible = Action.objects.visible_to(user)
    return {
        "areas": list(Area.objects.filter(rounds__actions__in=visible).distinct().order_by("name")),
        "rounds": list(
            AuditRound.objects.filter(actions__in=visible).distinct().select_related("area").order_by("-launch_date")
        ),
        "agencies": list(Agency.objects.filter(actions__in=visible).distinct().order_by("name")),
    }


def agency_due_actions(user, *, today: datetime.date) -> list[Action]:
    """For agency staff: their agency's open actions that are overdue or due within
    ACTION_AMBER_DAYS, soonest first."""
    agency = user.agency
    if agency is None:
        return []
    actions = (
        Action.objects.visible_to(user)
        .due_soon(today)
        .filter(lead_agency=agency)
        .select_related("round")
        .order_by("due_date", "pk")
    )
    return with_rag(list(actions), today)


def overdue_action_count(user, *, today: datetime.date) -> int:
    return Action.objects.visible_to(user).overdue(today).count()


# What stands for the heading of a finding the reader may not read.
FINDING_NOT_SHOWN = "a finding about a case your agency is not part of"


def findings_shown_to(user, findings):
    """The findings with their case and ``shown``: whether ``user`` may read the heading. The
    plan is shared with every agency of the round, but a finding of a case is read only by those
    who may see the case (``Case.objects.visible_to``: an agency's staff, the cases their agency
    is part of); a finding for the round as a whole by everyone who sees the action."""
    return findings.select_related("case").annotate(
        shown=ExpressionWrapper(
            Q(case__isnull=True) | Q(case__in=AuditCase.objects.visible_to(user)), output_field=BooleanField()
        )
    )


def action_findings(user, action: Action) -> list[LearningPoint]:
    """The findings ``action`` answers, in the round's order, with ``shown`` (``findings_shown_to``)."""
    return list(findings_shown_to(user, action.findings.all()).order_by("case__number", "position", "pk"))


def round_findings(audit_round: AuditRound):
    """The round's findings, case by case (round-level findings last), for the "why" of an action."""
    return (
        LearningPoint.objects.filter(round=audit_round, kind=LearningPoint.Kind.FINDING)
        .select_related("case")
        .order_by("case__number", "position", "pk")
    )


def action_history(action: Action):
    """The action's saved versions, newest first, with who saved each."""
    return list(action.history.select_related("history_user").order_by("-history_date", "-history_id"))
