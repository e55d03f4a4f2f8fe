"""An agency's chronology of a case: entries added in the browser, submitted, decided on."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits.models import WorkStatus
from audits.returns import services as chronology_services
from audits.returns.forms import EntryForm
from audits.returns.permissions import get_chronology_for_user
from audits.returns.views.tools import decide_accept, decide_return
from lib.forms import add_service_errors, form_data


@require_GET
def chronology_detail(request, pk):
    chronology = get_chronology_for_user(request.user, pk)
    membership = request.user.membership
    is_member = membership is not None and membership.agency_id == chronology.agency_id
    return render(
        request,
        "returns/chronologies/chronology_detail.html",
        {
            "chronology": chronology,
            "item": chronology,
            "case": chronology.case,
            "entries": list(chronology.entries.all()),
            "can_edit": is_member and chronology.is_editable,
            "can_submit": is_member and chronology.is_editable and request.user.is_agency_lead,
            "can_decide": request.user.has_perm("audits.manage_rounds") and chronology.status == WorkStatus.SUBMITTED,
            "today": timezone.localdate(),
        },
    )


def _entry_form_page(request, chronology, entry=None):
    if not chronology.is_editable:
        messages.error(request, "This chronology has been submitted and can no longer be changed.")
        return redirect(chronology)
    form = EntryForm(form_data(request), initial=EntryForm.initial_from(entry) if entry else None)
    if request.method == "POST" and form.is_valid():
        try:
            chronology_services.entry_save(actor=request.user, chronology=chronology, entry=entry, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Entry saved." if entry else "Entry added.")
            if "add-another" in request.POST:
                return redirect("audits:entry-add", pk=chronology.pk)
            return redirect(chronology)
    return render(
        request,
        "returns/chronologies/entry_form.html",
        {"form": form, "chronology": chronology, "case": chronology.case, "entry": entry},
    )


@require_http_methods(["GET", "POST"])
def entry_add(request, pk):
    chronology = get_chronology_for_user(request.user, pk, edit=True)
    return _entry_form_page(request, chronology)


@require_http_methods(["GET", "POST"])
def entry_edit(request, pk, entry_pk):
    chronology = get_chronology_for_user(request.user, pk, edit=True)
    entry = get_object_or_404(chronology.entries, pk=entry_pk)
    return _entry_form_page(request, chronology, entry)


@require_http_methods(["GET", "POST"])
def entry_delete(request, pk, entry_pk):
    chronology = get_chronology_for_user(request.user, pk, edit=True)
    entry = get_object_or_404(chronology.entries, pk=entry_pk)
    if request.method == "POST":
        try:
            chronology_services.entry_delete(actor=request.user, entry=entry)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Entry deleted.")
        return redirect(chronology)
    return render(
        request,
        "returns/chronologies/entry_delete.html",
        {"chronology": chronology, "case": chronology.case, "entry": entry},
    )


@require_POST
def chronology_submit(request, pk):
    chronology = get_chronology_for_user(request.user, pk, submit=True)
    try:
        chronology_services.chronology_submit(actor=request.user, chronology=chronology)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Chronology submitted. The audit coordinator has been told.")
    return redirect(chronology)


@require_http_methods(["GET", "POST"])
def chronology_return(request, pk):
    chronology = get_chronology_for_user(request.user, pk, decide=True)
    return decide_return(request, chronology, template_back=chronology.get_absolute_url())


@require_POST
def chronology_accept(request, pk):
    chronology = get_chronology_for_user(request.user, pk, decide=True)
    return decide_accept(request, chronology)
