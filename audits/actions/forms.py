"""Forms of the MACA action plan. They validate and tidy what people type; the rules that span
records (the owner works for the lead agency, findings belong to the round) live in the service."""

from urllib.parse import urlencode

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone

from agencies.models import Agency, User
from audits.actions.selectors import PlanFilters
from audits.models import Action
from lib.forms import GDSDateField, GDSFormMixin, Select


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.agency_membership.agency.short_name})"


class ActionForm(GDSFormMixin, forms.Form):
    """Add or change an action. The round's findings come as one group of checkboxes per case."""

    what = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What is to be done",
        error_messages={"required": "Enter what is to be done"},
    )
    lead_agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Lead agency",
        error_messages={"required": "Choose the lead agency"},
    )
    owner_user = OwnerChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="Not a user of this service",
        label="Owner, if they use this service",
        help_text="They must work for the lead agency.",
    )
    owner_name = forms.CharField(
        max_length=200, required=False, label="Owner's name", help_text="If the owner does not use this service."
    )
    owner_role = forms.CharField(max_length=200, required=False, label="Owner's role")
    due_date = GDSDateField(label="Due date", help_text="For example, 31 3 2027")
    at_risk = forms.BooleanField(required=False, label="The due date is at risk")

    def __init__(self, data=None, *, agencies, findings, **kwargs):
        super().__init__(data, **kwargs)
        agencies = list(agencies)
        self.fields["lead_agency"].queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("name")
        self.fields["owner_user"].queryset = (
            User.objects.filter(is_active=True, agency_membership__agency__in=[a.pk for a in agencies])
            .select_related("agency_membership__agency")
            .order_by("agency_membership__agency__name", "full_name")
        )
        groups = {}
        for finding in findings:
            key = f"findings_{finding.case.number}" if finding.case else "findings_round"
            label = str(finding.case) if finding.case else "The round as a whole"
            groups.setdefault(key, (label, []))[1].append((str(finding.pk), finding.heading))
        self.finding_fields = list(groups)
        selected = {str(pk) for pk in self.initial.get("findings", [])}
        for key, (label, choices) in groups.items():
            self.fields[key] = forms.MultipleChoiceField(
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label=f"Findings from {label[0].lower() + label[1:]}" if not key.endswith("round") else label,
                choices=choices,
                initial=[value for value, _ in choices if value in selected],
            )
        self.setup_gds()
        self.helper.layout = Layout(
            Field.textarea("what"),
            Fieldset(
                *[Field.checkboxes(key, small=True) for key in self.finding_fields],
                legend="Which findings does it answer?",
                legend_size=Size.MEDIUM,
            )
            if self.finding_fields
            else Layout(),
            Field.radios("lead_agency", legend_size=Size.SMALL),
            Field.select("owner_user"),
            Field.text("owner_name"),
            Field.text("owner_role"),
            "due_date",
            Field.checkbox("at_risk"),
        )

    def cleaned_findings(self) -> list[int]:
        return [int(value) for key in self.finding_fields for value in self.cleaned_data.get(key, [])]

    def service_arguments(self, findings_by_pk) -> dict:
        data = self.cleaned_data
        return {
            "what": data["what"],
            "findings": [findings_by_pk[pk] for pk in self.cleaned_findings()],
            "lead_agency": data["lead_agency"],
            "owner_user": data["owner_user"],
            "owner_name": data["owner_name"],
            "owner_role": data["owner_role"],
            "due_date": data["due_date"],
            "at_risk": data["at_risk"],
        }

    @staticmethod
    def initial_for(action: Action) -> dict:
        return {
            "what": action.what,
            "findings": [finding.pk for finding in action.findings.all()],
            "lead_agency": action.lead_agency_id,
            "owner_user": action.owner_user_id,
            "owner_name": action.owner_name,
            "owner_role": action.owner_role,
            "due_date": action.due_date,
            "at_risk": action.at_risk,
        }


