"""An agency's chronology of a case: entries added in the browser, submitted, decided on."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits.returns import services as chronology_services
from audits.returns.forms import EntryForm
from audits.returns.permissions import can_edit, can_submit, get_chronology_for_user
from audits.returns.selectors import is_overdue
from audits.returns.views.decisions import decide_accept, decide_return
from lib.forms import as_id, form_data
from lib.views import run, save_form


def _detail_context(request, chronology, **extra):
    today = timezone.localdate()
    return {
        "chronology": chronology,
        "item": chronology,
        "case": chronology.case,
        "entries": list(chronology.entries.all()),
        "can_edit": can_edit(request.user, chronology),
        "can_submit": can_submit(request.user, chronology),
        "overdue": is_overdue(chronology, today),
        "today": today,
        **extra,
    }


@require_GET
def chronology_detail(request, pk):
    chronology = get_chronology_for_user(request.user, pk)
    return render(request, "returns/chronologies/chronology_detail.html", _detail_context(request, chronology))


def _refuse_if_not_editable(request, chronology):
    if can_edit(request.user, chronology):
        return None
    messages.error(request, "This chronology has been submitted and can no longer be changed.")
    return redirect(chronology)


def _entry_form_page(request, chronology, entry=None):
    if refused := _refuse_if_not_editable(request, chronology):
        return refused
    form = EntryForm(form_data(request), initial=EntryForm.initial_from(entry) if entry else None)
    if entry:
        form.fields["revision"].required = True
    conflict = None
    try:
        saved = save_form(
            request,
            form,
            lambda: chronology_services.entry_save(
                actor=request.user,
                chronology=chronology,
                entry=entry,
                revision=form.cleaned_data["revision"] if entry else None,
                **form.entry_fields(),
            ),
            success="Entry saved." if entry else "Entry added.",
        )
    except chronology_services.EntryConflictError as exc:
        # Nothing was saved: show what the other person saved beside what this person typed,
        # and let them save again from the new revision.
        conflict = exc.entry
        data = request.POST.copy()
        data["revision"] = conflict.revision
        form = EntryForm(data, initial=EntryForm.initial_from(entry))
        form.fields["revision"].required = True
        form.is_valid()
        form.add_error(
            None,
            "Someone else saved this entry while you were changing it. Nothing you typed has been saved "
            "yet: compare your version with theirs below, then save again.",
        )
    else:
        if saved:
            if "add-another" in request.POST:
                return redirect("audits:entry-add", pk=chronology.pk)
            return redirect(chronology)
    return render(
        request,
        "returns/chronologies/entry_form.html",
        {"form": form, "chronology": chronology, "case": chronology.case, "entry": entry, "conflict": conflict},
    )


@require_http_methods(["GET", "POST"])
def entry_add(request, pk):
    chronology = get_chronology_for_user(request.user, pk, edit=True)
    return _entry_form_page(request, chronology)


@require_http_methods(["GET", "POST"])
def entry_edit(request, pk, entry_pk):
    chronology = get_chronology_for_user(request.user, pk, edit=True)
    entry = chronology.entries.select_related("updated_by").filter(pk=entry_pk).first()
    if entry is None and request.method == "POST" and can_edit(request.user, chronology):
        if "save-as-new" in request.POST:
            return _entry_form_page(request, chronology)
        # Deleted while this person was changing it: keep what they typed, to save as a new entry.
        form = EntryForm(request.POST)
        form.is_valid()
        form.add_error(
            None,
            "Someone deleted this entry while you were changing it. What you typed is below: "
            "save it as a new entry if it is still needed.",
        )
        context = {"form": form, "chronology": chronology, "case": chronology.case, "entry": None, "deleted": True}
        return render(request, "returns/chronologies/entry_form.html", context)
    if entry is None:
        raise Http404
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


def _selected_revisions(values) -> dict[int, int]:
    """``{entry pk: revision}`` from the confirmation form's "pk:revision" values (others dropped)."""
    revisions = {}
    for value in values:
        pk, _, revision = str(value).partition(":")
        if as_id(pk) is not None and as_id(revision) is not None:
            revisions[as_id(pk)] = as_id(revision)
    return revisions


@require_http_methods(["GET", "POST"])
def entries_delete(request, pk):
    """Deleting the entries selected on the chronology page: a GET lists them and asks, the POST
    deletes them (refused if any changed since the list was shown)."""
    chronology = get_chronology_for_user(request.user, pk, edit=True)
    if refused := _refuse_if_not_editable(request, chronology):
        return refused
    if request.method == "POST":
        revisions = _selected_revisions(request.POST.getlist("entry"))
        run(
            request,
            lambda: chronology_services.entries_delete(actor=request.user, chronology=chronology, revisions=revisions),
            success=lambda count: f"{count} {'entry' if count == 1 else 'entries'} deleted.",
        )
        return redirect(chronology)
    ids = [pk for pk in map(as_id, request.GET.getlist("entry")) if pk is not None]
    entries = list(chronology.entries.filter(pk__in=ids)) if ids else []
    if not entries:
        context = _detail_context(request, chronology, select_error="Select the entries you want to delete")
        return render(request, "returns/chronologies/chronology_detail.html", context)
    return render(
        request,
        "returns/chronologies/entries_delete.html",
        {"chronology": chronology, "case": chronology.case, "entries": entries},
    )


@require_POST
def chronology_submit(request, pk):
    chronology = get_chronology_for_user(request.user, pk, submit=True)
    if run(request, lambda: chronology_services.chronology_submit(actor=request.user, chronology=chronology)):
        return redirect("audits:return-submitted", kind="chronologies", pk=chronology.pk)
    return redirect(chronology)


@require_http_methods(["GET", "POST"])
def chronology_return(request, pk):
    chronology = get_chronology_for_user(request.user, pk, decide=True)
    return decide_return(request, chronology, template_back=chronology.get_absolute_url())


@require_POST
def chronology_accept(request, pk):
    chronology = get_chronology_for_user(request.user, pk, decide=True)
    return decide_accept(request, chronology)
