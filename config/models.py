"""Abstract base model shared by every app: who created and last changed a record, and when."""

from django.conf import settings
from django.db import models


class TrackedModel(models.Model):
    """Records who created and last changed a row. Services set the actors explicitly."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        abstract = True
