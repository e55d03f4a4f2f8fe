"""The round pages: the list, planning, a round and its stages, cases, draws."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from agencies.access_log.services import client_ip
from agencies.models import Area
from agencies.permissions import can_view_all_rounds, is_coordinator
from audits.meetings.selectors import round_meeting_panel
from audits.models import AuditRound, Case
from audits.rounds import services
from audits.rounds.forms import (
    CANDIDATE_COLUMNS,
    AreaChoiceForm,
    CaseAgenciesForm,
    CaseForm,
    DrawForm,
    NewCaseForm,
    RoundForm,
)
from audits.rounds.identifiers import candidates_for_user
from audits.rounds.permissions import (
    can_open_integrated_chronology,
    can_see_identifiers,
    get_case_for_user,
    get_draw_for_user,
    get_round_for_user,
    require_identifier_access,
    require_round_access,
    require_round_management,
)
from audits.rounds.selectors import (
    ROUND_LIST_COLUMNS,
    ROUND_LIST_DEFAULT,
    agencies_without_lead_among,
    case_returns_for_user,
    cases_for_round,
    confirmed_draws,
    participating_agencies,
    round_invitations,
    round_outstanding,
    round_task_list,
    round_years,
    rounds_for_list,
)
from lib.forms import as_year, form_data, form_data_and_files
from lib.sorting import sorting
from lib.views import run, save_form


@require_GET
def round_list(request):
    require_round_access(request.user)
    areas = list(Area.objects.all())
    area = next((a for a in areas if str(a.pk) == request.GET.get("area")), None)
    year = as_year(request.GET.get("year"))
    status = request.GET.get("status")
    status = status if status in AuditRound.Status.values else None
    order = sorting(request, ROUND_LIST_COLUMNS, default=ROUND_LIST_DEFAULT)
    rounds = rounds_for_list(request.user, area=area, year=year, status=status, order=order)
    today = timezone.localdate()
    rows = [{"round": r, "next": r.next_milestone(today)} for r in rounds]
    return render(
        request,
        "rounds/round_list.html",
        {
            "rows": rows,
            "areas": areas,
            "years": round_years(request.user),
            "statuses": AuditRound.Status.choices,
            "selected": {"area": area, "year": year, "status": status},
            "filtered": bool(area or year or status),
            "headers": order.headers(),
            "sorted_by": order.current(),
            # Agency staff see their own agency's returns only (rounds_for_list).
            "returns_of_all_agencies": can_view_all_rounds(request.user),
            "can_plan": is_coordinator(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def round_plan(request):
    """Step 1 of planning: choose the area (the proposal depends on its last round)."""
    require_round_management(request.user)
    form = AreaChoiceForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        return redirect("audits:round-plan-details", area_pk=form.cleaned_data["area"].pk)
    return render(request, "rounds/round_plan_area.html", {"form": form})


@require_http_methods(["GET", "POST"])
def round_plan_details(request, area_pk):
    require_round_management(request.user)
    area = get_object_or_404(Area, pk=area_pk)
    proposal = services.round_proposal(area=area, today=timezone.localdate())
    form = RoundForm(form_data(request), initial=proposal)
    saved = save_form(
        request,
        form,
        lambda: services.round_create(actor=request.user, area=area, **form.cleaned_data),
        success="Round planned. Now add its cases.",
    )
    if saved:
        return redirect(saved.result)
    return render(request, "rounds/round_form.html", {"form": form, "area": area, "planning": True})


@require_GET
def round_detail(request, pk):
    audit_round = get_round_for_user(request.user, pk)
    cases = list(cases_for_round(request.user, audit_round))
    coordinator = is_coordinator(request.user)
    can_manage = coordinator and audit_round.is_changeable
    next_status = services.ROUND_TRANSITIONS.get(audit_round.status)
    agencies = participating_agencies(cases)
    meeting_panel = round_meeting_panel(request.user, audit_round)
    can_see_completion = can_view_all_rounds(request.user) and audit_round.has_opened
    task_list = None
    if can_view_all_rounds(request.user):
        task_list = round_task_list(
            audit_round,
            cases=cases,
            meetings=meeting_panel["meetings"],
            open_problems=services.round_open_problems(audit_round, cases=cases) if coordinator else [],
            links=_task_links(request.user, audit_round, coordinator, can_see_completion, meeting_panel),
        )
    return render(
        request,
        "rounds/round_detail.html",
        {
            "task_list": task_list,
            "round": audit_round,
            "cases": cases,
            "agencies": agencies,
            "no_lead": agencies_without_lead_among(agencies) if coordinator else set(),
            "coordinator": coordinator,
            "can_manage": can_manage,
            "can_add_cases": coordinator and audit_round.accepts_cases,
            "can_see_completion": can_see_completion,
            "draws": confirmed_draws(audit_round) if coordinator else [],
            "next_status": AuditRound.Status(next_status) if next_status else None,
            "next_milestone": audit_round.next_milestone(),
            "retention_days": settings.RETENTION_DAYS_AFTER_CLOSE,
            "meeting_panel": meeting_panel,
        },
    )


def _task_links(user, audit_round, coordinator, can_see_completion, meeting_panel) -> dict:
    """Where each task of the round's task list is done, for this user: only what they may do
    now (the stage predicates the services check), by task key."""
    detail = audit_round.get_absolute_url()
    next_status = services.ROUND_TRANSITIONS.get(audit_round.status)
    links = {"actions": reverse("audits:round-actions", args=[audit_round.pk])}
    if coordinator and audit_round.is_changeable:
        links["details"] = reverse("audits:round-edit", args=[audit_round.pk])
    if coordinator and audit_round.accepts_cases:
        links["cases"] = reverse("audits:draw-start", args=[audit_round.pk])
        links["agencies"] = f"{detail}#cases"
    if coordinator and next_status == AuditRound.Status.OPEN:
        links["open"] = reverse("audits:round-advance", args=[audit_round.pk])
    if can_see_completion:
        links["returns"] = reverse("audits:round-completion", args=[audit_round.pk])
    meetings = meeting_panel["meetings"]
    if meetings and meeting_panel["reads_records"]:
        links["meeting"] = links["record"] = meetings[0].get_absolute_url()
    elif meeting_panel["can_arrange"]:
        links["meeting"] = reverse("audits:meeting-arrange", args=[audit_round.pk])
    if coordinator:  # the round's learning page; a briefing may be written of a round at any stage
        links["learning"] = reverse("audits:round-learning", args=[audit_round.pk])
        links["briefing"] = reverse("briefings:briefing-create", args=[audit_round.pk])
    if coordinator and next_status == AuditRound.Status.CLOSED:
        links["close"] = reverse("audits:round-advance", args=[audit_round.pk])
    return links


@require_http_methods(["GET", "POST"])
def round_edit(request, pk):
    audit_round = get_round_for_user(request.user, pk, manage=True)
    form = RoundForm(form_data(request), initial=RoundForm.initial_from(audit_round), opened=audit_round.has_opened)
    saved = save_form(
        request,
        form,
        lambda: services.round_update(actor=request.user, audit_round=audit_round, **form.cleaned_data),
        success="Round details saved.",
    )
    if saved:
        return redirect(audit_round)
    return render(request, "rounds/round_form.html", {"form": form, "area": audit_round.area, "round": audit_round})


# What moving to each stage does, for the confirmation page (by the stage moved to).
STAGE_EFFECTS = {
    AuditRound.Status.OPEN: [
        "Each agency taking part gets an audit tool and a chronology for each of its cases.",
        "The audit tool template's current version is fixed for the round.",
        "The lead of each agency taking part is e-mailed an invitation.",
        "The agencies' staff can see the round and their cases.",
    ],
    AuditRound.Status.MEETING: [
        "No more cases can be added to the round, and agencies cannot be added to cases.",
        "The meeting's record of each case can be written.",
    ],
    AuditRound.Status.LEARNING: [
        "Agencies' staff no longer see the children's details.",
        "The round's learning and briefing come next.",
    ],
    AuditRound.Status.PUBLISHED: [
        "The round is recorded as having its briefing published. Publishing a briefing of the round does this "
        "itself: move it on here only if its briefing was published outside the service.",
    ],
    AuditRound.Status.CLOSED: [
        "The round becomes history: nothing in it can change any more.",
        f"Its restricted identifiers are destroyed {settings.RETENTION_DAYS_AFTER_CLOSE} days after it closes.",
    ],
}


def _opened_messages(request, audit_round) -> None:
    """After opening: which agencies' leads the invitation goes to, and which it cannot reach."""
    invitations = round_invitations(audit_round)
    sent = [invitation.agency.name for invitation in invitations if invitation.sent]
    if sent:
        names = ", ".join(sent)
        messages.success(request, f"The round is open. The invitation is being e-mailed to the leads of: {names}.")
    else:
        messages.success(request, "The round is open.")
    for invitation in invitations:
        if not invitation.sent:
            messages.warning(request, f"No invitation was sent to {invitation.agency.name}: {invitation.reason}.")


