"""A chronology's spreadsheets: importing an agency's entries, exporting any chronology."""

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from agencies.access_log.downloads import XLSX_TYPE, attachment
from audits.returns import chronology_io
from audits.returns.forms import ChronologyImportForm
from audits.returns.permissions import can_edit, get_chronology_for_user
from audits.returns.services import entries_import
from lib import spreadsheets
from lib.forms import form_data_and_files
from lib.views import save_form


def file_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "agency"


def _import(actor, chronology, upload):
    """Parse and import the file; any refusal is about the file, so it goes on its field."""
    try:
        entries = chronology_io.parse_entries(upload.read(), upload.name)
        return entries_import(actor=actor, chronology=chronology, entries=entries)
    except ValidationError as exc:
        raise ValidationError({"entries_file": exc.messages}) from exc


@require_http_methods(["GET", "POST"])
def chronology_import(request, pk):
    chronology = get_chronology_for_user(request.user, pk, edit=True)
    if not can_edit(request.user, chronology):
        raise PermissionDenied
    form = ChronologyImportForm(*form_data_and_files(request), max_bytes=settings.MAX_UPLOAD_BYTES)
    if save_form(
        request,
        form,
        lambda: _import(request.user, chronology, form.cleaned_data["entries_file"]),
        success=lambda created: f"{len(created)} {'entry' if len(created) == 1 else 'entries'} imported.",
    ):
        return redirect(chronology)
    return render(
        request,
        "returns/chronology_import.html",
        {"form": form, "chronology": chronology, "case": chronology.case, "columns": chronology_io.COLUMNS},
    )


def _export(chronology):
    entries = chronology.entries.order_by("date", "time", "pk")
    name = f"case-{chronology.case.number}-{file_slug(chronology.agency.short_name)}-chronology"
    return entries, name


def _what(chronology, file_format):
    case = chronology.case
    return f"Agency chronology {file_format}, round {case.round_id} case {case.number}, agency {chronology.agency_id}"


@require_GET
def chronology_export_csv(request, pk):
    chronology = get_chronology_for_user(request.user, pk)
    entries, name = _export(chronology)
    content = spreadsheets.to_csv(chronology_io.export_header(), map(chronology_io.entry_row, entries))
    return attachment(request, content, "text/csv; charset=utf-8", f"{name}.csv", what=_what(chronology, "CSV"))


@require_GET
def chronology_export_xlsx(request, pk):
    chronology = get_chronology_for_user(request.user, pk)
    entries, name = _export(chronology)
    content = chronology_io.to_xlsx(
        chronology_io.export_header(), map(chronology_io.entry_row, entries), title="Chronology"
    )
    return attachment(request, content, XLSX_TYPE, f"{name}.xlsx", what=_what(chronology, "XLSX"))
