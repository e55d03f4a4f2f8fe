"""Audit tool templates: versioned, so a round's tools keep the questions they were opened with."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from lib.models import TrackedModel


class ToolTemplate(TrackedModel):
    """An audit tool template. Its content lives in versions; editing makes a new version."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False, help_text="Proposed for new rounds.")

    class Meta:
        ordering = ["name"]
        permissions = [("manage_templates", "Can add and change audit tool templates")]
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
    def choices(self):
        if self.kind == self.Kind.GRADE:
            return self.Grade.choices
        if self.kind == self.Kind.YES_NO:
            return self.YesNo.choices
        return []


class GradeDescriptor(models.Model):
    """What one grade means in one version of a template, shown beside its grade questions (to
    the agency answering, and at the meeting). It belongs to the version, so a round's tools keep
    the descriptors they were opened with; a new version starts with a copy."""

    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="grade_descriptors")
    grade = models.CharField(max_length=20, choices=TemplateQuestion.Grade.choices)
    text = models.TextField(blank=True, max_length=1000)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "grade"], name="grade_descriptor_unique")]

    def __str__(self):
        return f"{self.get_grade_display()} ({self.version})"
