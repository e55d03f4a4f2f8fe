"""Work inside an agency: its lead gives an audit tool or chronology to one of its auditors (or
takes it back), and the auditor marks it ready for the lead, who alone submits it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from audits.returns import lifecycle, selectors
from audits.returns.forms import AssignForm
from audits.returns.permissions import can_assign, can_mark_ready, get_return_for_user
from lib.forms import form_data
from lib.views import run, save_form


@require_http_methods(["GET", "POST"])
def return_assign(request, kind, pk):
    item = get_return_for_user(request.user, kind, pk, submit=True)
    if not can_assign(request.user, item):
        messages.error(request, f"This {selectors.kind_label(item)} has been submitted and can no longer be assigned.")
        return redirect(item)
    auditors = selectors.assignable_auditors(item)
    initial = {"auditor": str(item.assigned_to_id) if item.assigned_to_id else AssignForm.NOBODY}
    form = AssignForm(form_data(request), initial=initial, auditors=auditors)

    def success(saved):
        if saved.assigned_to:
            return f"{saved.assigned_to.full_name} can now work on the {selectors.kind_label(saved)}."
        return f"The {selectors.kind_label(saved)} is no longer assigned to an auditor."

    if save_form(
        request,
        form,
        lambda: lifecycle.return_assign(actor=request.user, item=item, auditor=form.chosen()),
        success=success,
    ):
        return redirect(item)
    return render(
        request,
        "returns/tools/assign_form.html",
        {"form": form, "item": item, "case": item.case, "label": selectors.kind_label(item), "auditors": auditors},
    )


@require_http_methods(["GET", "POST"])
def return_ready(request, kind, pk):
    """Are you sure? (GET: the agency's leads will be e-mailed), then mark it ready (POST)."""
    item = get_return_for_user(request.user, kind, pk, edit=True)
    if not can_mark_ready(request.user, item):
        messages.error(request, f"This {selectors.kind_label(item)} cannot be marked ready for the lead now.")
        return redirect(item)
    if request.method == "POST":
        run(
            request,
            lambda: lifecycle.return_mark_ready(actor=request.user, item=item),
            success=f"The {selectors.kind_label(item)} is marked ready. Your agency's lead has been e-mailed.",
        )
        return redirect(item)
    return render(
        request,
        "returns/tools/ready_confirm.html",
        {"item": item, "case": item.case, "label": selectors.kind_label(item), "leads": selectors.agency_leads(item)},
    )
