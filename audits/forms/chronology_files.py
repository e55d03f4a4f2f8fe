from django import forms

from audits.forms.uploads import check_spreadsheet_upload
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
        return check_spreadsheet_upload(self.cleaned_data["entries_file"], max_bytes=self.max_bytes)
