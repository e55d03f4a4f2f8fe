"""An agency's chronology of a case: entries added in the browser, submitted, decided on."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits.returns import services as chronology_services
from audits.returns.forms import EntryForm
from audits.returns.permissions import can_decide, can_edit, can_submit, get_chronology_for_user
from audits.returns.selectors import is_overdue
from audits.returns.views.decisions import decide_accept, decide_return
from lib.forms import form_data
from lib.views import run, save_form


@require_GET
def chronology_detail(request, pk):
    chronology = get_chronology_for_user(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "returns/chronologies/chronology_detail.html",
        {
            "chronology": chronology,
            "item": chronology,
            "case": chronology.case,
            "entries": list(chronology.entries.all()),
            "can_edit": can_edit(request.user, chronology),
            "can_submit": can_submit(request.user, chronology),
            "can_decide": can_decide(request.user) and chronology.is_submitted,
            "overdue": is_overdue(chronology, today),
            "today": today,
        },
    )


def _entry_form_page(request, chronology, entry=None):
    if not can_edit(request.user, chronology):
        messages.error(request, "This chronology has been submitted and can no longer be changed.")
        return redirect(chronology)
    form = EntryForm(form_data(request), initial=EntryForm.initial_from(entry) if entry else None)
    if save_form(
        request,
        form,
        lambda: chronology_services.entry_save(
            actor=request.user, chronology=chronology, entry=entry, **form.cleaned_data
        ),
        success="Entry saved." if entry else "Entry added.",
    ):
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
        run(
            request,
            lambda: chronology_services.entry_delete(actor=request.user, entry=entry),
            success="Entry deleted.",
        )
        return redirect(chronology)
    return render(
        request,
        "returns/chronologies/entry_delete.html",
        {"chronology": chronology, "case": chronology.case, "entry": entry},
    )


@require_POST
def chronology_submit(request, pk):
    chronology = get_chronology_for_user(request.user, pk, submit=True)
    run(
        request,
        lambda: chronology_services.chronology_submit(actor=request.user, chronology=chronology),
        success="Chronology submitted. The audit coordinator has been told.",
    )
    return redirect(chronology)


@require_http_methods(["GET", "POST"])
def chronology_return(request, pk):
    chronology = get_chronology_for_user(request.user, pk, decide=True)
    return decide_return(request, chronology, template_back=chronology.get_absolute_url())


@require_POST
def chronology_accept(request, pk):
    chronology = get_chronology_for_user(request.user, pk, decide=True)
    return decide_accept(request, chronology)
