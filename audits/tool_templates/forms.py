"""Forms for managing audit tool templates: the template, its sections and its questions."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from audits.models import TemplateQuestion
from lib.forms import GDSFormMixin

START_EMPTY = "empty"


class TemplateForm(GDSFormMixin, forms.Form):
    name = forms.CharField(
        max_length=200,
        label="Name",
        help_text="For example, neglect audit tool. Agencies see this name on every audit tool.",
        error_messages={
            "required": "Enter a name for the template",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    description = forms.CharField(
        required=False,
        label="Description (optional)",
        help_text="What the template is for and when to use it.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NewTemplateForm(TemplateForm):
    start = forms.ChoiceField(
        widget=forms.RadioSelect,
        label="How do you want to start?",
        error_messages={"required": "Select how you want to start the template"},
    )

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Template names are typed by people; radio labels are escaped when rendered.
        self.fields["start"].choices = [(START_EMPTY, "Start empty, with one section")] + [
            (str(t.pk), f"Copy {t.name}") for t in templates
        ]
        self.templates = {str(t.pk): t for t in templates}
        self.helper.layout = Layout("name", "description", Field.radios("start", legend_size=Size.MEDIUM))

    def clean_start(self):
        value = self.cleaned_data["start"]
        return None if value == START_EMPTY else self.templates[value]


class SectionForm(GDSFormMixin, forms.Form):
    title = forms.CharField(
        max_length=200,
        label="Section title",
        error_messages={
            "required": "Enter a title for the section",
            "max_length": "Section title must be 200 characters or fewer",
        },
    )
    guidance = forms.CharField(
        required=False,
        label="Guidance (optional)",
        help_text="Shown to agencies at the start of the section.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QuestionForm(GDSFormMixin, forms.Form):
    prompt = forms.CharField(
        max_length=300,
        label="Question",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the question", "max_length": "Question must be 300 characters or fewer"},
    )
    guidance = forms.CharField(
        required=False,
        label="Guidance (optional)",
        help_text="Shown under the question, to help agencies answer it.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    kind = forms.ChoiceField(
        choices=TemplateQuestion.Kind.choices,
        widget=forms.RadioSelect,
        label="How is it answered?",
        help_text="Graded and yes or no answers also have a box for the evidence.",
        error_messages={"required": "Select how the question is answered"},
    )
    required = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="Must agencies answer it before they submit?",
        error_messages={"required": "Select yes if agencies must answer the question"},
    )

    def __init__(self, *args, question: TemplateQuestion | None = None, **kwargs):
        if question is not None:
            kwargs.setdefault(
                "initial",
                {
                    "prompt": question.prompt,
                    "guidance": question.guidance,
                    "kind": question.kind,
                    "required": "yes" if question.required else "no",
                },
            )
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout("prompt", "guidance", Field.radios("kind"), Field.radios("required", inline=True))


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class GradeDescriptorsForm(GDSFormMixin, forms.Form):
    """What each grade means in this template: one box per grade of the scale."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, descriptors: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for grade, label in TemplateQuestion.Grade.choices:
            self.fields[grade] = forms.CharField(
                required=False,
                max_length=1000,
                label=label,
                help_text=f"What {label.lower()} looks like. Leave it empty to show no description of it.",
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"max_length": f"The description of {label.lower()} must be 1000 characters or fewer"},
            )
            if descriptors is not None:
                self.fields[grade].initial = descriptors.get(grade, "")
        self.setup_gds()

    def descriptors(self) -> dict:
        return {grade: self.cleaned_data[grade] for grade in TemplateQuestion.Grade.values}
