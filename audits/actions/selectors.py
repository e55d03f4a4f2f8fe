"""Reads of the MACA action plan: the actions a user may see, filtered, with their RAG.

RAG is worked out in the database the same way as ``Action.rag`` (red: open and overdue;
amber: open and due within ACTION_AMBER_DAYS or at risk; green: the rest), so that filtering by
it needs no query per row. Every function runs a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Prefetch, Q

from agencies.models import Agency, Area
from audits.models import Action, ActionUpdate, AuditRound

OPEN = [Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS]


def rag_q(rag: str, today: datetime.date) -> Q:
    """The actions whose RAG is ``rag`` on ``today``, as a filter."""
    is_open = Q(status__in=OPEN)
    red = is_open & Q(due_date__lt=today)
    amber = (
        is_open
        & ~red
        & (Q(at_risk=True) | Q(due_date__lte=today + datetime.timedelta(days=settings.ACTION_AMBER_DAYS)))
    )
    if rag == Action.Rag.RED:
        return red
    if rag == Action.Rag.AMBER:
        return amber
    return ~red & ~amber


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


def plan_actions(user, *, today: datetime.date, filters: PlanFilters, exports: bool = False) -> list[Action]:
    """The actions the user may see that match the filters, soonest due first, each with
    ``rag_colour``, ``rag_reason`` and ``latest_update`` (the date of its latest update). For
    exports, also the findings each answers and the updates (latest first)."""
    actions = (
        Action.objects.visible_to(user)
        .select_related("round__area", "lead_agency", "owner_user")
        .annotate(latest_update=Max("updates__date"))
        .order_by("due_date", "round__title", "pk")
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
        actions = actions.filter(rag_q(filters.rag, today))
    if filters.overdue:
        actions = actions.filter(rag_q(Action.Rag.RED, today))
    if exports:
        actions = actions.prefetch_related(
            "findings__case",
            Prefetch(
                "updates", queryset=ActionUpdate.objects.select_related("author").order_by("-date", "-created_at")
            ),
        )
    return with_rag(list(actions), today)


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
    horizon = today + datetime.timedelta(days=settings.ACTION_AMBER_DAYS)
    actions = (
        Action.objects.visible_to(user)
        .filter(lead_agency=agency, status__in=OPEN, due_date__lte=horizon)
        .select_related("round")
        .order_by("due_date", "pk")
    )
    return with_rag(list(actions), today)


def overdue_action_count(user, *, today: datetime.date) -> int:
    return Action.objects.visible_to(user).filter(rag_q(Action.Rag.RED, today)).count()


EXPORT_HEADER = [
    "Round",
    "Area",
    "Action",
    "Findings it answers",
    "Lead agency",
    "Owner",
    "Due date",
    "Status",
    "RAG",
    "RAG reason",
    "Latest update date",
    "Latest update",
    "Evidence of completion",
    "Impact on children and families",
    "Not going ahead because",
]


def export_rows(actions):
    """One row per action (from ``plan_actions(..., exports=True)``), matching EXPORT_HEADER."""
    for action in actions:
        findings = (
            "; ".join(f"{finding.case or 'Round'}: {finding.heading}" for finding in action.findings.all())
            or "The round as a whole"
        )
        updates = list(action.updates.all())
        latest = updates[0] if updates else None
        yield [
            action.round.title,
            action.round.area.name,
            action.what,
            findings,
            action.lead_agency.name,
            action.owner_display + (f" ({action.owner_role})" if action.owner_user_id and action.owner_role else ""),
            action.due_date,
            action.get_status_display(),
            Action.Rag(action.rag_colour).label,
            action.rag_reason,
            latest.date if latest else "",
            latest.text if latest else "",
            action.evidence_of_completion,
            action.impact,
            action.not_going_ahead_reason,
        ]
