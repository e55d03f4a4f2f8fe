"""The learning library's search and filters: a GET form, so results can be bookmarked and
shared, and every filter works without JavaScript."""

from django import forms

from agencies.models import Agency, Area
from audits.models import LearningPoint, PracticeTheme
from audits.selectors_learning import library_years


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
