"""A chronology's spreadsheets: importing an agency's entries, exporting any chronology."""

import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from agencies.access_log.downloads import XLSX_TYPE, attachment
from audits.returns import chronology_io
from audits.returns.forms import ChronologyImportForm
from audits.returns.permissions import get_chronology_for_user
from audits.returns.services import entries_import
from lib import spreadsheets
from lib.forms import form_data_and_files


def file_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "agency"


@require_http_methods(["GET", "POST"])
def chronology_import(request, pk):
    chronology = get_chronology_for_user(request.user, pk, edit=True)
    if not chronology.is_editable:
        raise PermissionDenied
    form = ChronologyImportForm(*form_data_and_files(request), max_bytes=settings.MAX_UPLOAD_BYTES)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["entries_file"]
        try:
            entries = chronology_io.parse_entries(upload.read(), upload.name)
            created = entries_import(actor=request.user, chronology=chronology, entries=entries)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("entries_file", message)
        else:
            count = len(created)
            messages.success(request, f"{count} {'entry' if count == 1 else 'entries'} imported.")
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
