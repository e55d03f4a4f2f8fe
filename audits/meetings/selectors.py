"""Reads for the multi-agency meeting: who takes part, the agenda, and the grade table that
puts every agency's grades for a case side by side. Each runs a fixed number of queries."""

from django.db.models import Count, Prefetch, Q

from agencies.models import Agency
from audits.learning.models import CASE_KINDS
from audits.learning.selectors import with_citations
from audits.meetings.permissions import (
    can_download_invitation,
    can_manage_meeting,
    can_request_meeting_pack,
    reads_record_once_ended,
    reads_records,
)
from audits.models import (
    Attendance,
    AuditRound,
    AuditTool,
    Case,
    CaseAgency,
    CaseDiscussion,
    LearningPoint,
    Meeting,
    TemplateQuestion,
    ToolAnswer,
    WorkStatus,
)
from audits.tool_templates.selectors import grade_descriptor_rows

OVERALL_SECTION = "overall grade"
NOT_SUBMITTED = "Not submitted"
NOT_ANSWERED = "Not answered"


def participating_agencies(audit_round: AuditRound) -> list[Agency]:
    """Agencies taking part in any case of the round, by name."""
    return list(Agency.objects.filter(case_agencies__case__round=audit_round).distinct().order_by("name"))


def round_meeting_panel(user, audit_round: AuditRound) -> dict:
    """What the round page's "Multi-agency meeting" section shows the user: the sittings, and
    whether they may open the record, download the invitation, ask for the meeting pack (the one
    way in for auditors, who never open the meeting page) or arrange a further sitting."""
    meetings = list(audit_round.meetings.order_by("sitting"))
    return {
        "meetings": meetings,
        "opened": audit_round.has_opened,
        "can_arrange": can_manage_meeting(user) and audit_round.can_arrange_sitting(len(meetings)),
        "reads_records": reads_records(user),
        "once_ended": reads_record_once_ended(user),
        "can_download_invitation": can_download_invitation(user),
        "can_request_pack": can_request_meeting_pack(user, audit_round),
    }


def attendance_by_agency(meeting: Meeting) -> dict[int, Attendance]:
    return {a.agency_id: a for a in meeting.attendance.all()}


def meeting_agenda(meeting: Meeting, user) -> list[Case]:
    """The round's cases the user may see, in order, each with its agencies, its discussion (or
    None) and the number of strengths and findings recorded."""
    cases = (
        Case.objects.visible_to(user)
        .filter(round_id=meeting.round_id)
        .annotate(
            strength_count=Count("learning_points", filter=Q(learning_points__kind=LearningPoint.Kind.STRENGTH)),
            finding_count=Count("learning_points", filter=Q(learning_points__kind=LearningPoint.Kind.FINDING)),
        )
        .prefetch_related(
            Prefetch("case_agencies", queryset=CaseAgency.objects.select_related("agency").order_by("agency__name"))
        )
        .order_by("number")
    )
    cases = list(cases)
    discussions = {d.case_id: d for d in CaseDiscussion.objects.filter(case__in=cases)}
    for case in cases:
        case.meeting_discussion = discussions.get(case.pk)
    return cases


def case_discussion(case: Case) -> CaseDiscussion | None:
    return CaseDiscussion.objects.filter(case=case).first()


def neighbour_cases(case: Case) -> tuple[Case | None, Case | None]:
    """The round's cases before and after this one, by number (None at either end)."""
    previous = case.round.cases.filter(number__lt=case.number).order_by("-number").first()
    following = case.round.cases.filter(number__gt=case.number).order_by("number").first()
    return previous, following


def round_case_numbers(audit_round: AuditRound) -> list[int]:
    return list(audit_round.cases.order_by("number").values_list("number", flat=True))


def other_sittings(meeting: Meeting) -> list[Meeting]:
    return list(Meeting.objects.filter(round_id=meeting.round_id).exclude(pk=meeting.pk).order_by("sitting"))


def case_learning(case: Case) -> dict[str, list[LearningPoint]]:
    """The strengths and findings the meeting recorded on the case, in order, with their themes,
    agencies and the cases they cite (``cited``)."""
    points = (
        LearningPoint.objects.filter(case=case, kind__in=CASE_KINDS)
        .prefetch_related("themes", "agencies", "evidence_cases")
        .order_by("position", "pk")
    )
    grouped = {LearningPoint.Kind.STRENGTH: [], LearningPoint.Kind.FINDING: []}
    for point in with_citations(points):
        grouped[point.kind].append(point)
    return {"strengths": grouped[LearningPoint.Kind.STRENGTH], "findings": grouped[LearningPoint.Kind.FINDING]}


def _overall_question(questions: list[TemplateQuestion]) -> TemplateQuestion | None:
    """The grade question of the template's "Overall grade" section, else its last grade question."""
    for question in questions:
        if question.section.title.strip().lower() == OVERALL_SECTION:
            return question
    return questions[-1] if questions else None


def grade_table(case: Case) -> dict:
    """Each agency's grades for a case, from its submitted or accepted audit tool.

    Returns ``agencies`` (the columns), ``sections`` (each with ``rows`` of a question and one
    cell per agency) and ``overall`` (a row of each agency's overall grade). A cell is the
    grade's label, or "Not submitted" when the agency's tool is not submitted or accepted."""
    agencies = [link.agency for link in case.case_agencies.select_related("agency").order_by("agency__name")]
    # The round pins its version when it opens; tools are built from it.
    version_id = (
        case.round.template_version_id
        or AuditTool.objects.filter(case=case).values_list("template_version_id", flat=True).first()
    )
    questions = []
    if version_id:
        questions = list(
            TemplateQuestion.objects.filter(section__version_id=version_id, kind=TemplateQuestion.Kind.GRADE)
            .select_related("section")
            .order_by("section__position", "position")
        )
    done = {
        tool.agency_id
        for tool in AuditTool.objects.filter(case=case, status__in=WorkStatus.handed_in()).only("agency_id")
    }
    labels = dict(TemplateQuestion.Grade.choices)
    answers = {
        (answer.tool.agency_id, answer.question_id): labels.get(answer.choice, "")
        for answer in ToolAnswer.objects.filter(
            tool__case=case, tool__agency_id__in=done, question__in=questions
        ).select_related("tool")
    }

    def cells(question):
        return [
            answers.get((agency.pk, question.pk)) or (NOT_ANSWERED if agency.pk in done else NOT_SUBMITTED)
            for agency in agencies
        ]

    return {
        **grade_layout(questions, agencies, cells),
        # What each grade means in the template the tools were built from.
        "descriptors": grade_descriptor_rows(version_id) if questions else [],
    }


def grade_layout(questions: list[TemplateQuestion], agencies: list, cells) -> dict:
    """The grade table's layout, for the meeting's case page and the meeting pack alike:
    ``agencies`` (the columns), ``sections`` (each with ``rows`` of a question and its
    ``cells(question)``, one per agency) and ``overall`` (the last grade question's cells, the
    agency's overall grade)."""
    overall = _overall_question(questions)
    sections = []
    for question in questions:
        if question == overall:
            continue
        if not sections or sections[-1]["section"].pk != question.section_id:
            sections.append({"section": question.section, "rows": []})
        sections[-1]["rows"].append({"question": question, "cells": cells(question)})
    return {
        "agencies": agencies,
        "sections": sections,
        "overall": cells(overall) if overall else [NOT_SUBMITTED for _ in agencies],
    }