class ActionUpdateForm(GDSFormMixin, forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="What has been done",
        error_messages={"required": "Enter the progress update"},
    )
    date = GDSDateField(label="Date of the update", help_text="For example, 27 3 2027")
    at_risk = forms.BooleanField(
        required=False, label="The due date is at risk", help_text="The audit team will see the action as amber."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class ProposeCompletionForm(GDSFormMixin, forms.Form):
    evidence_of_completion = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Evidence that the action is complete",
        help_text="For example, the new procedure, its launch date and who has been trained.",
        error_messages={"required": "Enter the evidence that the action is complete"},
    )
    impact = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Impact on children and families",
        help_text="What is different for children and families because of it, and how you know.",
        error_messages={"required": "Enter the impact on children and families"},
    )


class ReasonForm(GDSFormMixin, forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Reason")

    def __init__(self, *args, label: str, required_message: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = required_message
        self.setup_gds()


class PlanFilterForm(GDSFormMixin, forms.Form):
    """The action plan's filters (a GET form). Unknown values are dropped, not reported, so an
    old link still works."""

    # The areas, rounds and lead agencies offered are those of the actions the reader sees, read
    # once by the view (``filter_choices``): the choices are made from those objects, and a chosen
    # one is found among them, so neither rendering nor validating the form reads them again.
    area = forms.ChoiceField(required=False, widget=Select)
    round = forms.ChoiceField(required=False, widget=Select)
    agency = forms.ChoiceField(required=False, label="Lead agency", widget=Select)
    status = forms.ChoiceField(choices=[("", "Any status"), *Action.Status.choices], required=False, widget=Select)
    rag = forms.ChoiceField(choices=[("", "Any"), *Action.Rag.choices], required=False, label="RAG", widget=Select)
    overdue = forms.BooleanField(required=False, label="Overdue only")

    EMPTY_LABELS = {"area": "All areas", "round": "All rounds", "agency": "All agencies"}

    def __init__(self, data=None, *, areas=(), rounds=(), agencies=(), cross_round=True, **kwargs):
        self.items = {
            name: {str(item.pk): item for item in items}
            for name, items in {"area": areas, "round": rounds, "agency": agencies}.items()
        }
        if data is not None:
            data = data.copy()
            allowed = {name: set(items) for name, items in self.items.items()}
            allowed["status"] = set(Action.Status.values)
            allowed["rag"] = set(Action.Rag.values)
            for name, values in allowed.items():
                if data.get(name) not in values:
                    data.pop(name, None)
        super().__init__(data, **kwargs)
        for name, items in self.items.items():
            self.fields[name].choices = [
                ("", self.EMPTY_LABELS[name]),
                *((pk, str(item)) for pk, item in items.items()),
            ]
        if not cross_round:
            del self.fields["area"]
            del self.fields["round"]
        self.setup_gds()
        self.helper.layout = Layout(
            *[Field.select(name) for name in ("area", "round", "agency", "status", "rag") if name in self.fields],
            Field.checkbox("overdue", small=True),
        )

    def chosen(self, name):
        """The area, round or agency chosen (one of those offered), else None."""
        return self.items[name].get(self.cleaned_data.get(name) or "")

    def filters(self) -> PlanFilters:
        if not self.is_bound or not self.is_valid():
            return PlanFilters()
        data = self.cleaned_data
        return PlanFilters(
            area=self.chosen("area"),
            audit_round=self.chosen("round"),
            agency=self.chosen("agency"),
            status=data.get("status") or "",
            rag=data.get("rag") or "",
            overdue=data.get("overdue") or False,
        )

    def query_string(self) -> str:
        """The filters as a query string, for the download links."""
        if not self.is_bound or not self.is_valid():
            return ""
        values = {}
        for name, value in self.cleaned_data.items():
            if value in (None, "", False):
                continue
            values[name] = "on" if value is True else getattr(value, "pk", value)
        return urlencode(values)
