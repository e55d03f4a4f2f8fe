from urllib.parse import urlencode

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout
from django import forms

from audits.models import ChronologyEntry, TemplateQuestion
from lib.forms import GDSDateField, GDSFormMixin
from lib.uploads import check_spreadsheet_upload


def answer_field_names(question) -> tuple[str, str]:
    return f"q{question.pk}_choice", f"q{question.pk}_text"


def _choices(question, descriptors: dict) -> list:
    """A question's radio choices; a grade's carries its descriptor as its hint (escaped when
    rendered: templates print hints with autoescaping)."""
    if question.kind != TemplateQuestion.Kind.GRADE:
        return question.choices
    return [Choice(value, label, hint=descriptors.get(value, "")) for value, label in question.choices]


class SectionForm(GDSFormMixin, forms.Form):
    """One section of an audit tool: a radio question and an evidence box, or a text answer, per
    question. Nothing is required here: a section may be saved half done; submitting checks.

    ``descriptors`` (grade value to text: ``tool_templates.selectors.grade_descriptors``) are
    shown as the hint of each grade's radio button."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, questions, descriptors=None, **kwargs):
        self.questions = list(questions)
        descriptors = descriptors or {}
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
                    choices=_choices(question, descriptors),
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


class AssignForm(GDSFormMixin, forms.Form):
    """Whom the agency's lead gives its audit tool or chronology to: one of its auditors, or
    nobody (the lead keeps it)."""

    NOBODY = "lead"

    auditor = forms.ChoiceField(
        label="Who should work on this?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose who should work on this",
            "invalid_choice": "Choose who should work on this",
        },
        help_text="They can change it and mark it ready for you. Only you, the agency's lead, can submit it.",
    )

    def __init__(self, *args, auditors, **kwargs):
        super().__init__(*args, **kwargs)
        self.auditors = {str(user.pk): user for user in auditors}
        self.fields["auditor"].choices = [
            *[(pk, f"{user.full_name} ({user.email})") for pk, user in self.auditors.items()],
            (self.NOBODY, "Nobody: keep it with the agency's lead"),
        ]
        self.setup_gds()

    def chosen(self):
        """The chosen auditor, or None for nobody."""
        return self.auditors.get(self.cleaned_data["auditor"])


class ReturnForm(ReturnCommentForm):
    """Returning work: the overall comment, and for an audit tool an optional comment per section."""

    comment = forms.CharField(
        label="Overall comment",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Say what the agency needs to change"},
        help_text="What does the agency need to change? The agency's lead sees this comment. "
        "Do not include names or other identifiers.",
    )

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = list(sections)
        for section in self.sections:
            self.fields[self.section_field(section)] = forms.CharField(
                label=f"{section.title} (optional)",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="What needs to change in this section, if anything.",
            )
        # The overall comment after the sections: it sums them up.
        self.order_fields([*(self.section_field(s) for s in self.sections), "comment"])
        self.setup_gds()

    @staticmethod
    def section_field(section) -> str:
        return f"section_{section.pk}"

    def section_comments(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data.get(self.section_field(s), "") for s in self.sections}


class EntryForm(GDSFormMixin, forms.Form):
    # The entry's revision when the form was opened: a save from an older one is a conflict.
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
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

    def entry_fields(self) -> dict:
        """The entry's fields (the revision aside) for ``entry_save``."""
        return {name: value for name, value in self.cleaned_data.items() if name != "revision"}


class ChronologyImportForm(GDSFormMixin, forms.Form):
    ADD, REPLACE = "add", "replace"
    field_order = ["mode", "entries_file"]

    entries_file = forms.FileField(
        label="Upload the chronology file",
        help_text="A CSV or Excel (.xlsx) file with the columns listed above.",
        error_messages={"required": "Select the chronology file", "empty": "The selected file is empty"},
    )
    mode = forms.ChoiceField(
        label="What should the file's rows do?",
        widget=forms.RadioSelect,
        choices=[
            (ADD, "Add them to the chronology"),
            (REPLACE, "Replace the chronology: delete its entries and keep only the file's rows"),
        ],
        error_messages={
            "required": "Choose whether to add the rows or replace the chronology",
            "invalid_choice": "Choose whether to add the rows or replace the chronology",
        },
        help_text="Either way, you see what will change and confirm it before anything changes.",
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_entries_file(self):
        return check_spreadsheet_upload(self.cleaned_data["entries_file"], max_bytes=self.max_bytes)

    @property
    def replace(self) -> bool:
        return self.cleaned_data["mode"] == self.REPLACE


class ChronologyImportConfirmForm(GDSFormMixin, forms.Form):
    """Confirming a previewed import: which preview (its token), how the chronology looked then
    (its state), and whether to keep rows the chronology already has."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    state = forms.CharField(widget=forms.HiddenInput, max_length=64)
    keep_duplicates = forms.BooleanField(
        required=False,
        label="Keep the duplicates: add these rows again",
        help_text="Only if the events really happened more than once.",
    )

    def __init__(self, *args, duplicates: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not duplicates:
            del self.fields["keep_duplicates"]
            self.setup_gds()

    def keeps_duplicates(self) -> bool:
        return bool(self.cleaned_data.get("keep_duplicates"))


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
