"""Briefings: the learning of one round or several, composed of sections (case summaries,
strengths, findings, key messages, ...) that the author chooses, groups and orders; the 6 step
briefing and the learning summaries are presets of those sections. Drafted by a coordinator,
sent for approval, approved by the board and published as immutable, versioned PDFs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from lib.models import TrackedModel
from lib.running_task import TaskWorkMixin
from lib.urls import url_for


class Briefing(TrackedModel):
    class Format(models.TextChoices):
        SIX_STEP = "six_step", "6 step briefing"
        BY_THEME = "by_theme", "Learning summary by theme"
        BY_CASE = "by_case", "Learning summary by case"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING = "awaiting", "Waiting for approval"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    class Marking(models.TextChoices):
        """The Government Security Classification marking printed on every page."""

        NONE = "none", "No marking (for every practitioner)"
        OFFICIAL = "official", "OFFICIAL"
        OFFICIAL_SENSITIVE = "official_sensitive", "OFFICIAL-SENSITIVE"

    rounds = models.ManyToManyField("audits.AuditRound", related_name="briefings")
    format = models.CharField(
        max_length=10, choices=Format.choices, help_text="The preset the sections started from; it names the PDF."
    )
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    marking = models.CharField(
        "protective marking", max_length=20, choices=Marking.choices, default=Marking.OFFICIAL_SENSITIVE
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("view_published", "Can read published briefings and the learning library"),
            ("approve_briefing", "Can approve and publish briefings for the board"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return url_for("briefings:briefing-detail", self.pk)

    @property
    def is_draft(self) -> bool:
        """Only a draft's title, introduction, sections and learning change."""
        return self.status == self.Status.DRAFT

    @property
    def is_awaiting(self) -> bool:
        """Sent for approval: the board approves it (or sends it back with "Make changes")."""
        return self.status == self.Status.AWAITING

    @property
    def is_approved(self) -> bool:
        """Only an approved briefing is published."""
        return self.status == self.Status.APPROVED

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def numbered(self) -> bool:
        """A 6 step briefing numbers its sections (1. Theme and cases, 2. Process, ...)."""
        return self.format == self.Format.SIX_STEP

    @property
    def marking_text(self) -> str:
        """What the PDF prints at the top of each page ("" for no marking)."""
        return "" if self.marking == self.Marking.NONE else self.get_marking_display()


class BriefingSection(models.Model):
    """One section of a briefing: which learning (or facts) it shows, grouped how, in what place."""

    class Kind(models.TextChoices):
        # The learning kinds share LearningPoint.Kind's values.
        CASES = "cases", "Theme and cases"
        PROCESS = "process", "Process"
        STRENGTH = "strength", "Strengths"
        FINDING = "finding", "Findings"
        KEY_MESSAGE = "key_message", "Key messages"
        RECOMMENDATION = "recommendation", "Recommendations"
        GOOD_PRACTICE = "good_practice", "Good practice"
        ACTIONS = "actions", "Actions agreed"

    class Grouping(models.TextChoices):
        BY_CASE = "by_case", "By case"
        BY_THEME = "by_theme", "By practice theme"
        LIST = "list", "As one list"

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    grouping = models.CharField(max_length=10, choices=Grouping.choices, default=Grouping.LIST)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["briefing", "position"]
        constraints = [models.UniqueConstraint(fields=["briefing", "kind"], name="briefing_section_once")]

    def __str__(self):
        return f"{self.get_kind_display()} in {self.briefing}"

    @property
    def is_learning(self) -> bool:
        """A section of learning points (grouped by case, by theme or as a list); the others
        (theme and cases, process, actions) are facts of the rounds."""
        return self.kind in LEARNING_SECTIONS


LEARNING_SECTIONS = (
    BriefingSection.Kind.STRENGTH,
    BriefingSection.Kind.FINDING,
    BriefingSection.Kind.KEY_MESSAGE,
    BriefingSection.Kind.RECOMMENDATION,
    BriefingSection.Kind.GOOD_PRACTICE,
)

_S, _G = BriefingSection.Kind, BriefingSection.Grouping
# The sections each format starts with, in order, with their grouping.
PRESETS = {
    Briefing.Format.SIX_STEP: [
        (_S.CASES, _G.LIST),
        (_S.PROCESS, _G.LIST),
        (_S.STRENGTH, _G.BY_CASE),
        (_S.FINDING, _G.BY_CASE),
        (_S.RECOMMENDATION, _G.LIST),
        (_S.GOOD_PRACTICE, _G.LIST),
    ],
    Briefing.Format.BY_THEME: [
        (_S.CASES, _G.LIST),
        (_S.STRENGTH, _G.BY_THEME),
        (_S.FINDING, _G.BY_THEME),
        (_S.KEY_MESSAGE, _G.LIST),
        (_S.RECOMMENDATION, _G.LIST),
    ],
    Briefing.Format.BY_CASE: [
        (_S.CASES, _G.LIST),
        (_S.STRENGTH, _G.BY_CASE),
        (_S.FINDING, _G.BY_CASE),
        (_S.KEY_MESSAGE, _G.BY_CASE),
        (_S.RECOMMENDATION, _G.LIST),
    ],
}


class BriefingTheme(models.Model):
    """A practice theme's place in a briefing's by-theme sections (themes not placed come after,
    by name)."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="theme_order")
    theme = models.ForeignKey("audits.PracticeTheme", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["briefing", "position"]
        constraints = [models.UniqueConstraint(fields=["briefing", "theme"], name="briefing_theme_once")]

    def __str__(self):
        return f"{self.theme} in {self.briefing}"


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


class BriefingRender(TaskWorkMixin, models.Model):
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
    started_at = models.DateTimeField(null=True, blank=True, help_text="When the latest attempt at making it started.")
    finished_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=200, blank=True, help_text="Why it failed, in words for the page.")

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Rendering of {self.briefing} ({self.get_state_display()})"

    @property
    def is_done(self) -> bool:
        """The PDF is stored and may be downloaded."""
        return self.state == self.State.DONE


class PublishedVersion(models.Model):
    """A published PDF. Never changes; changing the briefing and publishing again makes the next."""

    briefing = models.ForeignKey(Briefing, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    stored_file = models.CharField(max_length=100, help_text="Name of the PDF in private storage.")
    sha256 = models.CharField(max_length=64)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    learning_points = models.ManyToManyField(
        "audits.LearningPoint",
        blank=True,
        related_name="published_in",
        help_text="The learning this version printed: what the library shows to readers.",
    )

    class Meta:
        ordering = ["briefing", "-number"]
        constraints = [models.UniqueConstraint(fields=["briefing", "number"], name="published_version_unique")]

    def __str__(self):
        return f"{self.briefing}, version {self.number}"


class Branding(models.Model):
    """The partnership's logo for briefings (one row). Uploaded by an administrator."""

    logo_file = models.CharField(max_length=100, blank=True, help_text="Name of the logo in private storage.")
    logo_content_type = models.CharField(max_length=50, blank=True)
    contact_line = models.CharField(
        max_length=300,
        blank=True,
        help_text="Printed at the foot of every briefing, for example who to contact and how.",
    )
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
