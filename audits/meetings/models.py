"""The multi-agency meeting of a round: its sittings, who attended, and what it records per case."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from audits.tool_templates.models import TemplateQuestion
from lib.models import TrackedModel
from lib.urls import url_for


class Meeting(TrackedModel):
    """A sitting of the round's multi-agency meeting (usually one; a second sitting is allowed)."""

    round = models.ForeignKey("audits.AuditRound", on_delete=models.PROTECT, related_name="meetings")
    sitting = models.PositiveSmallIntegerField(default=1, editable=False)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True, help_text="The room and address, if it meets in person.")
    online_link = models.URLField(blank=True, help_text="The video call link, if it meets online.")
    chair = models.CharField(max_length=200, help_text="The chair's name and role.")
    invitations_sent_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["round", "sitting"]
        constraints = [
            models.UniqueConstraint(fields=["round", "sitting"], name="one_meeting_per_sitting"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
            models.CheckConstraint(condition=Q(sitting__in=[1, 2]), name="at_most_two_sittings"),
        ]

    def __str__(self):
        return f"Multi-agency meeting{' (second sitting)' if self.sitting == 2 else ''}: {self.round}"

    def get_absolute_url(self):
        return url_for("audits:meeting-detail", self.pk)


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices)
    attendees = models.TextField(blank=True, help_text="Names and roles, as typed, one per line.")
    written_input = models.BooleanField(default=False, help_text="Sent written input with their apologies.")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "agency"], name="one_attendance_per_agency")]

    def __str__(self):
        return f"{self.agency}: {self.get_status_display()}"


class CaseDiscussion(TrackedModel):
    """What the meeting agreed about one case: notes and the multi-agency overall grade."""

    case = models.OneToOneField("audits.Case", on_delete=models.PROTECT, related_name="discussion")
    notes = models.TextField("discussion notes", blank=True)
    agreed_grade = models.CharField(max_length=30, choices=TemplateQuestion.Grade.choices, blank=True)
    grade_reasons = models.TextField("reasons for the grade", blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["case"]

    def __str__(self):
        return f"Discussion of {self.case}"
