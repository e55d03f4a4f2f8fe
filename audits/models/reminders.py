"""A record of each reminder sent about an audit tool, chronology or action, so none is sent twice."""

from django.db import models
from django.db.models import Q


class ReminderSent(models.Model):
    """One reminder about one agency's audit tool or chronology (exactly one of the two)."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"

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
                fields=["kind", "action"], condition=Q(action__isnull=False), name="one_reminder_of_a_kind_per_action"
            ),
            models.UniqueConstraint(
                fields=["kind", "tool"], condition=Q(tool__isnull=False), name="one_reminder_of_a_kind_per_tool"
            ),
            models.UniqueConstraint(
                fields=["kind", "chronology"],
                condition=Q(chronology__isnull=False),
                name="one_reminder_of_a_kind_per_chronology",
            ),
        ]

    def __str__(self):
        if self.action_id:
            about = f"action {self.action_id}"
        else:
            about = f"tool {self.tool_id}" if self.tool_id else f"chronology {self.chronology_id}"
        return f"{self.get_kind_display()} reminder about {about}"
