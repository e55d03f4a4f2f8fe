"""The forms of a round's learning: one point of any kind (strength, finding, key message,
recommendation, good practice) citing any of the round's cases or none, and several points of one
kind typed as a list, one point per list item.

Reflective questions are typed one per line and resource links as "Title | https://..." one per
line: plain textareas work without JavaScript and keep the order people typed. The form checks
each line and names the line that is wrong; the service checks the rules across records. Text is
the source of the small Markdown subset ``lib.richtext`` renders."""

import re
import textwrap

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q

from agencies.models import Agency, Area
from audits.learning.selectors import library_years
from audits.models import Case, LearningPoint, PracticeTheme
from lib.fields import ModelMultipleChoiceField
from lib.forms import GDSFormMixin, Select
from lib.richtext import HINT

QUESTION_MAX = 500
LINK_TITLE_MAX = 200
LINK_URL_MAX = 500
HEADING_MAX = 200
# The text of one point: long enough for a few paragraphs and a list, short enough for a briefing.
TEXT_MAX = 5000
# Points added in one go.
SEVERAL_MAX = 50

DESCRIPTIONS = {
    LearningPoint.Kind.STRENGTH: ("the strength", "What worked well, in the cases or across the round."),
    LearningPoint.Kind.FINDING: ("the finding", "What needs to change, in the cases or across the round."),
    LearningPoint.Kind.KEY_MESSAGE: ("the key message", "What practitioners should take from the cases."),
    LearningPoint.Kind.RECOMMENDATION: ("the recommendation", "What the partnership should do, and who leads it."),
    LearningPoint.Kind.GOOD_PRACTICE: ("the good practice", "What worked well, so that others can do the same."),
}


# A top-level list item: "- ", "* ", "1. " or "1) " at the start of a line (or the marker alone).
ITEM_START = re.compile(r"^(?:[-*]|[0-9]{1,3}[.)])(?:[ \t]+|$)")


def split_items(source: str) -> tuple[str, list[str]]:
    """The text before the first list item, and each top-level list item's Markdown.

    An item starts on a line beginning "- ", "* " or a number and a full stop ("1. "); every
    line that does not start a new item (an indented "  - " line, a wrapped line, a blank line)
    continues the item above, so a nested list stays inside its item. The item's other lines lose
    their common indent (a nested list becomes the item's own list); items with no words are left
    out."""
    before: list[str] = []
    items: list[list[str]] = []
    for line in source.expandtabs(4).splitlines():
        if match := ITEM_START.match(line):
            items.append([line[match.end() :].strip()])
        elif items:
            items[-1].append(line.rstrip())
        else:
            before.append(line)
    texts = []
    for first, *rest in items:
        text = "\n".join([first, *textwrap.dedent("\n".join(rest)).splitlines()]).strip()
        if text:
            texts.append(text)
    return "\n".join(before).strip(), texts


def parse_items(value: str, *, noun: str) -> list[str]:
    """The list items of ``value``, each a point's text; ``noun`` is what each is ("finding").
    Refuses text outside the list, an empty list, too many items and an item too long."""
    before, items = split_items(value)
    start = f'Start each {noun} on its own line with "- " (or "* ", or a number such as "1.")'
    if before:
        raise ValidationError(f"{start}: the text before the first {noun} is not in the list")
    if not items:
        raise ValidationError(f"Enter at least one {noun}. {start}")
    errors = []
    if len(items) > SEVERAL_MAX:
        errors.append(f"Enter up to {SEVERAL_MAX} at a time: there are {len(items)}")
    for number, item in enumerate(items, 1):
        if len(item) > TEXT_MAX:
            errors.append(f"{noun.capitalize()} {number} must be {TEXT_MAX} characters or fewer: it has {len(item)}")
    if errors:
        raise ValidationError(errors)
    return items


def parse_questions(value: str) -> list[str]:
    """One question per line; empty lines are skipped."""
    questions = []
    errors = []
    for number, line in enumerate(value.splitlines(), 1):
        line = " ".join(line.split())
        if not line:
            continue
        if len(line) > QUESTION_MAX:
            errors.append(f"Line {number} of the reflective questions must be {QUESTION_MAX} characters or fewer")
            continue
        questions.append(line)
    if errors:
        raise ValidationError(errors)
    return questions


