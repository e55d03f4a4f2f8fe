"""The MACA action plan: what agencies agreed to do, tracked after the round until it is done."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from agencies.permissions import can_view_all_rounds
from audits.rounds.models import AuditRound
from lib.models import TrackedModel
from lib.urls import url_for


def amber_horizon(today: datetime.date) -> datetime.date:
    """The last due date that makes an open action amber on ``today`` (ACTION_AMBER_DAYS ahead)."""
    return today + datetime.timedelta(days=settings.ACTION_AMBER_DAYS)


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Coordinators and administrators see every action; agency staff see the actions of
        rounds their agency took part in (the plan is shared), nobody else any."""
        if not user.is_authenticated:
            return self.none()
        if can_view_all_rounds(user):
            return self
        if user.agency is None:
            return self.none()
        return self.filter(round__in=AuditRound.objects.visible_to(user))

    def open(self):
        """Not started or in progress (``Action.is_open``)."""
        return self.filter(_open_q())

    def rag(self, colour: str, today: datetime.date):
        """The actions whose RAG is ``colour`` on ``today``: the same rule as ``Action.rag``, in
        the database (red: open and overdue; amber: open, not red, and at risk or due within
        ACTION_AMBER_DAYS; green: the rest), so filtering by it needs no query per row."""
        red = _overdue_q(today)
        amber = _open_q() & ~red & (Q(at_risk=True) | Q(due_date__lte=amber_horizon(today)))
        if colour == Action.Rag.RED:
            return self.filter(red)
        if colour == Action.Rag.AMBER:
            return self.filter(amber)
        return self.filter(~red & ~amber)

    def overdue(self, today: datetime.date):
        """Open and past the due date (``Action.is_overdue``): red."""
        return self.rag(Action.Rag.RED, today)

    def due_soon(self, today: datetime.date):
        """Open and overdue or due within ACTION_AMBER_DAYS: red or amber by the date alone
        (at risk or not)."""
        return self.open().filter(due_date__lte=amber_horizon(today))

    def to_remind(self, today: datetime.date):
        """What reminders are about: open actions not awaiting confirmation of completion that
        are overdue or due within REMINDER_DAYS_BEFORE days. A rule of its own, not the RAG's
        amber window: reminders go REMINDER_DAYS_BEFORE days ahead of any work that is due."""
        soon = today + datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE)
        return self.open().filter(completion_proposed_at__isnull=True, due_date__lte=soon)


def _open_q() -> Q:
    return Q(status__in=Action.OPEN)


def _overdue_q(today: datetime.date) -> Q:
    return _open_q() & Q(due_date__lt=today)


class Action(TrackedModel):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        NOT_GOING_AHEAD = "not_going_ahead", "Not going ahead"

    class Rag(models.TextChoices):
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"

    OPEN = (Status.NOT_STARTED, Status.IN_PROGRESS)
    # The GOV.UK tag colour of each status and RAG (the one map; ``_status.html``, ``_rag.html``).
    STATUS_TAGS = {Status.COMPLETE: "govuk-tag--green", Status.IN_PROGRESS: "govuk-tag--blue"}
    RAG_TAGS = {Rag.RED: "govuk-tag--red", Rag.AMBER: "govuk-tag--yellow", Rag.GREEN: "govuk-tag--green"}

    round = models.ForeignKey("audits.AuditRound", on_delete=models.PROTECT, related_name="actions")
    findings = models.ManyToManyField(
        "audits.LearningPoint",
        blank=True,
        related_name="actions",
        help_text="The findings this action answers; none means it is for the round as a whole.",
    )
    what = models.TextField("what is to be done")
    lead_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="actions")
    owner_name = models.CharField(max_length=200, blank=True)
    owner_role = models.CharField(max_length=200, blank=True)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="owned_actions"
    )
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    not_going_ahead_reason = models.TextField(blank=True)
    at_risk = models.BooleanField(default=False, help_text="The owner says the due date is at risk.")
    evidence_of_completion = models.TextField(blank=True)
    impact = models.TextField("impact on children and families", blank=True)
    completion_proposed_at = models.DateTimeField(null=True, blank=True)
    completion_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[findings])
    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="not_going_ahead") | ~Q(not_going_ahead_reason=""),
                name="not_going_ahead_needs_a_reason",
            ),
        ]

    def __str__(self):
        return f"Action {self.pk}: {self.what[:60]}"

    def get_absolute_url(self):
        return url_for("audits:action-detail", self.pk)

    @property
    def is_open(self):
        """Not started or in progress (``ActionQuerySet.open``)."""
        return self.status in self.OPEN

    @property
    def awaiting_confirmation(self) -> bool:
        """In progress, and its lead agency has proposed that it is complete (proposing makes an
        action in progress; reopening or stopping it clears the proposal)."""
        return self.status == self.Status.IN_PROGRESS and self.completion_proposed_at is not None

    def is_overdue(self, today: datetime.date) -> bool:
        """Open and past the due date (``ActionQuerySet.overdue``): red."""
        return self.is_open and self.due_date < today

    def rag(self, today: datetime.date | None = None) -> tuple[str, str]:
        """(colour, reason): red when overdue, amber when due within ACTION_AMBER_DAYS or marked at
        risk, green otherwise. Closed actions are green. ``ActionQuerySet.rag`` is its twin."""
        today = today or timezone.localdate()
        if not self.is_open:
            return self.Rag.GREEN, f"{self.get_status_display()}"
        if self.is_overdue(today):
            days = (today - self.due_date).days
            return self.Rag.RED, f"Overdue by {days} day{'s' if days != 1 else ''}"
        if self.at_risk:
            return self.Rag.AMBER, "The owner says the due date is at risk"
        if self.due_date <= amber_horizon(today):
            days = (self.due_date - today).days
            return self.Rag.AMBER, "Due today" if days == 0 else f"Due in {days} day{'s' if days != 1 else ''}"
        return self.Rag.GREEN, "On track"

    @property
    def status_tag(self) -> str:
        """The GOV.UK tag class of its status (grey unless in progress or complete)."""
        return self.STATUS_TAGS.get(self.status, "govuk-tag--grey")

    @property
    def rag_label(self) -> str:
        """The label of ``rag_colour`` (set by ``selectors.with_rag``)."""
        return self.Rag(self.rag_colour).label

    @property
    def rag_tag(self) -> str:
        """The GOV.UK tag class of ``rag_colour`` (set by ``selectors.with_rag``)."""
        return self.RAG_TAGS[self.rag_colour]

    @property
    def owner_display(self):
        if self.owner_user_id:
            return str(self.owner_user)
        return ", ".join(part for part in (self.owner_name, self.owner_role) if part) or "Not named"


class ActionUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(default=timezone.localdate)
    text = models.TextField("progress update")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "-date", "-created_at"]

    def __str__(self):
        return f"Update to action {self.action_id} on {self.date:%d/%m/%Y}"
