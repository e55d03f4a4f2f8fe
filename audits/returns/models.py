"""Returns: the audit tools and chronologies agencies complete for each case, and the reminders about them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from agencies.permissions import can_view_all_rounds
from audits.rounds.models import AuditRound
from audits.tool_templates.models import TemplateQuestion, TemplateSection, TemplateVersion
from lib.models import TrackedModel
from lib.running_task import TaskWorkMixin
from lib.urls import url_for


class WorkStatus(models.TextChoices):
    """Where an agency's return (audit tool or chronology) is in its lifecycle."""

    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for changes"
    ACCEPTED = "accepted", "Accepted"

    @classmethod
    def editable(cls):
        """The agency still has the work: it may change it, and its lead may submit it."""
        return [cls.NOT_STARTED, cls.DRAFT, cls.RETURNED]

    @classmethod
    def handed_in(cls):
        """The agency has handed the work in (submitted or accepted): it owes nothing more."""
        return [cls.SUBMITTED, cls.ACCEPTED]


class ReturnQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Coordinators and administrators see every return; agency staff only their agency's,
        and none in rounds still being planned."""
        if can_view_all_rounds(user):
            return self
        return self.filter(agency=user.agency).exclude(case__round__status=AuditRound.Status.PLANNING)

    def editable(self):
        """Returns the agency still has (see ``WorkStatus.editable``)."""
        return self.filter(status__in=WorkStatus.editable())


class ReturnBase(TrackedModel):
    """What audit tools and chronologies share: one per case and agency, a due date, a lifecycle."""

    status = models.CharField(max_length=12, choices=WorkStatus.choices, default=WorkStatus.NOT_STARTED)
    due_date = models.DateField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    return_comment = models.TextField(blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="The auditor the agency's lead gave this to (empty: the lead has it).",
    )
    ready_at = models.DateTimeField(
        null=True, blank=True, help_text="When the auditor marked it ready for the lead (cleared by changes)."
    )

    objects = ReturnQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_editable(self):
        return self.status in WorkStatus.editable()

    @property
    def is_outstanding(self):
        """Still owed by the agency (not yet handed in; see ``WorkStatus.handed_in``)."""
        return self.status not in WorkStatus.handed_in()

    @property
    def is_submitted(self):
        """Waiting for the coordinator to accept it or return it."""
        return self.status == WorkStatus.SUBMITTED

    @property
    def is_returned(self):
        return self.status == WorkStatus.RETURNED

    @property
    def is_accepted(self):
        return self.status == WorkStatus.ACCEPTED


class AuditTool(ReturnBase):
    """One agency's audit of one case, built from the round's pinned template version."""

    case = models.ForeignKey("audits.Case", on_delete=models.PROTECT, related_name="tools")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="tools")
    template_version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="tools")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["case", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="one_tool_per_case_and_agency")]

    def __str__(self):
        return f"Audit tool: {self.case}, {self.agency.short_name}"

    def get_absolute_url(self):
        return url_for("audits:tool-detail", self.pk)


class ToolAnswer(models.Model):
    tool = models.ForeignKey(AuditTool, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(TemplateQuestion, on_delete=models.PROTECT, related_name="answers")
    choice = models.CharField(max_length=30, blank=True)
    text = models.TextField(blank=True, help_text="The answer to a free-text question, or the evidence for a choice.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["tool", "question"]
        constraints = [models.UniqueConstraint(fields=["tool", "question"], name="one_answer_per_question")]

    def __str__(self):
        return f"Answer to {self.question_id} in tool {self.tool_id}"

    def get_choice_label(self):
        return dict(self.question.choices).get(self.choice, self.choice)

    @property
    def is_answered(self):
        if self.question.kind == TemplateQuestion.Kind.TEXT:
            return bool(self.text.strip())
        return bool(self.choice)


class ToolSectionState(models.Model):
    """A revision counter per tool section: a save based on an older revision is a conflict."""

    tool = models.ForeignKey(AuditTool, on_delete=models.CASCADE, related_name="section_states")
    section = models.ForeignKey(TemplateSection, on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveIntegerField(default=0)
    return_comment = models.TextField(
        blank=True, help_text="Why the coordinator returned the tool, about this section (cleared on resubmission)."
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        ordering = ["tool", "section"]
        constraints = [models.UniqueConstraint(fields=["tool", "section"], name="one_state_per_tool_section")]

    def __str__(self):
        return f"Section {self.section_id} of tool {self.tool_id} at revision {self.revision}"


class Chronology(ReturnBase):
    case = models.ForeignKey("audits.Case", on_delete=models.PROTECT, related_name="chronologies")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="chronologies")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["case", "agency__name"]
        verbose_name_plural = "chronologies"
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="one_chronology_per_case_and_agency")]

    def __str__(self):
        return f"Chronology: {self.case}, {self.agency.short_name}"

    def get_absolute_url(self):
        return url_for("audits:chronology-detail", self.pk)


class ChronologyEntry(TrackedModel):
    class EventType(models.TextChoices):
        CONTACT = "contact", "Contact"
        HOME_VISIT = "home_visit", "Home visit"
        OFFICE_VISIT = "office_visit", "Office visit"
        PHONE_CALL = "phone_call", "Phone call"
        REFERRAL = "referral", "Referral"
        ASSESSMENT = "assessment", "Assessment"
        STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
        CP_CONFERENCE = "cp_conference", "Child protection conference"
        CORE_GROUP = "core_group", "Core group"
        MEETING = "meeting", "Meeting"
        INCIDENT = "incident", "Incident"
        HOSPITAL_ATTENDANCE = "hospital_attendance", "Hospital attendance"
        SCHOOL_ATTENDANCE = "school_attendance", "School attendance concern"
        OTHER = "other", "Other"

    chronology = models.ForeignKey(Chronology, on_delete=models.CASCADE, related_name="entries")
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    date_is_approximate = models.BooleanField(default=False)
    event_type = models.CharField(max_length=30, choices=EventType.choices)
    what_happened = models.TextField()
    action_outcome = models.TextField("action or outcome", blank=True)
    practitioner_role = models.CharField(
        max_length=150, blank=True, help_text="The practitioner's role, for example school nurse. Never a name."
    )
    key_event = models.BooleanField(default=False)
    revision = models.PositiveIntegerField(
        default=0, editable=False, help_text="Counts saves: an edit from an older one is a conflict."
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["chronology", "date", "time", "pk"]
        verbose_name_plural = "chronology entries"

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_event_type_display()}"


class ReminderSent(models.Model):
    """One reminder about one agency's audit tool or chronology (exactly one of the two)."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"
        CHASE = "chase", "Chased by the coordinator"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    tool = models.ForeignKey(
        "audits.AuditTool", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders_sent"
    )
    chronology = models.ForeignKey(
        "audits.Chronology", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders_sent"
    )
    action = models.ForeignKey(
        "audits.Action", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders_sent"
    )
    due_date = models.DateField(help_text="The due date the reminder was about.")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "reminder sent"
        verbose_name_plural = "reminders sent"
        constraints = [
            models.CheckConstraint(
                condition=Q(tool__isnull=False, chronology__isnull=True, action__isnull=True)
                | Q(tool__isnull=True, chronology__isnull=False, action__isnull=True)
                | Q(tool__isnull=True, chronology__isnull=True, action__isnull=False),
                name="reminder_about_one_thing",
            ),
            models.UniqueConstraint(
                fields=["kind", "action"],
                condition=Q(action__isnull=False) & ~Q(kind="chase"),
                name="one_reminder_of_a_kind_per_action",
            ),
            models.UniqueConstraint(
                fields=["kind", "tool"],
                condition=Q(tool__isnull=False) & ~Q(kind="chase"),
                name="one_reminder_of_a_kind_per_tool",
            ),
            models.UniqueConstraint(
                fields=["kind", "chronology"],
                condition=Q(chronology__isnull=False) & ~Q(kind="chase"),
                name="one_reminder_of_a_kind_per_chronology",
            ),
        ]

    def __str__(self):
        if self.action_id:
            about = f"action {self.action_id}"
        else:
            about = f"tool {self.tool_id}" if self.tool_id else f"chronology {self.chronology_id}"
        return f"{self.get_kind_display()} reminder about {about}"


