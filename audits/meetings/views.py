"""The multi-agency meeting: arranging its sittings, the .ics invitation, attendance, and the
record of each case (discussion, agreed grade, strengths and findings)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.access_log.downloads import attachment
from audits.meetings import ics, services
from audits.meetings.forms import AttendanceForm, DiscussionForm, LearningPointForm, MeetingForm
from audits.meetings.permissions import (
    get_learning_point_for_user,
    get_meeting_case_for_user,
    get_meeting_for_invitation,
    get_meeting_for_user,
    get_sitting_for_user,
)
from audits.meetings.selectors import (
    attendance_by_agency,
    case_learning,
    grade_table,
    meeting_agenda,
    other_sittings,
    participating_agencies,
)
from audits.models import AuditRound, CaseDiscussion, LearningPoint
from audits.rounds.permissions import get_round_for_user
from lib.forms import add_service_errors, form_data

KINDS = {"strength": LearningPoint.Kind.STRENGTH, "finding": LearningPoint.Kind.FINDING}
# The service names the model's fields; the form asks for times.
MEETING_ERROR_FIELDS = {"ends_at": "end_time", "starts_at": "start_time"}


def _meeting_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        exc = ValidationError({MEETING_ERROR_FIELDS.get(key, key): value for key, value in exc.error_dict.items()})
    add_service_errors(form, exc)


def _refused(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# Sittings --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def meeting_arrange(request, pk):
    audit_round = get_round_for_user(request.user, pk, manage=True)
    second = audit_round.meetings.exists()
    form = MeetingForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_arrange(actor=request.user, audit_round=audit_round, **form.service_arguments())
        except ValidationError as exc:
            _meeting_errors(form, exc)
        else:
            messages.success(request, "Meeting arranged. Send the invitations when you are ready.")
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "round": audit_round, "second": second, "planning": audit_round.status == "planning"},
    )


@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk, sitting):
    meeting = get_sitting_for_user(request.user, pk, sitting)
    form = MeetingForm(form_data(request), initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_update(actor=request.user, meeting=meeting, **form.service_arguments())
        except ValidationError as exc:
            _meeting_errors(form, exc)
        else:
            text = "Meeting details saved."
            if meeting.invitations_sent_at:
                text += " Send the invitations again so agencies have the new details."
            messages.success(request, text)
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "round": meeting.round, "meeting": meeting})


@require_GET
def meeting_detail(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    agencies = participating_agencies(meeting.round)
    attendance = attendance_by_agency(meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "round": meeting.round,
            "cases": meeting_agenda(meeting, request.user),
            "attendance": [(agency, attendance.get(agency.pk)) for agency in agencies],
            "other_sittings": other_sittings(meeting),
            "can_manage": request.user.has_perm("audits.manage_rounds"),
        },
    )


@require_GET
def meeting_invitation(request, pk):
    meeting = get_meeting_for_invitation(request.user, pk)
    numbers = list(meeting.round.cases.order_by("number").values_list("number", flat=True))
    return attachment(
        request,
        ics.meeting_calendar(meeting, case_numbers=numbers),
        "text/calendar; charset=utf-8; method=REQUEST",
        f"meeting-{meeting.pk}.ics",
        what=f"Meeting invitation, meeting {meeting.pk}",
    )


@require_POST
def meeting_send_invitations(request, pk):
    meeting = get_meeting_for_user(request.user, pk, manage=True)
    try:
        services.meeting_send_invitations(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "Invitations sent to the lead of each agency taking part.")
    return redirect(meeting)


@require_http_methods(["GET", "POST"])
def meeting_attendance(request, pk):
    meeting = get_meeting_for_user(request.user, pk, manage=True)
    current = attendance_by_agency(meeting)
    forms = [
        AttendanceForm(form_data(request), agency=agency, initial=AttendanceForm.initial_for(current.get(agency.pk)))
        for agency in participating_agencies(meeting.round)
    ]
    refusal = None
    # Validate every form (not just up to the first invalid one), so all errors show at once.
    valid = [form.is_valid() for form in forms]
    if request.method == "POST" and all(valid):
        try:
            services.attendance_record(actor=request.user, meeting=meeting, rows=[form.row() for form in forms])
        except ValidationError as exc:
            refusal = exc.messages
        else:
            messages.success(request, "Attendance saved.")
            return redirect(meeting)
    # One error summary for every agency's form, each error linking to its field (the first
    # radio of a group).
    anchors = {"status": "status_1", "attendees": "attendees", "written_input": "written_input", "__all__": "status_1"}
    errors = [
        (f"id_{form.prefix}-{anchors.get(name, name)}", error)
        for form in forms
        for name, field_errors in form.errors.items()
        for error in field_errors
    ]
    return render(
        request,
        "meetings/attendance_form.html",
        {"meeting": meeting, "round": meeting.round, "forms": forms, "errors": errors, "refusal": refusal},
    )


# The record of each case -----------------------------------------------------------------------


def _case_context(request, meeting, case):
    discussion = CaseDiscussion.objects.filter(case=case).first()
    return {
        "meeting": meeting,
        "round": meeting.round,
        "case": case,
        "discussion": discussion,
        "grades": grade_table(case),
        "learning": case_learning(case),
        "can_manage": request.user.has_perm("audits.manage_rounds"),
        "recordable": case.round.status not in (AuditRound.Status.PLANNING, AuditRound.Status.CLOSED),
        "previous": case.round.cases.filter(number__lt=case.number).order_by("-number").first(),
        "next": case.round.cases.filter(number__gt=case.number).order_by("number").first(),
    }


@require_GET
def meeting_case(request, pk, number):
    meeting, case = get_meeting_case_for_user(request.user, pk, number)
    return render(request, "meetings/meeting_case.html", _case_context(request, meeting, case))


def _to_case(meeting, case, anchor=""):
    url = reverse("audits:meeting-case", args=[meeting.pk, case.number])
    return redirect(url + (f"#{anchor}" if anchor else ""))


@require_http_methods(["GET", "POST"])
def meeting_discussion(request, pk, number):
    meeting, case = get_meeting_case_for_user(request.user, pk, number, manage=True)
    discussion = CaseDiscussion.objects.filter(case=case).first()
    initial = {}
    if discussion:
        initial = {
            "notes": discussion.notes,
            "agreed_grade": discussion.agreed_grade,
            "grade_reasons": discussion.grade_reasons,
        }
    form = DiscussionForm(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.discussion_save(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Discussion of {case} saved.")
            return _to_case(meeting, case, "discussion")
    return render(request, "meetings/discussion_form.html", {"form": form, "meeting": meeting, "case": case})


@require_http_methods(["GET", "POST"])
def learning_add(request, pk, number, kind):
    meeting, case = get_meeting_case_for_user(request.user, pk, number, manage=True)
    if kind not in KINDS:
        raise Http404
    kind = KINDS[kind]
    form = LearningPointForm(form_data(request), kind=kind, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_point_add(actor=request.user, case=case, kind=kind, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{kind.label} added to {case}.")
            return _to_case(meeting, case, f"{kind}s")
    return render(
        request,
        "meetings/learning_form.html",
        {"form": form, "meeting": meeting, "case": case, "kind": kind, "adding": True},
    )


@require_http_methods(["GET", "POST"])
def learning_edit(request, pk, number, point_pk):
    meeting, case, point = get_learning_point_for_user(request.user, pk, number, point_pk)
    kind = LearningPoint.Kind(point.kind)
    form = LearningPointForm(
        form_data(request), kind=kind, case=case, point=point, initial=LearningPointForm.initial_for(point)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_point_update(actor=request.user, point=point, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{kind.label} saved.")
            return _to_case(meeting, case, f"{kind}s")
    return render(
        request,
        "meetings/learning_form.html",
        {"form": form, "meeting": meeting, "case": case, "kind": kind, "point": point},
    )


@require_http_methods(["GET", "POST"])
def learning_remove(request, pk, number, point_pk):
    meeting, case, point = get_learning_point_for_user(request.user, pk, number, point_pk)
    kind = LearningPoint.Kind(point.kind)
    if request.method == "POST":
        try:
            services.learning_point_remove(actor=request.user, point=point)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, f"{kind.label} removed.")
        return _to_case(meeting, case, f"{kind}s")
    return render(
        request,
        "meetings/learning_remove.html",
        {"meeting": meeting, "case": case, "kind": kind, "point": point},
    )
