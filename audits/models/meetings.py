"""The multi-agency meeting of a round, what it records per case, and the learning it finds."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from audits.models.tools import TemplateQuestion
from config.models import TrackedModel


class PracticeTheme(models.Model):
    """A practice theme (voice of the child, information sharing, ...) that tags learning."""

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True, help_text="Inactive themes are kept on old learning only.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


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
        return reverse("audits:meeting-detail", args=[self.pk])


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


class LearningPoint(TrackedModel):
    """A strength, finding or other piece of learning, with the themes and agencies it concerns.

    One model for every kind, so that briefings and the learning library read one family."""

    class Kind(models.TextChoices):
        STRENGTH = "strength", "Strength"
        FINDING = "finding", "Finding"
        KEY_MESSAGE = "key_message", "Key message"
        RECOMMENDATION = "recommendation", "Recommendation"
        GOOD_PRACTICE = "good_practice", "Good practice"

    round = models.ForeignKey("audits.AuditRound", on_delete=models.PROTECT, related_name="learning_points")
    case = models.ForeignKey(
        "audits.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="learning_points"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    heading = models.CharField(max_length=200)
    text = models.TextField()
    themes = models.ManyToManyField(PracticeTheme, blank=True, related_name="learning_points")
    agencies = models.ManyToManyField("agencies.Agency", blank=True, related_name="learning_points")
    evidence_cases = models.ManyToManyField(
        "audits.Case",
        blank=True,
        related_name="evidenced_learning",
        help_text="For learning across cases (key messages, recommendations, good practice): the cases "
        "that evidence it.",
    )
    callout = models.CharField(
        "call-out line", max_length=300, blank=True, help_text="An optional line to stand out in a briefing."
    )
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[themes, agencies, evidence_cases])

    class Meta:
        ordering = ["round", "case", "kind", "position", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.heading}"


class ReflectiveQuestion(models.Model):
    """A question a key message asks practitioners to reflect on, in order."""

    learning_point = models.ForeignKey(LearningPoint, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["learning_point", "position"]
        constraints = [
            models.UniqueConstraint(fields=["learning_point", "position"], name="reflective_question_position")
        ]

    def __str__(self):
        return self.text


class ResourceLink(models.Model):
    """A policy, training course or service a key message points practitioners to."""

    learning_point = models.ForeignKey(LearningPoint, on_delete=models.CASCADE, related_name="links")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)

    class Meta:
        ordering = ["learning_point", "position"]
        constraints = [models.UniqueConstraint(fields=["learning_point", "position"], name="resource_link_position")]

    def __str__(self):
        return self.title