@require_http_methods(["GET", "POST"])
def round_advance(request, pk):
    """GET: what moving the round on will do, what its stage has not finished, and "Yes" (or
    "Move on anyway"); POST with confirm: do it."""
    audit_round = get_round_for_user(request.user, pk, manage=True)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            return redirect("audits:round-advance", pk=audit_round.pk)
        opening = not audit_round.has_opened
        saved = run(
            request,
            lambda: services.round_advance(
                actor=request.user,
                audit_round=audit_round,
                from_status=request.POST.get("from_status", ""),
                require_ready=request.POST.get("anyway") != "yes",
            ),
        )
        if not saved:
            return redirect("audits:round-advance", pk=audit_round.pk)
        if opening:
            _opened_messages(request, saved.result)
        else:
            messages.success(request, f"The round is now at the stage: {saved.result.get_status_display()}.")
        return redirect(saved.result)
    next_status = services.ROUND_TRANSITIONS.get(audit_round.status)
    if next_status is None:
        messages.error(request, "This round is closed: it has no further stage.")
        return redirect(audit_round)
    opening = not audit_round.has_opened
    invitations = round_invitations(audit_round) if opening else []
    return render(
        request,
        "rounds/round_advance.html",
        {
            "round": audit_round,
            "next_status": AuditRound.Status(next_status),
            "effects": STAGE_EFFECTS[next_status],
            "opening": opening,
            "problems": services.round_open_problems(audit_round) if opening else [],
            "invitations": invitations,
            "not_invited": [invitation for invitation in invitations if not invitation.sent],
            "outstanding": round_outstanding(audit_round),
        },
    )


