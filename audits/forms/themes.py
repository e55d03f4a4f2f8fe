"""The practice theme form: it tidies what people type; uniqueness is the service's rule."""

from crispy_forms_gds.layout import Field, Layout
from django import forms

from config.forms import GDSFormMixin


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
