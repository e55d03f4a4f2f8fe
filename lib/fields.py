"""Form fields the audits forms share."""

from django import forms
from django.db import connections, router


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing as "not one of the choices" a number too big for the database's
    key column (a tampered form with "9223372036854775808" made the database driver raise, a 500,
    because Django checks the range for ``pk=`` lookups but not for the ``pk__in=`` this field uses)."""

    def _check_values(self, value):
        meta = self.queryset.model._meta
        field = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        connection = connections[router.db_for_read(self.queryset.model)]
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        if low is not None or high is not None:
            for item in value:
                try:
                    number = int(str(item).strip())
                except (TypeError, ValueError):
                    continue  # left to Django's own "not a valid value" check
                if (low is not None and number < low) or (high is not None and number > high):
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                    )
        return super()._check_values(value)