@require_GET
def round_history(request, pk):
    audit_round = get_round_for_user(request.user, pk, manage=True)
    round_changes = audit_round.history.select_related("history_user").order_by("-history_date")[:200]
    case_changes = (
        Case.history.filter(round_id=audit_round.pk).select_related("history_user").order_by("-history_date")[:200]
    )
    return render(
        request,
        "rounds/round_history.html",
        {"round": audit_round, "round_changes": round_changes, "case_changes": case_changes},
    )


@require_http_methods(["GET", "POST"])
def case_add(request, pk):
    audit_round = get_round_for_user(request.user, pk, manage=True)
    form = NewCaseForm(form_data(request))
    saved = save_form(
        request,
        form,
        lambda: services.case_create(
            actor=request.user,
            audit_round=audit_round,
            summary=form.cleaned_data["summary"],
            age_band=form.cleaned_data["age_band"],
            plan_type=form.cleaned_data["plan_type"],
            needs=form.cleaned_data["needs"],
            child_name=form.cleaned_data["child_name"],
            date_of_birth=form.cleaned_data["date_of_birth"],
            record_numbers=form.cleaned_data["record_numbers"],
            origin=client_ip(request),
        ),
        success=lambda case: f"{case} added. Now choose the agencies taking part.",
    )
    if saved:
        return redirect("audits:case-agencies", pk=audit_round.pk, number=saved.result.number)
    return render(request, "rounds/case_form.html", {"form": form, "round": audit_round, "adding": True})


