"""The restricted identifiers pages of a case: reached only through audits.rounds.identifiers,
every view and change in the access log."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from agencies.access_log.services import client_ip
from audits.rounds.forms import IdentifiersForm
from audits.rounds.identifiers import PURGED_MESSAGE, identifiers_for_user, identifiers_save
from audits.rounds.permissions import get_case_for_user, require_identifier_access
from lib.forms import form_data
from lib.views import save_form


@require_GET
def case_identifiers(request, pk, number):
    case = get_case_for_user(request.user, pk, number, manage=True)
    require_identifier_access(request.user)
    if case.round.identifiers_purged_at is not None:
        # Destroyed under retention: nothing to show, and nothing to record as viewed.
        return render(
            request,
            "rounds/case_identifiers.html",
            {
                "case": case,
                "round": case.round,
                "destroyed": True,
                "retention_days": settings.RETENTION_DAYS_AFTER_CLOSE,
            },
        )
    identifiers = identifiers_for_user(user=request.user, case=case, origin=client_ip(request))
    return render(
        request,
        "rounds/case_identifiers.html",
        {"case": case, "round": case.round, "identifiers": identifiers, "can_change": case.round.is_changeable},
    )


@require_http_methods(["GET", "POST"])
def case_identifiers_edit(request, pk, number):
    case = get_case_for_user(request.user, pk, number, manage=True)
    require_identifier_access(request.user)
    if case.round.identifiers_purged_at is not None:
        messages.error(request, PURGED_MESSAGE)
        return redirect("audits:case-identifiers", pk=case.round_id, number=case.number)
    initial = {}
    if request.method == "GET":
        # Only a blank form shows the stored values (a submitted one shows what was typed), so
        # only then are they read, and the view recorded.
        identifiers = identifiers_for_user(user=request.user, case=case, origin=client_ip(request))
        initial = {
            "child_name": identifiers.child_name,
            "date_of_birth": identifiers.date_of_birth,
            "record_numbers": identifiers.record_numbers,
        }
    form = IdentifiersForm(form_data(request), initial=initial)
    saved = save_form(
        request,
        form,
        lambda: identifiers_save(actor=request.user, case=case, origin=client_ip(request), **form.cleaned_data),
        success=f"Restricted identifiers for {case} saved.",
    )
    if saved:
        return redirect("audits:case-identifiers", pk=case.round_id, number=case.number)
    return render(request, "rounds/case_identifiers_form.html", {"form": form, "case": case, "round": case.round})
