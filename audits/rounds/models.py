import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from agencies.models import Agency, Area
from agencies.permissions import can_view_all_rounds
from lib.crypto import EncryptedDateField, EncryptedJSONField, EncryptedTextField
from lib.models import TrackedModel
from lib.urls import url_for


class AuditRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rounds a user may see: all for coordinators and administrators; for agency staff,
        rounds past planning where their agency takes part in a case; none for anyone else."""
        if not user.is_authenticated:
            return self.none()
        if can_view_all_rounds(user):
            return self
        agency = user.agency
        if agency is None:
            return self.none()
        # Agencies are brought in when a round opens: while it is planned, dates and cases change.
        return self.opened().filter(
            models.Exists(CaseAgency.objects.filter(case__round=models.OuterRef("pk"), agency=agency))
        )

    def opened(self):
        """Rounds past planning (``AuditRound.has_opened``)."""
        return self.exclude(status=AuditRound.Status.PLANNING)

    def in_progress(self):
        return self.exclude(status__in=[AuditRound.Status.PUBLISHED, AuditRound.Status.CLOSED])


class AuditRound(TrackedModel):
    """A themed six-monthly multi-agency case audit in one area."""

    class Status(models.TextChoices):
        PLANNING = "planning", "Planning"
        OPEN = "open", "Open for returns"
        MEETING = "meeting", "Multi-agency meeting"
        LEARNING = "learning", "Learning and briefing"
        PUBLISHED = "published", "Briefing published"
        CLOSED = "closed", "Closed"

    # The milestones, in the order they must fall. Each (field name, label).
    MILESTONES = [
        ("launch_date", "Launch"),
        ("tools_due_date", "Audit tools and chronologies due"),
        ("meeting_date", "Multi-agency meeting"),
        ("learning_due_date", "Learning summary due"),
        ("briefing_due_date", "Briefing due"),
    ]
    # What each stage is working towards; the first of these not yet passed is the next milestone.
    STAGE_MILESTONES = {
        Status.PLANNING: ["launch_date"],
        Status.OPEN: ["tools_due_date"],
        Status.MEETING: ["meeting_date"],
        Status.LEARNING: ["learning_due_date", "briefing_due_date"],
        Status.PUBLISHED: [],
        Status.CLOSED: [],
    }

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="rounds")
    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=300, help_text="For example, domestic abuse and parental mental health.")
    period_label = models.CharField(max_length=50, help_text="For example, 2026/27 round 1.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNING, editable=False)
    launch_date = models.DateField()
    tools_due_date = models.DateField("tools and chronologies due")
    meeting_date = models.DateField("multi-agency meeting")
    learning_due_date = models.DateField("learning summary due")
    briefing_due_date = models.DateField("briefing due")
    tool_template = models.ForeignKey(
        "audits.ToolTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
        help_text="The audit tool agencies fill in. Its latest version is pinned when the round opens.",
    )
    template_version = models.ForeignKey(
        "audits.TemplateVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="rounds",
    )
    # Set when the round closes; RETENTION_DAYS_AFTER_CLOSE later its identifiers are destroyed
    # (``audits.rounds.retention``), which sets identifiers_purged_at.
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Agency staff see a case's child's details while the round's agency work is live (open and
    # meeting stages); the coordinator may end that earlier, which sets this.
    agency_details_ended_at = models.DateTimeField(
        "agencies' access to the child's details ended", null=True, blank=True, editable=False
    )
    identifiers_purged_at = models.DateTimeField(
        "restricted identifiers destroyed", null=True, blank=True, editable=False
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = AuditRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-launch_date", "area__name"]
        permissions = [
            ("manage_rounds", "Can plan rounds, select cases and choose agencies"),
            ("view_all_rounds", "Can see every round"),
            ("view_restricted_identifiers", "Can see children's restricted identifiers"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(tools_due_date__gt=F("launch_date"))
                & Q(meeting_date__gt=F("tools_due_date"))
                & Q(learning_due_date__gte=F("meeting_date"))
                & Q(briefing_due_date__gte=F("learning_due_date")),
                name="round_milestones_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.period_label})"

    def save(self, *args, **kwargs):
        # Every closed round has a closing time: retention counts from it.
        if self.status == self.Status.CLOSED and self.closed_at is None:
            self.closed_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "closed_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return url_for("audits:round-detail", self.pk)

    # What each stage allows: the one statement of each rule. Services refuse when a predicate
    # is false; views pass the answer to templates, which never compare statuses themselves.

    MAX_SITTINGS = 2  # the meeting, and at most one further sitting

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def has_opened(self) -> bool:
        """Past planning: agencies are brought in, so their work, the meeting and actions may start."""
        return self.status != self.Status.PLANNING

    @property
    def is_changeable(self) -> bool:
        """Its details (dates, cases' summaries) may still change: any stage but closed."""
        return not self.is_closed

    @property
    def accepts_cases(self) -> bool:
        """Cases may be added (or drawn) while the round is planned or open for returns."""
        return self.status in (self.Status.PLANNING, self.Status.OPEN)

    @property
    def is_writable(self) -> bool:
        """Learning, meeting records and actions may be written: once open, until closed."""
        return self.has_opened and not self.is_closed

    @property
    def is_in_progress(self) -> bool:
        """Past planning and not yet published or closed: agencies' returns may still be chased."""
        return self.has_opened and self.status not in (self.Status.PUBLISHED, self.Status.CLOSED)

    @property
    def integrated_chronology_opens_on(self) -> datetime.date:
        """Agencies read a case's integrated chronology from the day after the tools were due, so
        no agency reads the others' work while still writing its own."""
        return self.tools_due_date + datetime.timedelta(days=1)

    @property
    def agency_details_live(self) -> bool:
        """Agency staff of a case may see its child's details: while the round's agency work is
        live, from opening until the meeting's record is complete (the round moves on to
        learning), unless the coordinator ended it earlier."""
        return self.status in (self.Status.OPEN, self.Status.MEETING) and self.agency_details_ended_at is None

    def can_arrange_sitting(self, sittings: int) -> bool:
        """Another sitting of the meeting may be arranged, given how many there are already."""
        return self.is_writable and sittings < self.MAX_SITTINGS

    @property
    def identifiers_destroy_on(self) -> datetime.date | None:
        """The day from which this round's identifiers are due to be destroyed (None until it closes)."""
        if self.closed_at is None:
            return None
        due = self.closed_at + datetime.timedelta(days=settings.RETENTION_DAYS_AFTER_CLOSE)
        return timezone.localdate(due)

    @property
    def milestones(self):
        today = timezone.localdate()
        return [
            {"label": label, "date": getattr(self, field), "passed": getattr(self, field) < today}
            for field, label in self.MILESTONES
        ]

    def next_milestone(self, today: datetime.date | None = None):
        """The milestone this round's stage is working towards, and whether it is late.

        Returns None once the briefing is published or the round closed."""
        today = today or timezone.localdate()
        fields = self.STAGE_MILESTONES[self.status]
        if not fields:
            return None
        labels = dict(self.MILESTONES)
        for field in fields:
            if getattr(self, field) >= today:
                return {"label": labels[field], "date": getattr(self, field), "late": False}
        last = fields[-1]
        return {"label": labels[last], "date": getattr(self, last), "late": True}


class Need(models.Model):
    """A need or risk factor a case can be tagged with (to keep the sample a cross-section)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Cases a user may see: all for coordinators and administrators; for agency staff,
        only the cases their agency takes part in, once the round has opened."""
        if not user.is_authenticated:
            return self.none()
        if can_view_all_rounds(user):
            return self
        agency = user.agency
        if agency is None:
            return self.none()
        return self.exclude(round__status=AuditRound.Status.PLANNING).filter(
            models.Exists(CaseAgency.objects.filter(case=models.OuterRef("pk"), agency=agency))
        )


class CaseDraw(TrackedModel):
    """A reproducible random draw of cases from an uploaded candidate list.

    The file stays in private storage (it holds identifiers) and is deleted with the round's
    identifiers when the retention period ends."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "Preview"
        CONFIRMED = "confirmed", "Confirmed"

    round = models.ForeignKey(AuditRound, on_delete=models.CASCADE, related_name="draws")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField("SHA-256 of the candidate list", max_length=64)
    stored_file = models.CharField(
        max_length=100,
        blank=True,
        help_text="Name of the (encrypted) file in private storage; blank once destroyed under retention.",
    )
    candidate_count = models.PositiveIntegerField()
    seed = models.BigIntegerField()
    number_of_cases = models.PositiveSmallIntegerField()
    strata = models.JSONField(default=list, blank=True, help_text="Which attributes the draw was stratified by.")
    # The candidates' references identify children in the partnership's own systems: encrypted,
    # and cleared with the file under retention.
    selected_references = EncryptedJSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Draw of {self.number_of_cases} from {self.candidate_count} (seed {self.seed})"

    @property
    def is_preview(self) -> bool:
        """Proposed, not yet confirmed: its cases are not in the round yet."""
        return self.status == self.Status.PREVIEW

    @property
    def can_be_confirmed(self) -> bool:
        """A preview whose candidate list is still held can be turned into cases."""
        return self.is_preview and bool(self.stored_file)

    def get_absolute_url(self):
        return url_for("audits:draw-preview", self.round_id, self.pk)

    def get_strata_display(self):
        labels = dict(STRATA_CHOICES)
        return ", ".join(str(labels[s]) for s in self.strata) or "None (simple random sample)"


STRATA_CHOICES = [("age_band", "Age band"), ("plan_type", "Plan type")]


class Case(TrackedModel):
    """One child's case in a round, known everywhere as "Case N" / "Child N"."""

    class AgeBand(models.TextChoices):
        UNDER_1 = "under_1", "Under 1"
        AGE_1_4 = "1_4", "1 to 4"
        AGE_5_9 = "5_9", "5 to 9"
        AGE_10_15 = "10_15", "10 to 15"
        AGE_16_17 = "16_17", "16 to 17"

    class PlanType(models.TextChoices):
        NONE = "none", "No plan"
        EARLY_HELP = "early_help", "Early help"
        CIN = "cin", "Child in need (CIN)"
        CP = "cp", "Child protection (CP)"
        LAC = "lac", "Looked-after child (LAC)"

    round = models.ForeignKey(AuditRound, on_delete=models.PROTECT, related_name="cases")
    number = models.PositiveSmallIntegerField(editable=False)
    summary = models.TextField(
        "anonymised summary",
        blank=True,
        help_text="This text may appear in a briefing: refer to the child as Child N and use no names, "
        "dates of birth, addresses or record numbers.",
    )
    age_band = models.CharField(max_length=10, choices=AgeBand.choices)
    plan_type = models.CharField(max_length=12, choices=PlanType.choices)
    needs = models.ManyToManyField(Need, blank=True, related_name="cases")
    agencies = models.ManyToManyField(Agency, through="CaseAgency", related_name="cases", blank=True)
    draw = models.ForeignKey(CaseDraw, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases")

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[needs])
    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="case_number_unique_in_round"),
            models.CheckConstraint(condition=Q(number__gte=1), name="case_number_positive"),
        ]

    def __str__(self):
        return f"Case {self.number}"

    @property
    def child_label(self):
        return f"Child {self.number}"

    def get_absolute_url(self):
        return url_for("audits:case-detail", self.round_id, self.number)


class CaseAgency(models.Model):
    """An agency taking part in a case: it owes an audit tool and a chronology for it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_agencies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="case_agencies")
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="case_agency_unique")]

    def __str__(self):
        return f"{self.case}: {self.agency.short_name}"


class RestrictedIdentifiers(models.Model):
    """The real-world identity of a case's child. Never shown in lists, URLs, logs or e-mails.

    Read and written only through ``audits.rounds.identifiers``, which checks access and records each
    view and change in the access log. Every identifier is encrypted at rest (``lib.crypto``):
    the database holds ciphertext only, so nothing can filter on them in SQL."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="restricted_identifiers")
    child_name = EncryptedTextField(max_length=200, blank=True)
    date_of_birth = EncryptedDateField(null=True, blank=True)
    record_numbers = EncryptedTextField(
        blank=True, help_text="The agencies' record numbers for the child, for example CSC 123456; Police 987."
    )
    candidate_reference = EncryptedTextField(max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["case"]
        verbose_name_plural = "restricted identifiers"

    def __str__(self):
        # Deliberately says nothing identifying.
        return f"Restricted identifiers of {self.case}"
