"""Forms of the multi-agency meeting. They validate and tidy what people type; the rules that
span records (the end after the start, at most two sittings, written input only with
apologies, agencies of the case) are the service's."""

import datetime
import re

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils import timezone

from agencies.models import Agency
from audits.learning.forms import (
    NOUNS,
    CaseChoiceField,
    LearningTagsMixin,
    heading_field,
    items_field,
    parse_items,
    setup_items,
    text_field,
)
from audits.models import Attendance, Case, LearningPoint, TemplateQuestion
from lib.forms import GDSDateField, GDSFormMixin
from lib.richtext import HINT

TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def parse_time(value: str, label: str) -> datetime.time:
    match = TIME.match(value)
    if not match:
        raise forms.ValidationError(f"Enter the {label} as hours and minutes, like 09:30 or 14:00")
    hours, minutes = int(match[1]), int(match[2])
    if hours > 23 or minutes > 59:
        raise forms.ValidationError(f"The {label} must be a real time, like 09:30 or 14:00")
    return datetime.time(hours, minutes)


class MeetingForm(GDSFormMixin, forms.Form):
    date = GDSDateField(label="Date of the meeting", help_text="For example, 15 7 2027")
    start_time = forms.CharField(
        label="Start time",
        help_text="Use the 24-hour clock, for example 09:30",
        max_length=5,
        error_messages={"required": "Enter the start time"},
    )
    end_time = forms.CharField(
        label="End time",
        help_text="For example, 12:30",
        max_length=5,
        error_messages={"required": "Enter the end time"},
    )
    place = forms.CharField(
        max_length=300,
        required=False,
        label="Place",
        help_text="The room and address, if people meet in person. Leave it empty for an online-only meeting.",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Place must be 300 characters or fewer"},
    )
    online_link = forms.URLField(
        max_length=200,
        required=False,
        label="Online meeting link",
        help_text="The video call address, starting https://. Leave it empty if people only meet in person.",
        error_messages={"invalid": "Enter the online meeting link as a web address, starting https://"},
        assume_scheme="https",
    )
    chair = forms.CharField(
        max_length=200,
        label="Chair",
        help_text="Their name and role.",
        error_messages={"required": "Enter who chairs the meeting"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            "date",
            Field.text("start_time", field_width=5),
            Field.text("end_time", field_width=5),
            Field.textarea("place"),
            Field.text("online_link", spellcheck=False),
            Field.text("chair"),
        )

    def clean_start_time(self):
        return parse_time(self.cleaned_data["start_time"], "start time")

    def clean_end_time(self):
        return parse_time(self.cleaned_data["end_time"], "end time")

    def clean(self):
        data = super().clean()
        london = timezone.get_default_timezone()
        if data.get("date") and data.get("start_time") and data.get("end_time"):
            data["starts_at"] = datetime.datetime.combine(data["date"], data["start_time"], tzinfo=london)
            data["ends_at"] = datetime.datetime.combine(data["date"], data["end_time"], tzinfo=london)
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in ("starts_at", "ends_at", "place", "online_link", "chair")}

    @staticmethod
    def initial_for(meeting) -> dict:
        london = timezone.get_default_timezone()
        starts, ends = meeting.starts_at.astimezone(london), meeting.ends_at.astimezone(london)
        return {
            "date": starts.date(),
            "start_time": starts.strftime("%H:%M"),
            "end_time": ends.strftime("%H:%M"),
            "place": meeting.place,
            "online_link": meeting.online_link,
            "chair": meeting.chair,
        }


class AttendanceForm(GDSFormMixin, forms.Form):
    """One agency's attendance; the page shows one of these per agency, prefixed by its id."""

    status = forms.ChoiceField(choices=Attendance.Status.choices, widget=forms.RadioSelect)
    attendees = forms.CharField(
        required=False,
        label="Who attended",
        help_text="Names and roles, one per line.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    written_input = forms.BooleanField(required=False, label="Sent written input with their apologies")

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, prefix=f"agency-{agency.pk}", **kwargs)
        self.agency = agency
        self.fields["status"].label = f"Did {agency.name} attend?"
        self.fields["status"].error_messages["required"] = f"Select whether {agency.name} attended"
        self.fields["attendees"].label = f"Who attended from {agency.name} (optional)"
        self.fields["written_input"].label = f"{agency.name} sent written input with their apologies"
        self.setup_gds()
        self.helper.layout = Layout(
            Field.radios("status", inline=True, legend_size=Size.SMALL),
            Field.textarea("attendees"),
            Field.checkbox("written_input"),
        )

    def clean(self):
        data = super().clean()
        if data.get("written_input") and data.get("status") and data["status"] != Attendance.Status.APOLOGIES:
            self.add_error(
                "written_input", f"{self.agency.name}: only record written input when the agency sent apologies"
            )
        return data

    def row(self) -> dict:
        return {"agency": self.agency, **self.cleaned_data}

    @staticmethod
    def initial_for(attendance) -> dict:
        if attendance is None:
            return {}
        return {
            "status": attendance.status,
            "attendees": attendance.attendees,
            "written_input": attendance.written_input,
        }


