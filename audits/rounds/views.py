from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.access_log.services import Kind, record
from agencies.models import Area
from audits.models import AuditRound, Case, CaseDraw
from audits.rounds import services
from audits.rounds.forms import (
    CANDIDATE_COLUMNS,
    AreaChoiceForm,
    CaseAgenciesForm,
    CaseForm,
    DrawForm,
    IdentifiersForm,
    NewCaseForm,
    RoundForm,
)
from audits.rounds.identifiers import PURGED_MESSAGE, candidates_for_user, identifiers_for_user, identifiers_save
from audits.rounds.permissions import (
    get_case_for_user,
    get_draw_for_user,
    get_round_for_user,
    require_identifier_access,
    require_round_access,
    require_round_management,
)
from audits.rounds.selectors import (
    case_returns_for_user,
    cases_for_round,
    participating_agencies,
    round_years,
    rounds_for_list,
)
from lib.forms import add_service_errors, as_year, form_data, form_data_and_files


@require_GET
def round_list(request):
    require_round_access(request.user)
    areas = list(Area.objects.all())
    area = next((a for a in areas if str(a.pk) == request.GET.get("area")), None)
    year = as_year(request.GET.get("year"))
    status = request.GET.get("status")
    status = status if status in AuditRound.Status.values else None
    rounds = list(rounds_for_list(request.user, area=area, year=year, status=status))
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
    if request.method == "POST" and form.is_valid():
        try:
            audit_round = services.round_create(actor=request.user, area=area, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Round planned. Now add its cases.")
            return redirect(audit_round)
    return render(request, "rounds/round_form.html", {"form": form, "area": area, "planning": True})


@require_GET
def round_detail(request, pk):
    audit_round = get_round_for_user(request.user, pk)
    cases = list(cases_for_round(request.user, audit_round))
    can_manage = request.user.has_perm("audits.manage_rounds")
    draws = list(audit_round.draws.filter(status=CaseDraw.Status.CONFIRMED)) if can_manage else []
    next_status = services.ROUND_TRANSITIONS.get(audit_round.status)
    return render(
        request,
        "rounds/round_detail.html",
        {
            "round": audit_round,
            "cases": cases,
            "agencies": participating_agencies(cases),
            "can_manage": can_manage and audit_round.status != AuditRound.Status.CLOSED,
            "can_add_cases": can_manage and audit_round.status in (AuditRound.Status.PLANNING, AuditRound.Status.OPEN),
            "draws": draws,
            "next_status": AuditRound.Status(next_status) if next_status else None,
            "next_milestone": audit_round.next_milestone(),
            "retention_days": settings.RETENTION_DAYS_AFTER_CLOSE,
        },
    )


@require_http_methods(["GET", "POST"])
def round_edit(request, pk):
    audit_round = get_round_for_user(request.user, pk, manage=True)
    form = RoundForm(
        form_data(request),
        initial=RoundForm.initial_from(audit_round),
        opened=audit_round.status != AuditRound.Status.PLANNING,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(actor=request.user, audit_round=audit_round, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Round details saved.")
            return redirect(audit_round)
    return render(request, "rounds/round_form.html", {"form": form, "area": audit_round.area, "round": audit_round})


@require_POST
def round_advance(request, pk):
    audit_round = get_round_for_user(request.user, pk, manage=True)
    try:
        audit_round = services.round_advance(
            actor=request.user, audit_round=audit_round, from_status=request.POST.get("from_status", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"The round is now at the stage: {audit_round.get_status_display()}.")
    return redirect(audit_round)


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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_create(
                actor=request.user,
                audit_round=audit_round,
                summary=data["summary"],
                age_band=data["age_band"],
                plan_type=data["plan_type"],
                needs=data["needs"],
                child_name=data["child_name"],
                date_of_birth=data["date_of_birth"],
                record_numbers=data["record_numbers"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{case} added. Now choose the agencies taking part.")
            return redirect("audits:case-agencies", pk=audit_round.pk, number=case.number)
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
            "can_manage": request.user.has_perm("audits.manage_rounds")
            and case.round.status != AuditRound.Status.CLOSED,
            "can_see_identifiers": request.user.has_perm("audits.view_restricted_identifiers"),
        },
    )


@require_http_methods(["GET", "POST"])
def case_edit(request, pk, number):
    case = get_case_for_user(request.user, pk, number, manage=True)
    form = CaseForm(form_data(request), instance=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_update(
                actor=request.user,
                case=case,
                summary=data["summary"],
                age_band=data["age_band"],
                plan_type=data["plan_type"],
                needs=data["needs"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{case} saved.")
            return redirect(case)
    return render(request, "rounds/case_form.html", {"form": form, "round": case.round, "case": case})


@require_http_methods(["GET", "POST"])
def case_agencies(request, pk, number):
    case = get_case_for_user(request.user, pk, number, manage=True)
    current = list(case.case_agencies.values_list("agency_id", flat=True))
    form = CaseAgenciesForm(form_data(request), initial={"agencies": current}, current_ids=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_set_agencies(actor=request.user, case=case, agencies=form.cleaned_data["agencies"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Agencies for {case} saved.")
            return redirect(case.round)
    return render(request, "rounds/case_agencies.html", {"form": form, "case": case, "round": case.round})


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
    identifiers = identifiers_for_user(user=request.user, case=case, request=request)
    return render(
        request, "rounds/case_identifiers.html", {"case": case, "round": case.round, "identifiers": identifiers}
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
        identifiers = identifiers_for_user(user=request.user, case=case, request=request)
        initial = {
            "child_name": identifiers.child_name,
            "date_of_birth": identifiers.date_of_birth,
            "record_numbers": identifiers.record_numbers,
        }
    form = IdentifiersForm(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            identifiers_save(actor=request.user, case=case, request=request, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Restricted identifiers for {case} saved.")
            return redirect("audits:case-identifiers", pk=case.round_id, number=case.number)
    return render(request, "rounds/case_identifiers_form.html", {"form": form, "case": case, "round": case.round})


@require_http_methods(["GET", "POST"])
def draw_start(request, pk):
    audit_round = get_round_for_user(request.user, pk, manage=True)
    require_identifier_access(request.user)  # the list uploaded names children
    form = DrawForm(*form_data_and_files(request), max_bytes=settings.MAX_UPLOAD_BYTES)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["candidate_file"]
        try:
            draw = services.draw_preview(
                actor=request.user,
                audit_round=audit_round,
                data=upload.read(),
                file_name=upload.name,
                number_of_cases=form.cleaned_data["number_of_cases"],
                strata=form.cleaned_data["strata"],
                seed=form.cleaned_data["seed"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("candidate_file", message)
        else:
            record(
                Kind.IDENTIFIERS_CHANGED,
                request=request,
                what=f"Candidate list of round {audit_round.pk} draw {draw.pk} uploaded",
            )
            return redirect(draw)
    return render(request, "rounds/draw_form.html", {"form": form, "round": audit_round, "columns": CANDIDATE_COLUMNS})


@require_http_methods(["GET", "POST"])
def draw_preview(request, pk, draw_pk):
    draw = get_draw_for_user(request.user, pk, draw_pk)
    if request.method == "POST":
        try:
            cases = services.draw_confirm(actor=request.user, draw=draw, request=request)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(draw.round)
        messages.success(request, f"{len(cases)} cases added. Now choose the agencies for each case.")
        return redirect(draw.round)
    candidates = candidates_for_user(user=request.user, draw=draw, request=request)
    return render(request, "rounds/draw_preview.html", {"draw": draw, "round": draw.round, "candidates": candidates})
