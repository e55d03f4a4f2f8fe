from django import forms

from config.forms import GDSFormMixin


class ChronologyImportForm(GDSFormMixin, forms.Form):
    entries_file = forms.FileField(
        label="Upload the chronology file",
        help_text="A CSV or Excel (.xlsx) file with the columns listed above.",
        error_messages={"required": "Select the chronology file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_entries_file(self):
        upload = self.cleaned_data["entries_file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(f"The file must be smaller than {self.max_bytes // (1024 * 1024)} MB")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a CSV or an Excel workbook (.xlsx)")
        return upload