@require_GET
def case_detail(request, pk, number):
    case = get_case_for_user(request.user, pk, number)
    links = list(case.case_agencies.select_related("agency"))
    return render(
        request,
        "rounds/case_detail.html",
        {
            "case": case,
            "round": case.round,
            "agency_links": links,
            "returns": case_returns_for_user(request.user, case),
            "today": timezone.localdate(),
            "needs": list(case.needs.all()),
            "can_manage": is_coordinator(request.user) and case.round.is_changeable,
            # Agencies change only while the round accepts cases (``services.case_set_agencies``).
            "can_change_agencies": is_coordinator(request.user) and case.round.accepts_cases,
            "can_see_identifiers": can_see_identifiers(request.user),
            "can_open_integrated_chronology": can_open_integrated_chronology(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def case_edit(request, pk, number):
    case = get_case_for_user(request.user, pk, number, manage=True)
    form = CaseForm(form_data(request), instance=case)
    saved = save_form(
        request,
        form,
        lambda: services.case_update(
            actor=request.user,
            case=case,
            summary=form.cleaned_data["summary"],
            age_band=form.cleaned_data["age_band"],
            plan_type=form.cleaned_data["plan_type"],
            needs=form.cleaned_data["needs"],
        ),
        success=f"{case} saved.",
    )
    if saved:
        return redirect(case)
    return render(request, "rounds/case_form.html", {"form": form, "round": case.round, "case": case})


@require_http_methods(["GET", "POST"])
def case_agencies(request, pk, number):
    case = get_case_for_user(request.user, pk, number, manage=True)
    current = list(case.case_agencies.values_list("agency_id", flat=True))
    form = CaseAgenciesForm(form_data(request), initial={"agencies": current}, current_ids=current)
    saved = save_form(
        request,
        form,
        lambda: services.case_set_agencies(actor=request.user, case=case, agencies=form.cleaned_data["agencies"]),
        success=f"Agencies for {case} saved.",
    )
    if saved:
        return redirect(case.round)
    return render(
        request,
        "rounds/case_agencies.html",
        {"form": form, "case": case, "round": case.round, "round_opened": case.round.has_opened},
    )


def _against_the_file(call):
    """A draw's refusals all concern the uploaded list, so they are shown against its field."""
    try:
        return call()
    except ValidationError as exc:
        raise ValidationError({"candidate_file": exc.messages}) from exc


@require_http_methods(["GET", "POST"])
def draw_start(request, pk):
    audit_round = get_round_for_user(request.user, pk, manage=True)
    require_identifier_access(request.user)  # the list uploaded names children
    form = DrawForm(*form_data_and_files(request), max_bytes=settings.MAX_UPLOAD_BYTES)
    saved = save_form(
        request,
        form,
        lambda: _against_the_file(
            lambda: services.draw_preview(
                actor=request.user,
                audit_round=audit_round,
                data=form.cleaned_data["candidate_file"].read(),
                file_name=form.cleaned_data["candidate_file"].name,
                number_of_cases=form.cleaned_data["number_of_cases"],
                strata=form.cleaned_data["strata"],
                seed=form.cleaned_data["seed"],
                origin=client_ip(request),
            )
        ),
    )
    if saved:
        return redirect(saved.result)
    return render(request, "rounds/draw_form.html", {"form": form, "round": audit_round, "columns": CANDIDATE_COLUMNS})


@require_http_methods(["GET", "POST"])
def draw_preview(request, pk, draw_pk):
    draw = get_draw_for_user(request.user, pk, draw_pk)
    if request.method == "POST":
        run(
            request,
            lambda: services.draw_confirm(actor=request.user, draw=draw, origin=client_ip(request)),
            success=lambda cases: f"{len(cases)} cases added. Now choose the agencies for each case.",
        )
        return redirect(draw.round)
    candidates = candidates_for_user(user=request.user, draw=draw, origin=client_ip(request))
    return render(
        request,
        "rounds/draw_preview.html",
        {
            "draw": draw,
            "round": draw.round,
            "candidates": candidates,
            "previewing": draw.is_preview,
            "can_confirm": draw.can_be_confirmed,
        },
    )
