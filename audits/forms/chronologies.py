from django import forms

from audits.models import ChronologyEntry
from config.forms import GDSDateField, GDSFormMixin


class EntryForm(GDSFormMixin, forms.Form):
    date = GDSDateField(label="Date", help_text="For example, 27 3 2026")
    date_is_approximate = forms.BooleanField(
        required=False, label="The date is approximate", help_text="For example, only the month is known."
    )
    time = forms.TimeField(
        required=False,
        label="Time (optional)",
        help_text="For example, 14:30",
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        error_messages={"invalid": "Enter the time like 14:30"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    event_type = forms.ChoiceField(
        label="Type of event",
        choices=[("", "Choose the type of event"), *ChronologyEntry.EventType.choices],
        error_messages={"required": "Choose the type of event"},
    )
    what_happened = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        error_messages={"required": "Say what happened"},
        help_text="Refer to the child as Child and to people by their role. Do not use names.",
    )
    action_outcome = forms.CharField(
        label="Action or outcome (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    practitioner_role = forms.CharField(
        label="Practitioner's role (optional)",
        required=False,
        max_length=150,
        help_text="For example, health visitor. Not a name.",
    )
    key_event = forms.BooleanField(
        required=False,
        label="This is a key event",
        help_text="Key events stand out in the integrated chronology the meeting works from.",
    )

    @classmethod
    def initial_from(cls, entry: ChronologyEntry) -> dict:
        return {name: getattr(entry, name) for name in cls.base_fields}
