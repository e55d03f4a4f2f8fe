from urllib.parse import urlencode

from crispy_forms_gds.layout import Field, Layout
from django import forms

from audits.models import ChronologyEntry, TemplateQuestion
from lib.forms import GDSDateField, GDSFormMixin
from lib.uploads import check_spreadsheet_upload


def answer_field_names(question) -> tuple[str, str]:
    return f"q{question.pk}_choice", f"q{question.pk}_text"


class SectionForm(GDSFormMixin, forms.Form):
    """One section of an audit tool: a radio question and an evidence box, or a text answer, per
    question. Nothing is required here: a section may be saved half done; submitting checks."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, questions, **kwargs):
        self.questions = list(questions)
        fields = {}
        for question in self.questions:
            choice_name, text_name = answer_field_names(question)
            label = question.prompt + ("" if question.required else " (optional)")
            if question.kind == TemplateQuestion.Kind.TEXT:
                fields[text_name] = forms.CharField(
                    label=label,
                    help_text=question.guidance,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 6}),
                    max_length=20000,
                )
            else:
                fields[choice_name] = forms.ChoiceField(
                    label=label,
                    help_text=question.guidance,
                    required=False,
                    choices=question.choices,
                    widget=forms.RadioSelect,
                )
                fields[text_name] = forms.CharField(
                    label="Evidence",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    max_length=20000,
                    help_text="What in the records supports this answer?",
                )
        super().__init__(*args, **kwargs)
        self.fields.update(fields)
        self.setup_gds()

    def answers(self) -> dict:
        result = {}
        for question in self.questions:
            choice_name, text_name = answer_field_names(question)
            result[question.pk] = (self.cleaned_data.get(choice_name, ""), self.cleaned_data.get(text_name, ""))
        return result


class ReturnCommentForm(GDSFormMixin, forms.Form):
    comment = forms.CharField(
        label="What does the agency need to change?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Say what the agency needs to change"},
        help_text="The agency's lead sees this comment. Do not include names or other identifiers.",
    )


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


class ChronologyImportForm(GDSFormMixin, forms.Form):
    entries_file = forms.FileField(
        label="Upload the chronology file",
        help_text="A CSV or Excel (.xlsx) file with the columns listed above.",
        error_messages={"required": "Select the chronology file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_entries_file(self):
        return check_spreadsheet_upload(self.cleaned_data["entries_file"], max_bytes=self.max_bytes)


class IntegratedFilterForm(GDSFormMixin, forms.Form):
    """The integrated chronology's filters (a GET form). Unknown values are dropped rather than
    reported: a filter link that no longer fits, say after an agency left the case, still works."""

    agency = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label="Agency")
    event_type = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Type of event",
        choices=ChronologyEntry.EventType.choices,
    )
    key_events = forms.BooleanField(required=False, label="Key events only")

    def __init__(self, data=None, *, chronologies, **kwargs):
        agency_choices = [(str(c.agency_id), c.agency.name) for c in chronologies if c.included]
        if data is not None:
            data = data.copy()
            for name, choices in (("agency", agency_choices), ("event_type", ChronologyEntry.EventType.choices)):
                allowed = {value for value, _ in choices}
                data.setlist(name, [value for value in data.getlist(name) if value in allowed])
        super().__init__(data, **kwargs)
        self.fields["agency"].choices = agency_choices
        self.helper.layout = Layout(
            Field.checkboxes("agency", small=True),
            Field.checkboxes("event_type", small=True),
            Field.checkbox("key_events", small=True),
        )

    def filters(self) -> dict:
        """The chosen filters, as keyword arguments of ``integrated_entries``."""
        if not self.is_bound or not self.is_valid():
            return {"agency_ids": [], "event_types": [], "key_only": False}
        return {
            "agency_ids": [int(value) for value in self.cleaned_data["agency"]],
            "event_types": self.cleaned_data["event_type"],
            "key_only": self.cleaned_data["key_events"],
        }

    def query_string(self) -> str:
        """The filters as a query string, for the download links."""
        filters = self.filters()
        data = {
            "agency": filters["agency_ids"],
            "event_type": filters["event_types"],
        }
        if filters["key_only"]:
            data["key_events"] = ["on"]
        return urlencode(data, doseq=True)
