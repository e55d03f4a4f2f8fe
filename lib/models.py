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

    def save_by(self, actor, *, update_fields=None, **kwargs) -> None:
        """Save, naming ``actor`` as the one who changed the row: in ``updated_by`` (and
        ``created_by`` when it is new) and as the history record's author. The one place the
        actor is stamped; services call this instead of ``save()``."""
        if self._state.adding and self.created_by_id is None:
            self.created_by = actor
        self.updated_by = actor
        save_history_by(self, actor)
        if update_fields is not None:
            update_fields = {*update_fields, "updated_by", "updated_at"}
        self.save(update_fields=update_fields, **kwargs)


def save_history_by(obj, actor) -> None:
    """Name ``actor`` as the author of the history record ``obj``'s next save or delete makes
    (django-simple-history reads ``_history_user``). For rows that are not TrackedModels."""
    obj._history_user = actor


def delete_by(obj, actor) -> None:
    """Delete ``obj``, naming ``actor`` as the author of its history record."""
    save_history_by(obj, actor)
    obj.delete()


def locked(obj):
    """``obj`` read again under a row lock (``SELECT ... FOR UPDATE``), inside the caller's
    transaction: the state to check before changing it."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)
