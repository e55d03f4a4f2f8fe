"""Audit tool templates (versioned) and the audit tools agencies fill in for each case."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from config.models import TrackedModel


class WorkStatus(models.TextChoices):
    """Where an agency's return (audit tool or chronology) is in its lifecycle."""

    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for changes"
    ACCEPTED = "accepted", "Accepted"

    @classmethod
    def editable(cls):
        return [cls.NOT_STARTED, cls.DRAFT, cls.RETURNED]


class ToolTemplate(TrackedModel):
    """An audit tool template. Its content lives in versions; editing makes a new version."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False, help_text="Proposed for new rounds.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_template")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("audits:template-detail", args=[self.pk])

    @property
    def current_version(self):
        return self.versions.order_by("-number").first()


class TemplateVersion(models.Model):
    """A frozen version of a template. Rounds pin one when they open; it never changes after."""

    template = models.ForeignKey(ToolTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="template_version_unique")]

    def __str__(self):
        return f"{self.template} (version {self.number})"


class TemplateSection(models.Model):
    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="template_section_position")]

    def __str__(self):
        return self.title


class TemplateQuestion(models.Model):
    class Kind(models.TextChoices):
        GRADE = "grade", "Grade (Outstanding to Inadequate)"
        YES_NO = "yes_no", "Yes, partly, no or not applicable"
        TEXT = "text", "Free text"

    class Grade(models.TextChoices):
        OUTSTANDING = "outstanding", "Outstanding"
        GOOD = "good", "Good"
        REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
        INADEQUATE = "inadequate", "Inadequate"

    class YesNo(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    section = models.ForeignKey(TemplateSection, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    prompt = models.CharField(max_length=300)
    guidance = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["section", "position"]
        constraints = [models.UniqueConstraint(fields=["section", "position"], name="template_question_position")]

    def __str__(self):
        return self.prompt

    @property
    def has_evidence(self):
        return self.kind != self.Kind.TEXT

    @property
    def choices(self):
        if self.kind == self.Kind.GRADE:
            return self.Grade.choices
        if self.kind == self.Kind.YES_NO:
            return self.YesNo.choices
        return []


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

    class Meta:
        abstract = True

    @property
    def is_editable(self):
        return self.status in WorkStatus.editable()


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
        return reverse("audits:tool-detail", args=[self.pk])


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
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        ordering = ["tool", "section"]
        constraints = [models.UniqueConstraint(fields=["tool", "section"], name="one_state_per_tool_section")]

    def __str__(self):
        return f"Section {self.section_id} of tool {self.tool_id} at revision {self.revision}"
