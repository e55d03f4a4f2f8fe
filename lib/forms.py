"""The one form mixin every form uses: GOV.UK Design System rendering through crispy-forms-gds."""

import datetime
import re

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html, format_html_join


class GDSFormMixin:
    """Render with crispy-forms-gds: the template writes the <form> and its buttons, so pages
    can offer "Save and continue" / "Cancel" links the GOV.UK way; errors go to the summary."""

    label_size = Size.SMALL
    legend_size = Size.SMALL

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_gds()

    def setup_gds(self):
        """Escape labels and build the helper; call again after adding fields dynamically."""
        # crispy-forms-gds prints labels and hints with |safe; some are typed by users (question
        # prompts, guidance), so every one is escaped here, once.
        for field in self.fields.values():
            if field.label:
                field.label = conditional_escape(field.label)
            if field.help_text:
                field.help_text = conditional_escape(field.help_text)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_size = self.label_size
        self.helper.legend_size = self.legend_size


class Select(forms.Select):
    """Django's select, written out in Python instead of through a template for each option
    (Django's templates took several milliseconds for a forty-option filter on every view of a
    page): the same markup, every value and label escaped by ``format_html``."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group, options, _ in widget["optgroups"]:
            rendered = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((option["value"], flatatt(option["attrs"]), option["label"]) for option in options),
            )
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', group, rendered) if group else rendered)
        options = format_html_join("", "{}", ((part,) for part in parts))  # each escaped already
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)


class GDSDateField(DateInputField):
    """The GOV.UK date input (day, month, year) with messages that name the field."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(label=label, **kwargs)
        lower = label[0].lower() + label[1:]
        self.error_messages["required"] = f"Enter the {lower}"
        self.error_messages["incomplete"] = f"The {lower} must include a day, month and year"
        self.error_messages["invalid"] = f"The {lower} must be a real date"

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            value = datetime.date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError) as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if value.year < 1900:
            raise ValidationError(f"{self.label} must include the year as four digits", code="invalid")
        return value


def as_id(value) -> int | None:
    """A primary key or number from a query string or button value: plain ASCII digits that fit
    the database's integers, or None. (``str.isdigit`` accepts "²", which ``int`` refuses.)"""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,18}", value):
        return int(value)
    return None


def as_year(value) -> int | None:
    """A four-digit year from a query string, or None."""
    year = as_id(value)
    return year if year is not None and 1900 <= year <= 9999 else None


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's refusal on the form, against the field it concerns where there is one,
    so it reaches the error summary and nothing the user typed is lost."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def form_data(request):
    """The POST data when a form was submitted (even empty, so that it is validated), else None.

    ``request.POST or None`` would leave an empty submission unbound and silently unvalidated."""
    return request.POST if request.method == "POST" else None


def form_data_and_files(request):
    """``(data, files)`` for a form with an upload, bound the same way as ``form_data``."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)