def parse_links(value: str) -> list[tuple[str, str]]:
    """One link per line as "Title | address"; the address must start http:// or https://."""
    links = []
    errors = []
    check_url = URLValidator(schemes=["http", "https"])
    for number, line in enumerate(value.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        where = f"Line {number} of the resource links"
        title, bar, url = line.rpartition("|")
        title, url = " ".join(title.split()), url.strip()
        if not bar or not title or not url:
            errors.append(f"{where} must be a title, then a | and the web address, like Title | https://example.org")
            continue
        if len(title) > LINK_TITLE_MAX:
            errors.append(f"{where}: the title must be {LINK_TITLE_MAX} characters or fewer")
            continue
        try:
            if len(url) > LINK_URL_MAX:
                raise ValidationError("too long")
            check_url(url)
        except ValidationError:
            errors.append(f"{where}: enter the web address in full, starting https:// or http://")
            continue
        links.append((title, url))
    if errors:
        raise ValidationError(errors)
    return links


class ThemeChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name if obj.is_active else f"{obj.name} (no longer offered)"


class AgencyChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class LearningTagsMixin(forms.Form):
    """The practice themes and agencies a piece of learning is tagged with, as checkboxes. The
    form sets its field order (these come where its layout puts them) and calls ``setup_tags``."""

    themes = ThemeChoiceField(
        queryset=PracticeTheme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Practice themes",
        help_text="Select all that apply.",
    )
    agencies = AgencyChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Agencies concerned",
        help_text="Select all that apply.",
    )

    def setup_tags(self, *, point, agencies) -> None:
        """Offer the active themes and the ``agencies`` given. Themes retired since ``point`` was
        written stay on it (and in the list), ticked or not."""
        kept = list(point.themes.values_list("pk", flat=True)) if point else []
        self.fields["themes"].queryset = PracticeTheme.objects.filter(Q(is_active=True) | Q(pk__in=kept))
        self.fields["agencies"].queryset = agencies


class CaseChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.child_label})"


def heading_field() -> forms.CharField:
    return forms.CharField(
        max_length=HEADING_MAX,
        required=False,
        label="Heading (optional)",
        error_messages={"max_length": f"Heading must be {HEADING_MAX} characters or fewer"},
    )


def text_field() -> forms.CharField:
    return forms.CharField(
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": f"The description must be {TEXT_MAX} characters or fewer"},
    )


def cases_field() -> CaseChoiceField:
    return CaseChoiceField(
        queryset=Case.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Cases it is seen in (optional)",
        help_text="Select all that apply. Leave them all unselected for learning about the round as a whole.",
    )


def items_field() -> forms.CharField:
    """One textarea for several points, one per top-level list item (see ``split_items``)."""
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 12}))


def setup_items(form, *, noun: str, plural: str) -> None:
    field = form.fields["items"]
    field.label = f"{plural.capitalize()}, one per list item"
    field.error_messages["required"] = f"Enter at least one {noun}"
    field.help_text = (
        f'Start each {noun} on a new line with "- " (or "* ", or a number such as "1."); a line that does not '
        f"start one continues the {noun} above. Each becomes its own {noun}, with the themes, cases and agencies "
        f"chosen below. {HINT}"
    )


