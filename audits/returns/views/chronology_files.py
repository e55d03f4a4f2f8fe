"""A chronology's spreadsheets: importing an agency's entries, exporting any chronology."""

import json
import re
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from agencies.access_log.downloads import XLSX_TYPE, attachment
from audits.returns import chronology_io, import_tasks
from audits.returns.forms import ChronologyImportConfirmForm, ChronologyImportForm
from audits.returns.permissions import can_edit, get_chronology_for_user, get_chronology_import_for_user
from audits.returns.services import entries_import
from lib import spreadsheets
from lib.forms import form_data, form_data_and_files
from lib.views import save_form


def file_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "agency"


# Between the upload and the confirmation, the parsed rows wait in the session (server side, in
# the database, gone when the session ends), never in a URL, a form or a log. One import waits at
# a time per session, under a random token that the preview's form sends back, so confirming a
# preview that another upload has since replaced is refused.
PENDING_IMPORT = "chronology_import"


def _parse(upload):
    """The file's rows; any refusal is about the file, so it goes on its field."""
    try:
        return chronology_io.parse_entries(upload.read(), upload.name)
    except ValidationError as exc:
        raise ValidationError({"entries_file": exc.messages}) from exc


def _keep_pending(request, chronology, rows, *, replace: bool) -> None:
    stored = chronology_io.rows_to_stored(rows)
    if len(json.dumps(stored)) > 2 * settings.MAX_UPLOAD_BYTES:
        raise ValidationError({"entries_file": "The file is too large to import at once: split it into smaller files"})
    request.session[PENDING_IMPORT] = {
        "chronology": chronology.pk,
        "token": secrets.token_urlsafe(24),
        "replace": replace,
        "rows": stored,
    }


def _pending(request, chronology):
    """The import waiting for this chronology in the session: ``(token, replace, rows)``, or None."""
    pending = request.session.get(PENDING_IMPORT)
    if not isinstance(pending, dict) or pending.get("chronology") != chronology.pk:
        return None
    try:
        return str(pending["token"]), bool(pending["replace"]), chronology_io.rows_from_stored(pending["rows"])
    except (KeyError, TypeError, ValueError):
        return None


def _forget_pending(request) -> None:
    request.session.pop(PENDING_IMPORT, None)


def _require_editable(request, chronology) -> None:
    if not can_edit(request.user, chronology):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def chronology_import(request, pk):
    chronology = get_chronology_for_user(request.user, pk, edit=True)
    _require_editable(request, chronology)
    form = ChronologyImportForm(*form_data_and_files(request), max_bytes=settings.MAX_UPLOAD_BYTES)
    if save_form(
        request,
        form,
        lambda: _keep_pending(request, chronology, _parse(form.cleaned_data["entries_file"]), replace=form.replace),
    ):
        return redirect("audits:chronology-import-preview", pk=chronology.pk)
    return render(
        request,
        "returns/chronology_import.html",
        {
            "form": form,
            "chronology": chronology,
            "case": chronology.case,
            "columns": chronology_io.COLUMNS,
            "entry_count": chronology.entries.count(),
        },
    )


def _shown(rows):
    """Rows as the preview shows them (the event type's label beside its value)."""
    return [{**row, "event_label": chronology_io.row_event_label(row)} for row in rows]


@require_http_methods(["GET", "POST"])
def chronology_import_preview(request, pk):
    """What the uploaded file will do to the chronology; nothing changes until the POST confirms."""
    chronology = get_chronology_for_user(request.user, pk, edit=True)
    _require_editable(request, chronology)
    pending = _pending(request, chronology)
    if pending is None:
        messages.error(request, "There is no file waiting to be imported, or it has expired: upload it again.")
        return redirect("audits:chronology-import", pk=chronology.pk)
    token, replace, rows = pending
    if request.method == "POST" and "cancel" in request.POST:
        _forget_pending(request)
        messages.success(request, "Import cancelled. Nothing was changed.")
        return redirect(chronology)
    plan = chronology_io.plan_import(chronology.entries.all(), rows, replace=replace)
    duplicates = bool(plan.duplicates)
    form = ChronologyImportConfirmForm(
        form_data(request), initial={"token": token, "state": plan.state}, duplicates=duplicates
    )
    if request.method == "POST" and form.is_valid() and form.cleaned_data["token"] != token:
        form.add_error(
            None, "You uploaded another file since this preview was shown. Check this preview, then confirm."
        )
    elif import_tasks.runs_in_background(rows):
        # Too many rows to import within a request: queued, and followed on its status page.
        if saved := save_form(
            request,
            form,
            lambda: import_tasks.chronology_import_queue(
                actor=request.user,
                chronology=chronology,
                entries=rows,
                replace=replace,
                keep_duplicates=form.keeps_duplicates(),
                seen_state=form.cleaned_data["state"],
            ),
        ):
            _forget_pending(request)
            return redirect(saved.result)
    elif save_form(
        request,
        form,
        lambda: entries_import(
            actor=request.user,
            chronology=chronology,
            entries=rows,
            replace=replace,
            keep_duplicates=form.keeps_duplicates(),
            seen_state=form.cleaned_data["state"],
        ),
        success=_imported,
    ):
        _forget_pending(request)
        return redirect(chronology)
    if form.is_bound and form.errors:
        # Show the preview as it is now, to be confirmed from here.
        data = request.POST.copy()
        data["token"], data["state"] = token, plan.state
        errors = form.errors
        form = ChronologyImportConfirmForm(data, duplicates=duplicates)
        form.is_valid()
        for error in errors.get("__all__", []):
            form.add_error(None, error)
    return render(
        request,
        "returns/chronology_import_preview.html",
        {
            "form": form,
            "chronology": chronology,
            "case": chronology.case,
            "replace": replace,
            "to_add": _shown(plan.to_add),
            "duplicates": _shown(plan.duplicates),
            "to_remove": plan.to_remove,
        },
    )


@require_GET
def chronology_import_status(request, pk, import_pk):
    """How a queued import is going: being imported (refresh to see), imported, or not imported."""
    job = get_chronology_import_for_user(request.user, pk, import_pk)
    return render(
        request,
        "returns/chronology_import_status.html",
        {
            "job": job,
            "chronology": job.chronology,
            "case": job.chronology.case,
            "result": _imported(job) if job.is_done else "",
            "can_import_again": job.is_failed and can_edit(request.user, job.chronology),
        },
    )


def _entries(count: int) -> str:
    return f"{count} {'entry' if count == 1 else 'entries'}"


def _imported(result) -> str:
    parts = [f"{_entries(result.added)} imported."]
    if result.removed:
        parts.append(f"{_entries(result.removed)} removed.")
    if result.skipped:
        were = "was" if result.skipped == 1 else "were"
        parts.append(f"{_entries(result.skipped)} already in the chronology {were} not added again.")
    return " ".join(parts)


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
