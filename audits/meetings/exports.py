"""The meeting pack: one PDF per round, the document everyone reads before the multi-agency
meeting, made in the background as an export (``exports.registry``). Its cover gives the
sittings (date, place, chair) and who attends; then, for each case, the anonymised summary, the
agencies' grades, each agency's answers by section and the integrated chronology (key events
only, or every entry).

A pack holds what its requester may see on screen, asked as them when it is made (and the kind's
check asked again at download): coordinators every case and every agency's work; an agency's
lead or auditor their agency's cases (``Case.objects.visible_to``), their own agency's answers
(``AuditTool.objects.visible_to``), every agency's grades only once they may read the meeting's
record (``sees_every_agencys_grades``), the integrated chronology once it opens to them
(``can_read_integrated_chronology``) and the attendance once they may read the record. Children's
restricted identifiers are never read here (``audits/rounds/identifiers.py`` is their only door)."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from agencies.permissions import can_view_all_rounds
from audits.meetings.permissions import can_read_record, get_round_for_meeting_pack, sees_every_agencys_grades
from audits.meetings.selectors import NOT_ANSWERED, NOT_SUBMITTED, grade_layout, participating_agencies
from audits.models import (
    Attendance,
    AuditRound,
    AuditTool,
    Case,
    CaseAgency,
    Chronology,
    TemplateQuestion,
    TemplateSection,
    ToolAnswer,
    WorkStatus,
)
from audits.returns.permissions import can_read_integrated_chronology
from audits.returns.selectors import INCLUDED_STATUSES, MARKER_COUNT, integrated_queryset, with_markers
from exports import registry
from exports.models import Export
from exports.running import export_progress
from lib.pdf import render_pdf

# The chronology choice on the request form (as in the export's params) -> its words.
CHRONOLOGY_CHOICES = {
    "key": "Key events only",
    "all": "Every entry",
}


@dataclass
class PackTool:
    """One agency's audit tool of a case as the pack shows it: its answers by section once it is
    handed in (submitted or accepted), else only its status."""

    agency: object
    status: str
    handed_in: bool
    sections: list = field(default_factory=list)  # [{"section": ..., "answers": [(question, answer)]}]


@dataclass
class PackCase:
    case: Case
    agencies: list
    grades: dict  # as meetings.selectors.grade_table: agencies, sections (rows of cells), overall
    tools: list  # PackTool, by agency name
    chronology_open: bool
    included: list = field(default_factory=list)
    not_included: list = field(default_factory=list)
    entries: list = field(default_factory=list)


def _cases(user, audit_round: AuditRound) -> list[Case]:
    return list(
        Case.objects.visible_to(user)
        .filter(round=audit_round)
        .prefetch_related(
            Prefetch("case_agencies", queryset=CaseAgency.objects.select_related("agency").order_by("agency__name"))
        )
        .order_by("number")
    )


def _meetings(audit_round: AuditRound) -> list:
    return list(
        audit_round.meetings.order_by("sitting").prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.select_related("agency"))
        )
    )


def _sections_by_version(version_ids) -> dict[int, list[TemplateSection]]:
    sections = {}
    for section in TemplateSection.objects.filter(version_id__in=version_ids).prefetch_related("questions"):
        sections.setdefault(section.version_id, []).append(section)
    return sections


def _grade_table(case, agencies, questions, handed_in, answers) -> dict:
    """A case's grades as ``meetings.selectors.grade_table`` lays them out, from answers read once
    for the whole round: a column per agency in ``agencies``."""
    labels = dict(TemplateQuestion.Grade.choices)

    def cells(question):
        cells = []
        for agency in agencies:
            answer = answers.get((case.pk, agency.pk, question.pk))
            label = labels.get(answer.choice, "") if answer else ""
            cells.append(label or (NOT_ANSWERED if (case.pk, agency.pk) in handed_in else NOT_SUBMITTED))
        return cells

    return grade_layout(questions, agencies, cells)


def meeting_pack(user, audit_round: AuditRound, *, key_only: bool) -> dict:
    """What the pack prints for ``user``, in a fixed number of queries whatever the number of
    cases, agencies, answers and entries."""
    cases = _cases(user, audit_round)
    meetings = _meetings(audit_round)
    every_grade = sees_every_agencys_grades(user, meetings)
    handed = WorkStatus.handed_in()

    # The tools the user may see (their answers), and whose grades they may see.
    tools = list(AuditTool.objects.visible_to(user).filter(case__in=cases).select_related("agency"))
    shown = {(tool.case_id, tool.agency_id): tool for tool in tools}
    if every_grade:
        graded = {
            pk: (case_id, agency_id)
            for pk, case_id, agency_id in AuditTool.objects.filter(case__in=cases, status__in=handed).values_list(
                "pk", "case_id", "agency_id"
            )
        }
    else:
        graded = {tool.pk: (tool.case_id, tool.agency_id) for tool in tools if tool.status in handed}
    handed_in = set(graded.values())
    answered_tools = [tool.pk for tool in tools if tool.status in handed]

    version_ids = {tool.template_version_id for tool in tools}
    if audit_round.template_version_id:
        version_ids.add(audit_round.template_version_id)
    sections = _sections_by_version(version_ids)
    grade_version = audit_round.template_version_id or next(iter(version_ids), None)
    questions = [
        question
        for section in sections.get(grade_version, [])
        for question in section.questions.all()
        if question.kind == TemplateQuestion.Kind.GRADE
    ]

    answers = ToolAnswer.objects.filter(
        Q(tool_id__in=answered_tools) | Q(tool_id__in=list(graded), question__kind=TemplateQuestion.Kind.GRADE)
    ).select_related("question")
    by_tool, grades = {}, {}
    tool_of = {**graded, **{tool.pk: (tool.case_id, tool.agency_id) for tool in tools}}
    for answer in answers:
        by_tool.setdefault(answer.tool_id, {})[answer.question_id] = answer
        case_id, agency_id = tool_of[answer.tool_id]
        if answer.tool_id in graded:
            grades[(case_id, agency_id, answer.question_id)] = answer

    chronology_open = can_read_integrated_chronology(user, audit_round)
    chronologies, entries_by_case = {}, {}
    if chronology_open and cases:
        every = list(Chronology.objects.filter(case__in=cases).select_related("agency").order_by("agency__name"))
        for chronology in every:
            chronologies.setdefault(chronology.case_id, []).append(chronology)
        for case_chronologies in chronologies.values():
            for position, chronology in enumerate(case_chronologies):
                chronology.marker = position % MARKER_COUNT + 1
                chronology.included = chronology.status in INCLUDED_STATUSES
        entries = with_markers(list(integrated_queryset(every, key_only=key_only)), every)
        for entry in entries:  # in date order, so each case's entries stay in date order
            entries_by_case.setdefault(entry.chronology.case_id, []).append(entry)

    pack_cases = []
    for case in cases:
        agencies = [link.agency for link in case.case_agencies.all()]
        columns = agencies if every_grade else [a for a in agencies if (case.pk, a.pk) in shown]
        pack_tools = []
        for agency in agencies:
            tool = shown.get((case.pk, agency.pk))
            if tool is None:
                continue
            answered = by_tool.get(tool.pk, {})
            pack_tools.append(
                PackTool(
                    agency=agency,
                    status=tool.get_status_display(),
                    handed_in=tool.status in handed,
                    sections=[
                        {
                            "section": section,
                            "answers": [(question, answered.get(question.pk)) for question in section.questions.all()],
                        }
                        for section in sections.get(tool.template_version_id, [])
                    ]
                    if tool.status in handed
                    else [],
                )
            )
        case_chronologies = chronologies.get(case.pk, [])
        pack_cases.append(
            PackCase(
                case=case,
                agencies=agencies,
                grades=_grade_table(case, columns, questions, handed_in, grades),
                tools=pack_tools,
                chronology_open=chronology_open,
                included=[c for c in case_chronologies if c.included],
                not_included=[c for c in case_chronologies if not c.included],
                entries=entries_by_case.get(case.pk, []),
            )
        )

    sittings = [
        {
            "meeting": meeting,
            "reads_attendance": can_read_record(user, meeting),
            "attendance": {record.agency_id: record for record in meeting.attendance.all()},
        }
        for meeting in meetings
    ]
    agencies = participating_agencies(audit_round)
    for sitting in sittings:
        sitting["rows"] = [(agency, sitting["attendance"].get(agency.pk)) for agency in agencies]
    return {
        "round": audit_round,
        "sittings": sittings,
        "agencies": agencies,
        "cases": pack_cases,
        "every_case": can_view_all_rounds(user),
        "every_grade": every_grade,
        "key_only": key_only,
        "chronology_opens_on": audit_round.integrated_chronology_opens_on,
        "produced_on": timezone.localdate(),
    }


def _round(params) -> AuditRound:
    return AuditRound.objects.select_related("area").get(pk=params["round"])


def export_params(audit_round: AuditRound, chronology: str) -> dict:
    """An export's params: the round by id and the chronology choice (a CHRONOLOGY_CHOICES key)."""
    return {"round": audit_round.pk, "chronology": chronology}