class ChronologyImport(TaskWorkMixin, models.Model):
    """A confirmed chronology import too large to run in the request (more rows than
    IMPORT_IN_BACKGROUND_ROWS): queued as a task, all or nothing, its previewed rows kept
    encrypted in private storage until the task has run (then deleted, whatever the outcome)."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being imported"
        DONE = "done", "Imported"
        FAILED = "failed", "Not imported"

    chronology = models.ForeignKey(Chronology, on_delete=models.CASCADE, related_name="imports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    replace = models.BooleanField(default=False, help_text="Replace the chronology's entries, not add to them.")
    keep_duplicates = models.BooleanField(default=False)
    seen_state = models.CharField(
        max_length=64,
        blank=True,
        help_text="The chronology's entries as the preview showed them (plan_import's state).",
    )
    row_count = models.PositiveIntegerField(default=0)
    stored_file = models.CharField(
        max_length=100, blank=True, help_text="The previewed rows in private storage, until the import has run."
    )
    task_id = models.CharField(max_length=100, blank=True)
    added = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True, help_text="Why it was not imported.")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One import waiting or running per chronology: a second would be refused when it ran.
            models.UniqueConstraint(
                fields=["chronology"],
                condition=Q(state__in=["queued", "running"]),
                name="one_pending_import_per_chronology",
            )
        ]

    def __str__(self):
        return f"Import of {self.row_count} rows into chronology {self.chronology_id} ({self.get_state_display()})"

    def get_absolute_url(self):
        return url_for("audits:chronology-import-status", self.chronology_id, self.pk)

    ABANDONED = (
        "Nothing has happened to it for a few minutes: the task worker may have stopped. "
        "Nothing was imported: upload the file again."
    )

    NOT_MADE = ""

    def failure_text(self) -> str:
        return self.message
