"""Exports: a file that can grow with the data (the integrated chronology, the action plans, the
access log), made by a task rather than in the request, stored encrypted in private storage,
downloaded by the person who asked for it and deleted after EXPORT_KEEP_HOURS."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from lib.running_task import TaskWorkMixin
from lib.urls import url_for


class Export(TaskWorkMixin, models.Model):
    class Kind(models.TextChoices):
        # Each kind's builder, permission check and access-log name are in exports.registry,
        # registered by the feature's exports module.
        INTEGRATED_CHRONOLOGY = "integrated_chronology", "Integrated chronology"
        ROUND_ACTION_PLAN = "round_action_plan", "Action plan of a round"
        ACTION_PLAN = "action_plan", "Action plan across rounds"
        ACCESS_LOG = "access_log", "Access log"
        MEETING_PACK = "meeting_pack", "Meeting pack of a round"
        AUDIT_TOOL = "audit_tool", "An agency's audit tool"

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    params = models.JSONField(
        default=dict, blank=True, help_text="What to export: ids and filter values only, never text people typed."
    )
    title = models.CharField(max_length=200, help_text="What the export is, in words, for the lists.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    note = models.CharField(max_length=200, blank=True, help_text="How far it has got, while it is being made.")
    task_id = models.CharField(max_length=100, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    stored_file = models.CharField(max_length=100, blank=True, help_text="Name of the file in private storage.")
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The latest sign of life: an attempt started, or the builder said how far it had got.",
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=200, blank=True, help_text="Why it failed, in words for the page.")
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    access_version = models.PositiveIntegerField(
        default=0,
        help_text="The requester's access_version when the file was made: once what they may see "
        "changes, the file is deleted and has to be made again (services.export_check_access).",
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "-requested_at"], name="export_by_requester"),
            models.Index(fields=["expires_at"], name="export_expiry"),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_state_display()})"

    def get_absolute_url(self):
        return url_for("exports:export-detail", self.pk)

    @property
    def is_expired(self) -> bool:
        """Made, but its file has been deleted (or is due to be): it has to be made again."""
        if self.state != self.State.DONE:
            return False
        return not self.stored_file or (self.expires_at is not None and self.expires_at <= timezone.now())

    @property
    def is_done(self) -> bool:
        """The file is stored and may be downloaded."""
        return self.state == self.State.DONE and not self.is_expired

    @property
    def can_retry(self) -> bool:
        """Failed or expired: "Try again" queues it once more, with the same filters."""
        return self.is_failed or self.is_expired
