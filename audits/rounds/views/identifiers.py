"""The restricted identifiers pages of a case: the coordinator's, the agency staff's "Child's
details" panel, and ending the agencies' access. Reached only through audits.rounds.identifiers,
every view and change in the access log."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from agencies.access_log.services import client_ip
from audits.rounds.forms import IdentifiersForm
from audits.rounds.identifiers import (
    PURGED_MESSAGE,
    agency_details_end,
    child_details_for_user,
    identifiers_for_user,
    identifiers_save,
)
from audits.rounds.permissions import (
    can_see_child_details,
    can_see_identifiers,
    get_case_for_child_details,
    get_case_for_user,
    require_identifier_access,
)
from audits.rounds.selectors import cases_for_round, participating_agencies
from lib.forms import form_data
from lib.views import run, save_form


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
        {
            "case": case,
            "round": case.round,
            "identifiers": identifiers,
            "can_change": case.round.is_changeable,
            "can_end_agency_details": case.round.agency_details_live,
        },
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


@require_GET
def child_details(request, pk, number):
    """The "Child's details" panel of a case, for the staff of an agency taking part in it: the
    child's name, date of birth and their own agency's record number while the round's agency work
    is live (each view logged); after that, why the child is Child N only now."""
    case = get_case_for_child_details(request.user, pk, number)
    if can_see_identifiers(request.user):
        # Coordinators keep their own page, which shows every identifier.
        return redirect("audits:case-identifiers", pk=case.round_id, number=case.number)
    context = {"case": case, "round": case.round}
    if can_see_child_details(request.user, case):
        context["details"] = child_details_for_user(user=request.user, case=case, origin=client_ip(request))
        context["agency"] = request.user.agency
    else:
        context["ended_early"] = case.round.agency_details_ended_at is not None
    return render(request, "rounds/child_details.html", context)


@require_http_methods(["GET", "POST"])
def case_agency_details_end(request, pk, number):
    """Ending every agency's access to the round's children's details: a GET asks "are you sure"
    (saying who loses what), the POST does it. Reached from a case's identifiers page."""
    case = get_case_for_user(request.user, pk, number, manage=True)
    require_identifier_access(request.user)
    back = redirect("audits:case-identifiers", pk=case.round_id, number=case.number)
    if request.method == "POST":
        run(
            request,
            lambda: agency_details_end(actor=request.user, audit_round=case.round, origin=client_ip(request)),
            success="Agencies can no longer see this round's children's details.",
        )
        return back
    if not case.round.agency_details_live:
        messages.info(request, "Agencies cannot see this round's children's details now: there is nothing to end.")
        return back
    cases = list(cases_for_round(request.user, case.round))
    return render(
        request,
        "rounds/child_details_end.html",
        {"case": case, "round": case.round, "agencies": participating_agencies(cases), "case_count": len(cases)},
    )
