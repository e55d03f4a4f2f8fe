"""The checks every spreadsheet upload passes before anything reads it for its meaning: its size,
its name, and its content (a real workbook or a text CSV, readable to the end).

Content decides, not the name or the browser's content type: an ``.xlsx`` must be a zip holding
the workbook's parts; a ``.csv`` must be text. The whole file is then read once here, so a
workbook that is broken inside (a damaged part, a missing sheet) is refused with a message
instead of failing later in the importer."""

import io
import re
import zipfile

from django import forms
from django.core.exceptions import ValidationError

from lib.spreadsheets import read_rows

WORKBOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
NOT_A_WORKBOOK = "The file is not a real Excel workbook: save it again as .xlsx or as .csv"
UNREADABLE_WORKBOOK = "The file could not be read as an Excel workbook (.xlsx): save it again, or as .csv"
NOT_TEXT = "The file is not a text CSV file: save it again as CSV"
# Control characters no spreadsheet writes into a CSV (tab, line feed and carriage return aside).
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_spreadsheet_upload(upload, *, max_bytes: int):
    """The upload if it is a CSV or XLSX file within ``max_bytes`` whose content matches its name."""
    if upload.size > max_bytes:
        raise forms.ValidationError(f"The file must be smaller than {max_bytes // (1024 * 1024)} MB")
    name = (upload.name or "").lower()
    if not name.endswith((".csv", ".xlsx")):
        raise forms.ValidationError("The file must be a CSV or an Excel workbook (.xlsx)")
    data = upload.read()
    upload.seek(0)
    if name.endswith(".xlsx"):
        _check_workbook_parts(data)
    elif not data.startswith(b"PK\x03\x04") and _CONTROL.search(data):
        raise forms.ValidationError(NOT_TEXT)
    try:
        read_rows(data, upload.name)
    except ValidationError:
        raise
    except Exception as exc:
        # openpyxl reports a workbook damaged inside with whatever its parser met (XML errors,
        # IndexError, TypeError, ...): all of them mean the same thing to the person uploading.
        raise forms.ValidationError(UNREADABLE_WORKBOOK) from exc
    return upload


def _check_workbook_parts(data: bytes) -> None:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise forms.ValidationError(NOT_A_WORKBOOK)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise forms.ValidationError(NOT_A_WORKBOOK) from exc
    if not all(part in names for part in WORKBOOK_PARTS):
        raise forms.ValidationError(NOT_A_WORKBOOK)
