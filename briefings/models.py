"""Briefings: the learning of one round (or two rounds of the same period) rendered as a 6 step
briefing or a learning summary, approved and published as immutable, versioned PDFs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from lib.models import TrackedModel


class Briefing(TrackedModel):
    class Format(models.TextChoices):
        SIX_STEP = "six_step", "6 step briefing"
        BY_THEME = "by_theme", "Learning summary by theme"
        BY_CASE = "by_case", "Learning summary by case"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    rounds = models.ManyToManyField("audits.AuditRound", related_name="briefings")
    format = models.CharField(max_length=10, choices=Format.choices)
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]
        permissions = [("view_published", "Can read published briefings and the learning library")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("briefings:briefing-detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        """Only a draft's title, introduction and learning change, and only a draft is approved."""
        return self.status == self.Status.DRAFT

    @property
    def is_approved(self) -> bool:
        """Only an approved briefing is published."""
        return self.status == self.Status.APPROVED


class BriefingItem(models.Model):
    """A learning point's place in a briefing: included or left out, and in what order."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="items")
    learning_point = models.ForeignKey("audits.LearningPoint", on_delete=models.PROTECT, related_name="+")
    included = models.BooleanField(default=True)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["briefing", "position"]
        constraints = [
            models.UniqueConstraint(fields=["briefing", "learning_point"], name="briefing_item_once"),
        ]

    def __str__(self):
        return f"Item {self.position} of {self.briefing}"


class BriefingRender(models.Model):
    """One rendering of a briefing's PDF, done by a task; the page shows its state."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="renders")
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    task_id = models.CharField(max_length=100, blank=True)
    stored_file = models.CharField(max_length=100, blank=True, help_text="Name of the PDF in private storage.")
    sha256 = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Rendering of {self.briefing} ({self.get_state_display()})"

    @property
    def is_done(self) -> bool:
        """The PDF is stored and may be downloaded."""
        return self.state == self.State.DONE

    @property
    def is_pending(self) -> bool:
        """Queued or being made: the task may still run it."""
        return self.state in (self.State.QUEUED, self.State.RUNNING)


class PublishedVersion(models.Model):
    """A published PDF. Never changes; changing the briefing and publishing again makes the next."""

    briefing = models.ForeignKey(Briefing, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    stored_file = models.CharField(max_length=100, help_text="Name of the PDF in private storage.")
    sha256 = models.CharField(max_length=64)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["briefing", "-number"]
        constraints = [models.UniqueConstraint(fields=["briefing", "number"], name="published_version_unique")]

    def __str__(self):
        return f"{self.briefing}, version {self.number}"


class Branding(models.Model):
    """The partnership's logo for briefings (one row). Uploaded by an administrator."""

    logo_file = models.CharField(max_length=100, blank=True, help_text="Name of the logo in private storage.")
    logo_content_type = models.CharField(max_length=50, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "branding"
        permissions = [("manage_branding", "Can change the partnership's branding on briefings")]
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="one_branding_row")]

    def __str__(self):
        return "Partnership branding"
