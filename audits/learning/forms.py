"""The form of a round's learning across cases: key messages, recommendations, good practice.

Reflective questions are typed one per line and resource links as "Title | https://..." one per
line: plain textareas work without JavaScript and keep the order people typed. The form checks
each line and names the line that is wrong; the service checks the rules across records."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q

from agencies.models import Agency, Area
from audits.learning.selectors import library_years
from audits.models import Case, LearningPoint, PracticeTheme
from lib.fields import ModelMultipleChoiceField
from lib.forms import GDSFormMixin

QUESTION_MAX = 500


LINK_TITLE_MAX = 200


LINK_URL_MAX = 500


DESCRIPTIONS = {
    LearningPoint.Kind.KEY_MESSAGE: ("the key message", "What practitioners should take from the cases."),
    LearningPoint.Kind.RECOMMENDATION: ("the recommendation", "What the partnership should do, and who leads it."),
    LearningPoint.Kind.GOOD_PRACTICE: ("the good practice", "What worked well, so that others can do the same."),
}


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


class RoundLearningForm(GDSFormMixin, LearningTagsMixin):
    field_order = ["heading", "text", "callout", "questions", "links", "themes", "evidence_cases", "agencies"]

    heading = forms.CharField(
        max_length=200,
        label="Heading",
        error_messages={"required": "Enter a heading", "max_length": "Heading must be 200 characters or fewer"},
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}))
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
    evidence_cases = CaseChoiceField(
        queryset=Case.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Cases that evidence it",
        help_text="Select all that apply.",
    )

    def __init__(self, *args, kind: str, audit_round, point=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = LearningPoint.Kind(kind)
        what, hint = DESCRIPTIONS[self.kind]
        self.fields["heading"].help_text = f"A few words that sum up {what}."
        self.fields["text"].label = f"Describe {what}"
        self.fields["text"].error_messages["required"] = f"Describe {what}"
        self.fields["text"].help_text = f"{hint} Refer to children as Child N, with no names or dates of birth."
        self.setup_tags(
            point=point,
            agencies=Agency.objects.filter(case_agencies__case__round=audit_round).distinct().order_by("name"),
        )
        self.fields["evidence_cases"].queryset = audit_round.cases.order_by("number")
        if self.kind != LearningPoint.Kind.KEY_MESSAGE:
            for name in ("callout", "questions", "links"):
                del self.fields[name]
        self.setup_gds()
        layout = [Field.text("heading"), Field.textarea("text")]
        if self.kind == LearningPoint.Kind.KEY_MESSAGE:
            layout += [Field.textarea("questions"), Field.textarea("links"), Field.text("callout")]
        layout += [
            Field.checkboxes("themes", small=True, legend_size=Size.SMALL),
            Field.checkboxes("evidence_cases", small=True, legend_size=Size.SMALL),
            Field.checkboxes("agencies", small=True, legend_size=Size.SMALL),
        ]
        self.helper.layout = Layout(*layout)

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
        """Start from a strength or finding the meeting recorded: its words, themes, case and agencies."""
        return {
            "heading": source.heading,
            "text": source.text,
            "themes": list(source.themes.all()),
            "evidence_cases": [source.case],
            "agencies": list(source.agencies.all()),
        }


class LibraryFilterForm(forms.Form):
    """Not a GDSFormMixin form: the template lays the filters out side by side itself."""

    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search the learning",
        help_text="Words from the heading or the text. Every word must match.",
    )
    kind = forms.ChoiceField(required=False, label="Kind of learning")
    theme = forms.ModelChoiceField(queryset=PracticeTheme.objects.all(), required=False, label="Practice theme")
    area = forms.ModelChoiceField(queryset=Area.objects.all(), required=False, label="Area")
    year = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Year the round launched")
    agency = forms.ModelChoiceField(queryset=Agency.objects.order_by("name"), required=False, label="Agency")

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