class DiscussionForm(GDSFormMixin, forms.Form):
    notes = forms.CharField(
        required=False,
        label="Discussion notes",
        help_text="What the meeting said about the case. Refer to the child as Child N, with no names.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    agreed_grade = forms.ChoiceField(
        required=False,
        choices=TemplateQuestion.Grade.choices,
        widget=forms.RadioSelect,
        label="Agreed multi-agency grade",
        help_text="The grade all agencies agreed for the multi-agency response to this case.",
    )
    grade_reasons = forms.CharField(
        required=False,
        label="Reasons for the grade",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("notes"),
            Field.radios("agreed_grade", legend_size=Size.MEDIUM),
            Field.textarea("grade_reasons"),
        )


def _setup_case_choices(form, case, *, point=None) -> None:
    """The active themes, the case's agencies, and the round's other cases it may also be seen in
    (left out when the round has no other case)."""
    form.setup_tags(point=point, agencies=Agency.objects.filter(case_agencies__case=case).order_by("name"))
    others = Case.objects.filter(round_id=case.round_id).exclude(pk=case.pk).order_by("number")
    if others.exists():
        form.fields["also_seen_in"].queryset = others
    else:
        del form.fields["also_seen_in"]


def _also_seen_in_field() -> CaseChoiceField:
    return CaseChoiceField(
        queryset=Case.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Also seen in (optional)",
        help_text="Other cases of this round the meeting saw it in. Select all that apply.",
    )


def _choice_layout(form) -> list:
    return [
        Field.checkboxes(name, small=True, legend_size=Size.SMALL)
        for name in ("themes", "also_seen_in", "agencies")
        if name in form.fields
    ]


class LearningPointForm(GDSFormMixin, LearningTagsMixin):
    """A strength or finding of the case; it may be seen in other cases of the round too."""

    field_order = ["heading", "text", "themes", "also_seen_in", "agencies"]

    heading = heading_field()
    text = text_field()
    also_seen_in = _also_seen_in_field()

    def __init__(self, *args, kind: str, case, point=None, **kwargs):
        super().__init__(*args, **kwargs)
        label = LearningPoint.Kind(kind).label.lower()
        self.fields["heading"].help_text = f"A few words that sum up the {label}, if the text needs them."
        self.fields["text"].label = f"Describe the {label}"
        self.fields["text"].error_messages["required"] = f"Describe the {label}"
        self.fields[
            "text"
        ].help_text = f"Refer to the child as Child N, with no names, dates of birth or addresses. {HINT}"
        _setup_case_choices(self, case, point=point)
        self.setup_gds()
        self.helper.layout = Layout(Field.text("heading"), Field.textarea("text"), *_choice_layout(self))

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key, []) for key in ("themes", "agencies", "also_seen_in")} | {
            "heading": data["heading"],
            "text": data["text"],
        }

    @staticmethod
    def initial_for(point) -> dict:
        return {
            "heading": point.heading,
            "text": point.text,
            "themes": list(point.themes.all()),
            "also_seen_in": [case for case in point.evidence_cases.all() if case.pk != point.case_id],
            "agencies": list(point.agencies.all()),
        }


class LearningSeveralForm(GDSFormMixin, LearningTagsMixin):
    """Several strengths or findings of the case, one per list item, sharing their themes, the
    other cases they are seen in and their agencies."""

    field_order = ["items", "themes", "also_seen_in", "agencies"]

    items = items_field()
    also_seen_in = _also_seen_in_field()

    def __init__(self, *args, kind: str, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.noun, plural = NOUNS[LearningPoint.Kind(kind)]
        setup_items(self, noun=self.noun, plural=plural)
        _setup_case_choices(self, case)
        self.setup_gds()
        self.helper.layout = Layout(Field.textarea("items"), *_choice_layout(self))

    def clean_items(self):
        return parse_items(self.cleaned_data["items"], noun=self.noun)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key, []) for key in ("themes", "agencies", "also_seen_in")} | {"texts": data["items"]}


class MeetingPackForm(GDSFormMixin, forms.Form):
    """What the meeting pack's integrated chronologies hold: key events only, or every entry."""

    chronology = forms.ChoiceField(
        label="What should each case's integrated chronology show?",
        widget=forms.RadioSelect,
        choices=[("key", "Key events only"), ("all", "Every entry")],
        initial="key",
        error_messages={
            "required": "Choose whether the chronologies show key events only or every entry",
            "invalid_choice": "Choose whether the chronologies show key events only or every entry",
        },
        help_text="Every entry makes a much longer document.",
    )
