"""The MACA action plan: what agencies agreed to do, tracked after the round until it is done."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lib.models import TrackedModel


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Coordinators and administrators see every action; agency staff see the actions of
        rounds their agency took part in (the plan is shared), nobody else any."""
        if not user.is_authenticated:
            return self.none()
        if user.has_perm("audits.view_all_rounds"):
            return self
        agency = user.agency
        if agency is None:
            return self.none()
        from audits.models import AuditRound

        return self.filter(round__in=AuditRound.objects.visible_to(user))


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
        return reverse("audits:action-detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status in (self.Status.NOT_STARTED, self.Status.IN_PROGRESS)

    def rag(self, today: datetime.date | None = None) -> tuple[str, str]:
        """(colour, reason): red when overdue, amber when due within ACTION_AMBER_DAYS or marked at
        risk, green otherwise. Closed actions are green."""
        today = today or timezone.localdate()
        if not self.is_open:
            return self.Rag.GREEN, f"{self.get_status_display()}"
        if self.due_date < today:
            days = (today - self.due_date).days
            return self.Rag.RED, f"Overdue by {days} day{'s' if days != 1 else ''}"
        if self.at_risk:
            return self.Rag.AMBER, "The owner says the due date is at risk"
        if (self.due_date - today).days <= settings.ACTION_AMBER_DAYS:
            days = (self.due_date - today).days
            return self.Rag.AMBER, "Due today" if days == 0 else f"Due in {days} day{'s' if days != 1 else ''}"
        return self.Rag.GREEN, "On track"

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
