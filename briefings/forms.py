"""Forms for briefings: they validate and normalise; the rules live in the services."""

from django import forms
from django.core.exceptions import ValidationError

from audits.models import AuditRound
from briefings.branding import MAX_BYTES, check_logo
from briefings.models import Briefing
from lib.forms import GDSFormMixin


class BriefingCreateForm(GDSFormMixin, forms.Form):
    format = forms.ChoiceField(
        label="Format",
        choices=Briefing.Format.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the format of the briefing"},
    )
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    introduction = forms.CharField(
        label="Introduction (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    second_round = forms.ModelChoiceField(
        label="Add a round of another area (optional)",
        queryset=AuditRound.objects.none(),
        required=False,
        empty_label="No, only this round",
        help_text="A round of the same period in another area, to brief on both together.",
    )

    def __init__(self, *args, audit_round: AuditRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["second_round"].queryset = (
            AuditRound.objects.filter(period_label=audit_round.period_label)
            .exclude(area=audit_round.area)
            .select_related("area")
        )
        self.fields["second_round"].label_from_instance = lambda r: f"{r.title}, {r.area.name}"
        self.setup_gds()


class BriefingEditForm(GDSFormMixin, forms.ModelForm):
    class Meta:
        model = Briefing
        fields = ["title", "introduction"]
        labels = {"introduction": "Introduction (optional)"}
        widgets = {"introduction": forms.Textarea(attrs={"rows": 6})}
        error_messages = {"title": {"required": "Enter a title"}}


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
