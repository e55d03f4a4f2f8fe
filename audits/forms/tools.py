from django import forms

from audits.models import TemplateQuestion
from config.forms import GDSFormMixin


def answer_field_names(question) -> tuple[str, str]:
    return f"q{question.pk}_choice", f"q{question.pk}_text"


class SectionForm(GDSFormMixin, forms.Form):
    """One section of an audit tool: a radio question and an evidence box, or a text answer, per
    question. Nothing is required here: a section may be saved half done; submitting checks."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, questions, **kwargs):
        self.questions = list(questions)
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
                    choices=question.choices,
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
