"""The multi-agency meeting: arranging its sittings, the .ics invitation, attendance, and the
record of each case (discussion, agreed grade, strengths and findings).

``<kind>`` in a learning URL is "strength" or "finding" (add one) or its plural (add several, one
per list item). Adding and changing return to the page the author came from (``next``, when it
is this site's) at the point, else to the case's record."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from agencies.access_log.downloads import attachment
from agencies.permissions import can_view_all_rounds
from agencies.selectors import active_leads
from audits.learning.forms import NOUNS
from audits.learning.navigation import return_url
from audits.meetings import ics, services
from audits.meetings.exports import export_params
from audits.meetings.forms import (
    AttendanceForm,
    DiscussionForm,
    LearningPointForm,
    LearningSeveralForm,
    MeetingForm,
    MeetingPackForm,
)
from audits.meetings.permissions import (
    can_manage_meeting,
    can_request_meeting_pack,
    get_learning_point_for_user,
    get_meeting_case_for_user,
    get_meeting_for_invitation,
    get_meeting_for_user,
    get_round_for_meeting_pack,
    get_sitting_for_user,
)
from audits.meetings.selectors import (
    attendance_by_agency,
    case_discussion,
    case_learning,
    grade_table,
    meeting_agenda,
    neighbour_cases,
    other_sittings,
    participating_agencies,
    round_case_numbers,
)
from audits.models import LearningPoint
from audits.rounds.permissions import get_round_for_user
from exports.models import Export
from exports.services import export_request
from lib.forms import form_data
from lib.views import run, save_form

KINDS = {"strength": LearningPoint.Kind.STRENGTH, "finding": LearningPoint.Kind.FINDING}
SEVERAL = {f"{slug}s": kind for slug, kind in KINDS.items()}
# The service names the model's fields; the form asks for times.
MEETING_ERROR_FIELDS = {"ends_at": "end_time", "starts_at": "start_time"}


def _meeting_errors(call):
    """``call`` with the service's field names in its refusal turned into the form's."""

    def wrapped():
        try:
            return call()
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                exc = ValidationError(
                    {MEETING_ERROR_FIELDS.get(key, key): value for key, value in exc.error_dict.items()}
                )
            raise exc from None

    return wrapped


# Sittings --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def meeting_arrange(request, pk):
    audit_round = get_round_for_user(request.user, pk, manage=True)
    second = audit_round.meetings.exists()
    form = MeetingForm(form_data(request))
    if saved := save_form(
        request,
        form,
        _meeting_errors(
            lambda: services.meeting_arrange(actor=request.user, audit_round=audit_round, **form.service_arguments())
        ),
        success="Meeting arranged. Send the invitations when you are ready.",
    ):
        return redirect(saved.result)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "round": audit_round, "second": second, "planning": not audit_round.has_opened},
    )


def _saved_text(meeting) -> str:
    text = "Meeting details saved."
    if meeting.invitations_sent_at:
        text += " Send the invitations again so agencies have the new details."
    return text


@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk, sitting):
    meeting = get_sitting_for_user(request.user, pk, sitting)
    form = MeetingForm(form_data(request), initial=MeetingForm.initial_for(meeting))
    if saved := save_form(
        request,
        form,
        _meeting_errors(
            lambda: services.meeting_update(actor=request.user, meeting=meeting, **form.service_arguments())
        ),
        success=_saved_text,
    ):
        return redirect(saved.result)
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
            # Changing the meeting, sending its invitations, recording attendance: not once the
            # round is closed (the services refuse then).
            "can_manage": can_manage_meeting(request.user) and meeting.round.is_changeable,
            "can_request_pack": can_request_meeting_pack(request.user, meeting.round),
        },
    )


@require_GET
def meeting_invitation(request, pk):
    meeting = get_meeting_for_invitation(request.user, pk)
    return attachment(
        request,
        ics.meeting_calendar(meeting, case_numbers=round_case_numbers(meeting.round)),
        "text/calendar; charset=utf-8; method=REQUEST",
        f"meeting-{meeting.pk}.ics",
        what=f"Meeting invitation, meeting {meeting.pk}",
    )


def _invitation_recipients(meeting) -> list[dict]:
    """Each agency taking part in the round, and the active leads the invitation goes to."""
    agencies = participating_agencies(meeting.round)
    leads = active_leads([agency.pk for agency in agencies])
    return [{"agency": agency, "leads": leads.get(agency.pk, [])} for agency in agencies]


@require_http_methods(["GET", "POST"])
def meeting_send_invitations(request, pk):
    """GET: who the invitation goes to (and which agencies have no lead to get it), and "Yes,
    send"; POST with confirm: send it."""
    meeting = get_meeting_for_user(request.user, pk, manage=True)
    if request.method == "POST" and request.POST.get("confirm") != "yes":
        return redirect("audits:meeting-send-invitations", pk=meeting.pk)
    recipients = _invitation_recipients(meeting)
    if request.method == "POST":
        if run(request, lambda: services.meeting_send_invitations(actor=request.user, meeting=meeting)):
            sent = [row["agency"].name for row in recipients if row["leads"]]
            if sent:
                messages.success(request, "Invitations are being e-mailed to the leads of: " + ", ".join(sent) + ".")
            for row in recipients:
                if not row["leads"]:
                    name = row["agency"].name
                    messages.warning(request, f"No invitation was sent to {name}: it has no active agency lead.")
        return redirect(meeting)
    return render(
        request,
        "meetings/send_invitations.html",
        {
            "meeting": meeting,
            "round": meeting.round,
            "recipients": recipients,
            "no_lead": [row["agency"] for row in recipients if not row["leads"]],
        },
    )


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
        # Many forms, so the refusal goes in the page's own error summary, not on one form.
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
    previous, following = neighbour_cases(case)
    return {
        "meeting": meeting,
        "round": meeting.round,
        "case": case,
        "discussion": case_discussion(case),
        "grades": grade_table(case),
        "learning": case_learning(case),
        "can_manage": can_manage_meeting(request.user),
        "recordable": case.round.is_writable,
        "previous": previous,
        "next": following,
    }