def build(export: Export) -> registry.Built:
    audit_round = _round(export.params)
    export_progress(export, "reading the cases")
    # Asked as the requester: their pack holds what they may see now.
    context = meeting_pack(export.requested_by, audit_round, key_only=export.params["chronology"] == "key")
    entries = sum(len(case.entries) for case in context["cases"])
    export_progress(export, f"laying out {len(context['cases'])} cases and {entries:,} chronology entries")
    content = render_pdf("print/meeting_pack.html", context, title=f"Meeting pack: {audit_round.title}")
    return registry.Built(content, f"round-{audit_round.pk}-meeting-pack.pdf", "application/pdf")


def may_request(user, params) -> bool:
    if params.get("chronology") not in CHRONOLOGY_CHOICES:
        return False
    try:
        get_round_for_meeting_pack(user, params.get("round"))
    except (PermissionDenied, Http404):
        return False
    return True


def what(params) -> str:
    """The access log's name for the download: the round by number."""
    return f"Meeting pack PDF, round {params['round']}"


def title(params) -> str:
    chronology = CHRONOLOGY_CHOICES[params["chronology"]].lower()
    return f"Meeting pack of {_round(params).title} (chronologies: {chronology})"


def back(params) -> str:
    return reverse("audits:meeting-pack", args=[params["round"]])


registry.register(Export.Kind.MEETING_PACK, build=build, may_request=may_request, what=what, title=title, back=back)