class RoundLearningForm(GDSFormMixin, LearningTagsMixin):
    """One point of the round's learning. ``evidence_cases`` are the cases it cites (none: the
    round as a whole); the field is left out for a round with no cases, as is "Agencies
    concerned" when no agency takes part."""

    field_order = ["heading", "text", "callout", "questions", "links", "themes", "evidence_cases", "agencies"]

    heading = heading_field()
    text = text_field()
    callout = forms.CharField(
        max_length=300,
        required=False,
        label="Call-out line (optional)",
        help_text="One line to stand out in a briefing.",
        error_messages={"max_length": "Call-out line must be 300 characters or fewer"},
    )
    questions = forms.CharField(
        required=False,
        label="Reflective questions (optional)",
        help_text="Questions for practitioners to think about, one per line, in the order to ask them.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    links = forms.CharField(
        required=False,
        label="Policies, training and services (optional)",
        help_text="One per line: a title, a | and its web address. "
        "For example, Escalation policy | https://www.example.org/escalation",
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )
    evidence_cases = cases_field()

    def __init__(self, *args, kind: str, audit_round, point=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = LearningPoint.Kind(kind)
        what, hint = DESCRIPTIONS[self.kind]
        self.fields["heading"].help_text = f"A few words that sum up {what}, if the text needs them."
        self.fields["text"].label = f"Describe {what}"
        self.fields["text"].error_messages["required"] = f"Describe {what}"
        self.fields["text"].help_text = f"{hint} Refer to children as Child N, with no names or dates of birth. {HINT}"
        self.fields["callout"].help_text = f"One line to stand out in a briefing. {HINT}"
        setup_round_choices(self, audit_round, point=point)
        if self.kind != LearningPoint.Kind.KEY_MESSAGE:
            for name in ("callout", "questions", "links"):
                del self.fields[name]
        self.setup_gds()
        layout = [Field.text("heading"), Field.textarea("text")]
        if self.kind == LearningPoint.Kind.KEY_MESSAGE:
            layout += [Field.textarea("questions"), Field.textarea("links"), Field.text("callout")]
        self.helper.layout = Layout(*layout, *choice_layout(self))

    def clean_questions(self):
        return parse_questions(self.cleaned_data["questions"])

    def clean_links(self):
        return parse_links(self.cleaned_data["links"])

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {
            key: data[key] for key in ("heading", "text", "themes", "evidence_cases", "agencies") if key in data
        }
        if self.kind == LearningPoint.Kind.KEY_MESSAGE:
            arguments |= {"callout": data["callout"], "questions": data["questions"], "links": data["links"]}
        return arguments

    @staticmethod
    def initial_for(point) -> dict:
        return {
            "heading": point.heading,
            "text": point.text,
            "callout": point.callout,
            "questions": "\n".join(question.text for question in point.questions.all()),
            "links": "\n".join(f"{link.title} | {link.url}" for link in point.links.all()),
            "themes": list(point.themes.all()),
            "evidence_cases": list(point.evidence_cases.all()),
            "agencies": list(point.agencies.all()),
        }

    @staticmethod
    def initial_from(source) -> dict:
        """Start from a strength or finding: its words, themes, cited cases (the case it was
        recorded on among them) and agencies."""
        cases = list(source.evidence_cases.all())
        if source.case is not None and source.case not in cases:
            cases.insert(0, source.case)
        return {
            "heading": source.heading,
            "text": source.text,
            "themes": list(source.themes.all()),
            "evidence_cases": cases,
            "agencies": list(source.agencies.all()),
        }


def setup_round_choices(form, audit_round, *, point=None) -> None:
    """The themes, the round's cases and its agencies to choose from; the cases and the agencies
    are left out when the round has none."""
    agencies = Agency.objects.filter(case_agencies__case__round=audit_round).distinct().order_by("name")
    form.setup_tags(point=point, agencies=agencies)
    if not agencies.exists():
        del form.fields["agencies"]
    cases = audit_round.cases.order_by("number")
    if cases.exists():
        form.fields["evidence_cases"].queryset = cases
    else:
        del form.fields["evidence_cases"]


def choice_layout(form) -> list:
    return [
        Field.checkboxes(name, small=True, legend_size=Size.SMALL)
        for name in ("themes", "evidence_cases", "agencies")
        if name in form.fields
    ]


class RoundSeveralForm(GDSFormMixin, LearningTagsMixin):
    """Several points of one kind for the round, one per list item, sharing their themes, cited
    cases and agencies."""

    field_order = ["items", "themes", "evidence_cases", "agencies"]

    items = items_field()
    evidence_cases = cases_field()

    def __init__(self, *args, kind: str, audit_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = LearningPoint.Kind(kind)
        self.noun = NOUNS[self.kind]
        setup_items(self, noun=self.noun[0], plural=self.noun[1])
        setup_round_choices(self, audit_round)
        self.setup_gds()
        self.helper.layout = Layout(Field.textarea("items"), *choice_layout(self))

    def clean_items(self):
        return parse_items(self.cleaned_data["items"], noun=self.noun[0])

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"texts": data["items"]} | {
            key: data[key] for key in ("themes", "evidence_cases", "agencies") if key in data
        }


# What each of a kind is called in the "add several" form: one, many.
NOUNS = {
    LearningPoint.Kind.STRENGTH: ("strength", "strengths"),
    LearningPoint.Kind.FINDING: ("finding", "findings"),
    LearningPoint.Kind.KEY_MESSAGE: ("key message", "key messages"),
    LearningPoint.Kind.RECOMMENDATION: ("recommendation", "recommendations"),
    LearningPoint.Kind.GOOD_PRACTICE: ("piece of good practice", "pieces of good practice"),
}


class LibraryFilterForm(forms.Form):
    """Not a GDSFormMixin form: the template lays the filters out side by side itself."""

    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search the learning",
        help_text="Words from the heading or the text. Every word must match.",
    )
    kind = forms.ChoiceField(required=False, label="Kind of learning", widget=Select)
    theme = forms.ModelChoiceField(
        queryset=PracticeTheme.objects.all(), required=False, label="Practice theme", widget=Select
    )
    area = forms.ModelChoiceField(queryset=Area.objects.all(), required=False, label="Area", widget=Select)
    year = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Year the round launched", widget=Select
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.order_by("name"), required=False, label="Agency", widget=Select
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "All kinds"), *LearningPoint.Kind.choices]
        self.fields["year"].choices = [("", "All years")] + [(year, str(year)) for year in library_years()]
        for name, label in (("theme", "All themes"), ("area", "All areas"), ("agency", "All agencies")):
            self.fields[name].empty_label = label
        self.fields["theme"].label_from_instance = lambda theme: theme.name
        self.fields["agency"].label_from_instance = lambda agency: agency.name
        for name, field in self.fields.items():
            field.error_messages["invalid_choice"] = f"Choose a {field.label.lower()} from the list"
            field.widget.attrs["class"] = "govuk-select" if name != "q" else "govuk-input"

    def filters(self) -> dict:
        """The valid filters; one that is not valid is ignored (and reported on the page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "words": data.get("q") or "",
            "kind": data.get("kind") or "",
            "theme": data.get("theme"),
            "area": data.get("area"),
            "year": data.get("year"),
            "agency": data.get("agency"),
        }


class AcrossRoundsFilterForm(forms.Form):
    """The area and period (from year, to year) of the recurring themes and the agreed grades: a GET
    form, not a GDSFormMixin form (the template lays the filters out side by side). A filter that
    is not valid is ignored and reported on the page."""

    area = forms.ModelChoiceField(queryset=Area.objects.order_by("name"), required=False, label="Area", widget=Select)
    year_from = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="From year", widget=Select)
    year_to = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="To year", widget=Select)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = [(year, str(year)) for year in sorted(library_years())]
        self.fields["area"].empty_label = "All areas"
        self.fields["year_from"].choices = [("", "The first year"), *years]
        self.fields["year_to"].choices = [("", "The latest year"), *years]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = f"Choose {field.label.lower()} from the list"
            field.widget.attrs["class"] = "govuk-select"

    def clean(self):
        data = super().clean()
        year_from, year_to = data.get("year_from"), data.get("year_to")
        if year_from and year_to and year_to < year_from:
            self.add_error("year_to", "The to year must be the same as or after the from year")
        return data

    def filters(self) -> dict:
        """The valid filters; one that is not valid is left out. With the years the wrong way
        round, neither year is used."""
        self.is_valid()
        for name in self.errors:
            widget = self.fields[name].widget
            widget.attrs["class"] = "govuk-select govuk-select--error"
            widget.attrs["aria-describedby"] = f"{self[name].id_for_label}-error"
        data = getattr(self, "cleaned_data", {})
        return {
            "area": data.get("area"),
            "year_from": data.get("year_from") if "year_to" not in self.errors else None,
            "year_to": data.get("year_to"),
        }

    @property
    def filtered(self) -> bool:
        return any(self.filters().values())


class ThemeForm(GDSFormMixin, forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Name",
        help_text="For example, voice of the child.",
        error_messages={"required": "Enter a name for the theme", "max_length": "Name must be 100 characters or fewer"},
    )
    description = forms.CharField(
        max_length=300,
        required=False,
        label="Description (optional)",
        help_text="What the theme covers, in a sentence.",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Description must be 300 characters or fewer"},
    )
    is_active = forms.BooleanField(
        required=False,
        label="Offer this theme when tagging new learning",
        help_text="Untick to retire a theme: learning already tagged with it keeps it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.text("name"), Field.textarea("description"), Field.checkbox("is_active"))