@require_GET
def meeting_case(request, pk, number):
    meeting, case = get_meeting_case_for_user(request.user, pk, number)
    return render(request, "meetings/meeting_case.html", _case_context(request, meeting, case))


def _case_url(meeting, case, anchor="") -> str:
    url = reverse("audits:meeting-case", args=[meeting.pk, case.number])
    return url + (f"#{anchor}" if anchor else "")


@require_http_methods(["GET", "POST"])
def meeting_discussion(request, pk, number):
    meeting, case = get_meeting_case_for_user(request.user, pk, number, manage=True)
    discussion = case_discussion(case)
    initial = {}
    if discussion:
        initial = {
            "notes": discussion.notes,
            "agreed_grade": discussion.agreed_grade,
            "grade_reasons": discussion.grade_reasons,
        }
    form = DiscussionForm(form_data(request), initial=initial)
    if save_form(
        request,
        form,
        lambda: services.discussion_save(actor=request.user, case=case, **form.cleaned_data),
        success=f"Discussion of {case} saved.",
    ):
        return redirect(_case_url(meeting, case, "discussion"))
    return render(request, "meetings/discussion_form.html", {"form": form, "meeting": meeting, "case": case})


@require_http_methods(["GET", "POST"])
def learning_add(request, pk, number, kind):
    meeting, case = get_meeting_case_for_user(request.user, pk, number, manage=True)
    if kind in SEVERAL:
        return _learning_add_several(request, meeting, case, SEVERAL[kind])
    if kind not in KINDS:
        raise Http404
    kind = KINDS[kind]
    form = LearningPointForm(form_data(request), kind=kind, case=case)
    if saved := save_form(
        request,
        form,
        lambda: services.learning_point_add(actor=request.user, case=case, kind=kind, **form.service_arguments()),
        success=f"{kind.label} added to {case}.",
    ):
        return redirect(return_url(request, _case_url(meeting, case), f"point-{saved.result.pk}"))
    return render(
        request,
        "meetings/learning_form.html",
        {
            "form": form,
            "meeting": meeting,
            "case": case,
            "kind": kind,
            "adding": True,
            "back_url": return_url(request, _case_url(meeting, case), f"{kind}s"),
        },
    )


def _learning_add_several(request, meeting, case, kind):
    form = LearningSeveralForm(form_data(request), kind=kind, case=case)
    noun, plural = NOUNS[kind]
    if saved := save_form(
        request,
        form,
        lambda: services.learning_points_add_several(
            actor=request.user, case=case, kind=kind, **form.service_arguments()
        ),
        success=lambda points: f"{len(points)} {noun if len(points) == 1 else plural} added to {case}.",
    ):
        return redirect(return_url(request, _case_url(meeting, case), f"point-{saved.result[0].pk}"))
    return render(
        request,
        "meetings/learning_several_form.html",
        {
            "form": form,
            "meeting": meeting,
            "case": case,
            "kind": kind,
            "plural": plural,
            "back_url": return_url(request, _case_url(meeting, case), f"{kind}s"),
        },
    )


@require_http_methods(["GET", "POST"])
def learning_edit(request, pk, number, point_pk):
    meeting, case, point = get_learning_point_for_user(request.user, pk, number, point_pk)
    kind = LearningPoint.Kind(point.kind)
    form = LearningPointForm(
        form_data(request), kind=kind, case=case, point=point, initial=LearningPointForm.initial_for(point)
    )
    back = return_url(request, _case_url(meeting, case), f"point-{point.pk}")
    if save_form(
        request,
        form,
        lambda: services.learning_point_update(actor=request.user, point=point, **form.service_arguments()),
        success=f"{kind.label} saved.",
    ):
        return redirect(back)
    return render(
        request,
        "meetings/learning_form.html",
        {"form": form, "meeting": meeting, "case": case, "kind": kind, "point": point, "back_url": back},
    )


@require_http_methods(["GET", "POST"])
def learning_remove(request, pk, number, point_pk):
    meeting, case, point = get_learning_point_for_user(request.user, pk, number, point_pk)
    kind = LearningPoint.Kind(point.kind)
    if request.method == "POST":
        run(
            request,
            lambda: services.learning_point_remove(actor=request.user, point=point),
            success=f"{kind.label} removed.",
        )
        return redirect(return_url(request, _case_url(meeting, case), f"{kind}s"))
    return render(
        request,
        "meetings/learning_remove.html",
        {
            "meeting": meeting,
            "case": case,
            "kind": kind,
            "point": point,
            "thing": kind.label.lower(),
            "back_url": return_url(request, _case_url(meeting, case), f"point-{point.pk}"),
            "caption": f"{meeting.round.title}: {case}",
        },
    )


# The meeting pack -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def meeting_pack(request, pk):
    """Ask for the round's meeting pack (made in the background: ``audits.meetings.exports``), with
    the chronologies' key events or every entry, and go to its status page."""
    audit_round = get_round_for_meeting_pack(request.user, pk)
    form = MeetingPackForm(form_data(request))
    if saved := save_form(
        request,
        form,
        lambda: export_request(
            actor=request.user,
            kind=Export.Kind.MEETING_PACK,
            params=export_params(audit_round, form.cleaned_data["chronology"]),
        ),
    ):
        return redirect(saved.result)
    return render(
        request,
        "meetings/meeting_pack.html",
        {"form": form, "round": audit_round, "every_case": can_view_all_rounds(request.user)},
    )
