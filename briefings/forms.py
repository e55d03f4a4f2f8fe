"""Forms for briefings: they validate and normalise; the rules live in the services."""

from django import forms
from django.core.exceptions import ValidationError

from audits.models import AuditRound
from briefings.branding import MAX_BYTES, check_logo
from briefings.models import Briefing
from lib.forms import GDSFormMixin
from lib.richtext import HINT


class BriefingCreateForm(GDSFormMixin, forms.Form):
    format = forms.ChoiceField(
        label="Start from",
        choices=Briefing.Format.choices,
        widget=forms.RadioSelect,
        help_text="Each starts with its own sections. You can add, remove, group and order sections afterwards.",
        error_messages={"required": "Select what the briefing starts from"},
    )
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    introduction = forms.CharField(
        label="Introduction (optional)", required=False, help_text=HINT, widget=forms.Textarea(attrs={"rows": 4})
    )
    marking = forms.ChoiceField(
        label="Protective marking",
        choices=Briefing.Marking.choices,
        initial=Briefing.Marking.OFFICIAL_SENSITIVE,
        widget=forms.RadioSelect,
        help_text="Printed at the top and foot of every page. Choose no marking for a briefing meant for every "
        "practitioner.",
        error_messages={"required": "Select a protective marking"},
    )
    other_rounds = forms.ModelMultipleChoiceField(
        label="Other rounds in this briefing (optional)",
        queryset=AuditRound.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For example, the other round of the year, or the same period in another area. Each round has "
        "its own heading.",
    )

    def __init__(self, *args, audit_round: AuditRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other_rounds"].queryset = (
            AuditRound.objects.exclude(pk=audit_round.pk).select_related("area").order_by("-launch_date", "pk")
        )
        self.fields["other_rounds"].label_from_instance = lambda r: f"{r.title} ({r.area.name}, {r.period_label})"
        if not self.fields["other_rounds"].queryset.exists():
            del self.fields["other_rounds"]
        self.setup_gds()


class BriefingEditForm(GDSFormMixin, forms.ModelForm):
    class Meta:
        model = Briefing
        fields = ["title", "introduction", "marking"]
        labels = {"introduction": "Introduction (optional)", "marking": "Protective marking"}
        help_texts = {
            "introduction": HINT,
            "marking": "Printed at the top and foot of every page. Choose no marking for a briefing meant for every "
            "practitioner.",
        }
        widgets = {"introduction": forms.Textarea(attrs={"rows": 6}), "marking": forms.RadioSelect}
        error_messages = {"title": {"required": "Enter a title"}, "marking": {"required": "Select a marking"}}


class ContactForm(GDSFormMixin, forms.Form):
    contact_line = forms.CharField(
        label="Contact line",
        max_length=300,
        required=False,
        help_text="Printed on every briefing, for example: Questions about this briefing: "
        "safeguarding.partnership@example.org, 01632 960000.",
        error_messages={"max_length": "The contact line must be 300 characters or fewer"},
    )


class LogoForm(GDSFormMixin, forms.Form):
    logo = forms.FileField(
        label="Upload a logo",
        help_text="A PNG or SVG file smaller than 512 KB.",
        error_messages={"required": "Select a PNG or SVG file", "empty": "The selected file is empty"},
    )

    def clean_logo(self):
        """Size first (before reading a byte of a large file), then the content: a real PNG or a
        safe SVG, whatever the file's name or the browser's content type say."""
        upload = self.cleaned_data["logo"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The logo must be smaller than 512 KB")
        content = upload.read()
        upload.seek(0)
        try:
            check_logo(content)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return upload
