from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.db.models import Q

from agencies.models import Agency, Area
from agencies.selectors import agencies_without_lead
from audits.models import STRATA_CHOICES, AuditRound, Case, Need, ToolTemplate
from audits.rounds.candidates import COLUMNS
from lib.fields import ModelMultipleChoiceField
from lib.forms import GDSDateField, GDSFormMixin
from lib.richtext import HINT
from lib.uploads import check_spreadsheet_upload


class AreaChoiceForm(GDSFormMixin, forms.Form):
    area = forms.ModelChoiceField(
        queryset=Area.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Which area is the round for?",
        error_messages={"required": "Select the area the round is for"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("area", legend_size=Size.LARGE, legend_tag="h1"))


class RoundForm(GDSFormMixin, forms.Form):
    theme = forms.CharField(
        max_length=300,
        label="Theme",
        help_text="From the partnership's priorities, for example: neglect and parental substance misuse.",
        error_messages={"required": "Enter the round's theme"},
    )
    title = forms.CharField(max_length=200, label="Title", error_messages={"required": "Enter a title"})
    period_label = forms.CharField(
        max_length=50,
        label="Period",
        help_text="For example, 2026/27 round 1.",
        error_messages={"required": "Enter the period, for example 2026/27 round 1"},
    )
    tool_template = forms.ModelChoiceField(
        queryset=ToolTemplate.objects.all(),
        label="Audit tool template",
        help_text="Agencies fill in this template for each case. Its latest version is fixed when the round opens.",
        empty_label=None,
        error_messages={"required": "Choose the audit tool template"},
    )
    launch_date = GDSDateField(label="Launch date", help_text="For example, 27 4 2027")
    tools_due_date = GDSDateField(label="Date audit tools and chronologies are due")
    meeting_date = GDSDateField(label="Date of the multi-agency meeting")
    learning_due_date = GDSDateField(label="Date the learning summary is due")
    briefing_due_date = GDSDateField(label="Date the briefing is due")

    ORDER_RULES = [
        ("tools_due_date", "launch_date", "after", "The date tools are due must be after the launch date"),
        ("meeting_date", "tools_due_date", "after", "The meeting must be after the date tools are due"),
        ("learning_due_date", "meeting_date", "on or after", "The learning summary cannot be due before the meeting"),
        (
            "briefing_due_date",
            "learning_due_date",
            "on or after",
            "The briefing cannot be due before the learning summary",
        ),
    ]

    def clean(self):
        cleaned = super().clean()
        for later, earlier, rule, message in self.ORDER_RULES:
            a, b = cleaned.get(later), cleaned.get(earlier)
            if a and b and (a <= b if rule == "after" else a < b):
                self.add_error(later, message)
        return cleaned

    def __init__(self, *args, opened=False, **kwargs):
        super().__init__(*args, **kwargs)
        if opened:
            # The template version was fixed when the round opened. The helper was built with
            # every field: rebuilt without this one, or crispy logs a warning with a traceback.
            del self.fields["tool_template"]
            self.setup_gds()
        else:
            self.fields["tool_template"].initial = self.initial.get("tool_template") or (
                ToolTemplate.objects.filter(is_default=True).first()
            )

    @classmethod
    def initial_from(cls, audit_round: AuditRound) -> dict:
        return {name: getattr(audit_round, name) for name in cls.base_fields}


class CaseForm(GDSFormMixin, forms.ModelForm):
    needs = ModelMultipleChoiceField(
        queryset=Need.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Needs",
        help_text="Select all that apply.",
    )

    class Meta:
        model = Case
        fields = ["summary", "age_band", "plan_type", "needs"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "age_band": forms.RadioSelect,
            "plan_type": forms.RadioSelect,
        }
        labels = {"summary": "Anonymised case summary", "age_band": "Age band", "plan_type": "Plan type"}
        help_texts = {"summary": "Refer to the child as Child N, with no names or dates of birth. " + HINT}
        error_messages = {
            "age_band": {"required": "Select the child's age band"},
            "plan_type": {"required": "Select the plan type"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A model's blank choice is not a GOV.UK radio option.
        self.fields["age_band"].choices = Case.AgeBand.choices
        self.fields["plan_type"].choices = Case.PlanType.choices


class IdentifiersForm(GDSFormMixin, forms.Form):
    child_name = forms.CharField(max_length=200, required=False, label="Child's name")
    date_of_birth = GDSDateField(label="Date of birth", required=False, help_text="For example, 31 1 2015")
    record_numbers = forms.CharField(
        required=False,
        max_length=1000,
        label="Agency record numbers",
        help_text="For example, CSC 123456; Police 987654.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NewCaseForm(CaseForm):
    """A case added by hand, with its identifiers in the same transaction."""

    child_name = IdentifiersForm.base_fields["child_name"]
    date_of_birth = IdentifiersForm.base_fields["date_of_birth"]
    record_numbers = IdentifiersForm.base_fields["record_numbers"]

    class Meta(CaseForm.Meta):
        pass


class CaseAgenciesForm(GDSFormMixin, forms.Form):
    agencies = ModelMultipleChoiceField(
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Which agencies take part in this case?",
        help_text="Each agency chosen completes an audit tool and a chronology for the case.",
        error_messages={"required": "Select at least one agency"},
    )

    def __init__(self, *args, current_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.checkboxes("agencies", legend_size=Size.LARGE, legend_tag="h1", small=True))
        agencies = self.fields["agencies"]
        agencies.queryset = Agency.objects.filter(Q(is_active=True) | Q(pk__in=list(current_ids)))
        # Agencies with no active lead are flagged: nobody there would be e-mailed or could submit.
        self.no_lead = agencies_without_lead(agencies.queryset.values_list("pk", flat=True))
        agencies.label_from_instance = self._label
        if self.no_lead:
            agencies.help_text += " An agency marked “no active lead” has nobody to e-mail or to submit its work."

    def _label(self, agency) -> str:
        return f"{agency.name} (no active lead)" if agency.pk in self.no_lead else agency.name


class DrawForm(GDSFormMixin, forms.Form):
    candidate_file = forms.FileField(
        label="Upload the candidate list",
        help_text="A CSV or Excel (.xlsx) file with the columns listed above.",
        error_messages={"required": "Select the candidate list file", "empty": "The selected file is empty"},
    )
    number_of_cases = forms.IntegerField(
        min_value=1,
        max_value=20,
        initial=3,
        label="How many cases?",
        error_messages={
            "required": "Enter how many cases to draw",
            "invalid": "The number of cases must be a whole number, like 4",
            "min_value": "Draw at least 1 case",
            "max_value": "Draw 20 cases or fewer",
        },
        # A text input with the numeric keyboard, as GOV.UK advises (not type="number").
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric", "spellcheck": "false"}),
    )
    strata = forms.MultipleChoiceField(
        choices=STRATA_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Spread the cases across",
        help_text="The draw takes one case from each group in turn, so the sample is a cross-section.",
    )
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=2**62,
        label="Seed (optional)",
        help_text="Leave blank for a new random draw. Enter the seed of an earlier draw, with the same file "
        "and choices, to repeat it exactly.",
        error_messages={"invalid": "The seed must be a whole number", "min_value": "The seed must be 0 or more"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_candidate_file(self):
        return check_spreadsheet_upload(self.cleaned_data["candidate_file"], max_bytes=self.max_bytes)


CANDIDATE_COLUMNS = COLUMNS
