"""The access log's filters: a GET form, so a filtered log can be bookmarked and downloaded."""

import datetime
from urllib.parse import urlencode

from crispy_forms_gds.layout import Div, Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from agencies.models import AccessEvent
from lib.forms import GDSDateField, GDSFormMixin


class OptionalDateField(GDSDateField):
    """A date that may be left blank, but not half filled in."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(label=label, required=False, **kwargs)

    def compress(self, data_list):
        if any(data_list) and not all(data_list):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        return super().compress(data_list)


class AccessLogFilterForm(GDSFormMixin, forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "Anything"), *AccessEvent.Kind.choices],
        required=False,
        label="What happened",
        error_messages={"invalid_choice": "Choose what happened from the list"},
    )
    email = forms.CharField(
        max_length=254,
        required=False,
        label="Person's e-mail address contains",
        help_text="Part of an address is enough, for example police.",
    )
    date_from = OptionalDateField(label="From date", help_text="For example, 1 11 2026")
    date_to = OptionalDateField(label="To date", help_text="For example, 30 11 2026")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Side by side above the table, which needs the page's full width.
        columns = [Field.select("kind"), Field.text("email", spellcheck="false"), "date_from", "date_to"]
        self.helper.layout = Layout(
            Div(
                *[Div(column, css_class="govuk-grid-column-one-quarter") for column in columns],
                css_class="govuk-grid-row",
            )
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", ValidationError("The to date must be the same as or after the from date"))
        return data

    def filters(self) -> dict:
        """The filters to apply; none while the form is unbound or has errors."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}

    def query_string(self) -> str:
        """The valid filters as a query string (dates as GOV.UK date input parts), for the CSV link."""
        values = {}
        for name, value in self.filters().items():
            if isinstance(value, datetime.date):
                values.update({f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year})
            else:
                values[name] = value
        return urlencode(values)


def filter_events(queryset, filters: dict):
    """The events that match the filters, newest first (the model's ordering)."""
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("email"):
        queryset = queryset.filter(user_email__icontains=filters["email"].strip())
    # Whole days in the service's time zone, as bounds on the indexed column.
    if filters.get("date_from"):
        queryset = queryset.filter(occurred_at__gte=_start_of(filters["date_from"]))
    if filters.get("date_to"):
        queryset = queryset.filter(occurred_at__lt=_start_of(filters["date_to"] + datetime.timedelta(days=1)))
    return queryset


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
