"""The meeting pack: one PDF per round, made as an export, holding for each case the summary, the
grades, the answers and the integrated chronology; the coordinator's holds every case, an agency's
only its own cases and its own answers; never a restricted identifier; logged on download."""

import datetime
import io

import pytest
from django.test import TestCase
from django.urls import reverse
from pypdf import PdfReader

from agencies.models import AccessEvent
from audits.meetings.exports import meeting_pack
from audits.models import Attendance, AuditRound, AuditTool, Chronology, TemplateQuestion, ToolAnswer, WorkStatus
from audits.returns.lifecycle import returns_create_for_case
from audits.returns.selectors import sections_of
from exports.models import Export
from tests import factories
from tests.audits.returns.test_access_integrated import move_tools_due_date
from tests.exports.flow import export_of

D = datetime.date


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def answer_tool(tool, marker: str, grade=TemplateQuestion.Grade.GOOD, status=WorkStatus.SUBMITTED):
    """Answer every question of ``tool`` (evidence naming ``marker``) and hand it in."""
    for section in sections_of(tool):
        for question in section.questions.all():
            choice = grade if question.kind == TemplateQuestion.Kind.GRADE else ""
            if question.kind == TemplateQuestion.Kind.YES_NO:
                choice = question.choices[0][0]
            ToolAnswer.objects.create(tool=tool, question=question, choice=choice, text=f"{marker} q{question.pk}")
    AuditTool.objects.filter(pk=tool.pk).update(status=status)


@pytest.fixture
def pack_round(returns_case, agency_a, agency_b, coordinator, tool_a, tool_b, chronology_a, chronology_b):
    """A demo-like open round whose tools were due yesterday, with a meeting arranged: case 1
    (agencies A and B, with restricted identifiers recorded), case 2 (agency B only) and case 3
    (agency A only); every tool answered and submitted but agency B's of case 1, still a draft;
    every chronology submitted with a key event and an ordinary entry."""
    audit_round = returns_case.round
    case_1 = returns_case
    case_2 = factories.CaseFactory(round=audit_round, number=2, summary="Summary of case two: a teenager.")
    factories.CaseAgencyFactory(case=case_2, agency=agency_b, added_by=coordinator)
    case_3 = factories.CaseFactory(round=audit_round, number=3, summary="Summary of case three: an infant.")
    factories.CaseAgencyFactory(case=case_3, agency=agency_a, added_by=coordinator)
    AuditRound.objects.filter(pk=audit_round.pk).update(status=AuditRound.Status.OPEN)
    case_1.summary = "Summary of case one: school attendance."
    case_1.save()
    for case in (case_2, case_3):
        returns_create_for_case(actor=coordinator, case=case)
    move_tools_due_date(audit_round, -1)

    answer_tool(tool_a, "A-case1", grade=TemplateQuestion.Grade.GOOD)
    answer_tool(tool_b, "B-case1", grade=TemplateQuestion.Grade.INADEQUATE, status=WorkStatus.DRAFT)
    answer_tool(case_2.tools.get(agency=agency_b), "B-case2", grade=TemplateQuestion.Grade.OUTSTANDING)
    answer_tool(case_3.tools.get(agency=agency_a), "A-case3", grade=TemplateQuestion.Grade.REQUIRES_IMPROVEMENT)
    for case in (case_1, case_2, case_3):
        for chronology in case.chronologies.select_related("agency"):
            agency = chronology.agency.short_name.replace(" ", "")
            factories.EntryFactory(
                chronology=chronology,
                date=D(2026, 3, case.number),
                key_event=True,
                what_happened=f"Key event {agency} case{case.number}",
            )
            factories.EntryFactory(
                chronology=chronology,
                date=D(2026, 4, case.number),
                key_event=False,
                what_happened=f"Routine visit {agency} case{case.number}",
            )
    Chronology.objects.filter(case__round=audit_round).update(status=WorkStatus.SUBMITTED)

    meeting = factories.MeetingFactory(round=audit_round, place="Room 2, Civic Centre, Northshire")
    Attendance.objects.create(
        meeting=meeting, agency=agency_a, status=Attendance.Status.PRESENT, attendees="Alex Attendee, lead"
    )
    audit_round.refresh_from_db()
    return audit_round


def pack_url(audit_round):
    return reverse("audits:meeting-pack", args=[audit_round.pk])


def post_pack(client, audit_round, chronology):
    """The request form POSTs its choice; the export is made as the request commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(pack_url(audit_round), {"chronology": chronology})


def get_pack(client, user, audit_round, chronology="all"):
    """``user`` asks for the round's pack and downloads it: the download's response."""
    client.force_login(user)
    export = export_of(post_pack(client, audit_round, chronology))
    assert export.is_done, export.state
    response = client.get(reverse("exports:export-download", args=[export.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response


@pytest.fixture
def coordinators_pack(client, coordinator, pack_round):
    response = get_pack(client, coordinator, pack_round)
    return Export.objects.get(), pdf_text(response.content)


def test_the_coordinators_pack_holds_every_case_summary_grades_answers_and_chronology(coordinators_pack, pack_round):
    export, text = coordinators_pack
    assert export.kind == Export.Kind.MEETING_PACK and export.params == {"round": pack_round.pk, "chronology": "all"}
    assert f"Meeting pack: {pack_round.title}" in text
    for number, words in ((1, "school attendance"), (2, "a teenager"), (3, "an infant")):
        assert f"Summary of case {['', 'one', 'two', 'three'][number]}: {words}" in text
    for entry in (
        "Key event AgencyA case1",
        "Routine visit AgencyA case1",
        "Key event AgencyB case1",
        "Routine visit AgencyB case1",
        "Key event AgencyB case2",
        "Routine visit AgencyB case2",
        "Key event AgencyA case3",
        "Routine visit AgencyA case3",
    ):
        assert entry in text, entry
    # Submitted tools' answers and grades; agency B's draft of case 1 is neither.
    assert "A-case1" in text and "B-case2" in text and "A-case3" in text
    assert "B-case1" not in text and "Inadequate" not in text
    assert "Outstanding" in text and "Requires improvement" in text and "Not submitted" in text
    # The cover: the meeting's place and who attended.
    assert "Room 2, Civic Centre, Northshire" in text and "Alex Attendee" in text


def test_the_pack_never_holds_a_restricted_identifier(coordinators_pack, identifier_texts):
    _, text = coordinators_pack
    for identifier in identifier_texts:
        assert identifier not in text, identifier


def test_the_download_is_logged(coordinators_pack, coordinator, pack_round):
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.EXPORT)
    assert event.user == coordinator and event.what == f"Meeting pack PDF, round {pack_round.pk}"


def test_key_events_only(client, coordinator, pack_round):
    text = pdf_text(get_pack(client, coordinator, pack_round, chronology="key").content)
    assert "Key event AgencyA case3" in text and "Key event AgencyB case2" in text
    assert "Routine visit" not in text


def test_an_agencys_pack_holds_only_its_cases_and_its_own_answers(client, auditor_a, pack_round, identifier_texts):
    text = pdf_text(get_pack(client, auditor_a, pack_round).content)
    assert "Summary of case one" in text and "Summary of case three" in text
    assert "Summary of case two" not in text and "case2" not in text
    # Its own answers; not agency B's (an auditor never reads the meeting's record).
    assert "A-case1" in text and "A-case3" in text and "B-case" not in text
    assert "Outstanding" not in text
    # Every agency's chronology of its own cases, once the chronology has opened.
    assert "Key event AgencyB case1" in text and "Routine visit AgencyA case3" in text
    # The attendance is the meeting record's: not for auditors.
    assert "Alex Attendee" not in text
    for identifier in identifier_texts:
        assert identifier not in text


def test_agency_b_pack_holds_its_two_cases(client, pack_round, agency_b):
    auditor_b = factories.UserFactory(email="auditor.b@example.test", agency=agency_b, agency_role="auditor")
    text = pdf_text(get_pack(client, auditor_b, pack_round).content)
    assert "Summary of case one" in text and "Summary of case two" in text
    assert "Summary of case three" not in text and "case3" not in text
    assert "B-case2" in text and "A-case1" not in text
    assert "B-case1" not in text  # its own draft is not handed in yet


def test_a_lead_reads_every_agencys_grades_once_the_meeting_has_ended(client, lead_a, pack_round):
    """The meeting (MeetingFactory) has ended: the lead reads its record, so the grade table."""
    context = meeting_pack(lead_a, pack_round, key_only=False)
    assert context["every_grade"]
    case_1 = context["cases"][0]
    assert [a.short_name for a in case_1.grades["agencies"]] == ["Agency A", "Agency B"]
    assert case_1.grades["overall"] == ["Good", "Not submitted"]
    assert [tool.agency.short_name for tool in case_1.tools] == ["Agency A"]  # answers: only its own


def test_before_the_tools_are_due_an_agency_gets_no_chronology(client, auditor_a, pack_round):
    move_tools_due_date(pack_round, 3)
    text = pdf_text(get_pack(client, auditor_a, pack_round).content)
    assert "Key event" not in text and "opens to the agencies on" in text
    assert "Summary of case one" in text


def test_the_pack_reads_a_fixed_number_of_queries(pack_round, coordinator, django_assert_max_num_queries, agency_a):
    with django_assert_max_num_queries(14) as few:
        meeting_pack(coordinator, pack_round, key_only=False)
    for number in (4, 5, 6):
        case = factories.CaseFactory(round=pack_round, number=number)
        factories.CaseAgencyFactory(case=case, agency=agency_a, added_by=coordinator)
        returns_create_for_case(actor=coordinator, case=case)
        answer_tool(case.tools.get(), f"extra{number}")
        factories.EntryFactory(chronology=case.chronologies.get(), what_happened="more")
    pack_round.refresh_from_db()
    with django_assert_max_num_queries(len(few.captured_queries)):
        meeting_pack(coordinator, pack_round, key_only=False)


def test_the_request_form_asks_which_entries(client, coordinator, pack_round):
    client.force_login(coordinator)
    page = client.get(pack_url(pack_round))
    assert page.status_code == 200 and "Key events only" in page.text and "Every entry" in page.text
    refused = client.post(pack_url(pack_round), {"chronology": "everything"})
    assert refused.status_code == 200 and "govuk-error-summary" in refused.text
    assert not Export.objects.exists()


def test_the_meeting_page_links_to_the_pack(client, coordinator, lead_a, pack_round):
    meeting = pack_round.meetings.get()
    for user in (coordinator, lead_a):
        client.force_login(user)
        assert pack_url(pack_round) in client.get(meeting.get_absolute_url()).text


def test_the_pack_is_checked_again_at_download(client, lead_a, pack_round):
    """Once the lead has left the agency the pack is refused (the kind's check, asked again)."""
    client.force_login(lead_a)
    export = export_of(post_pack(client, pack_round, "key"))
    lead_a.membership.delete()
    assert client.get(reverse("exports:export-download", args=[export.pk])).status_code == 403


def test_the_round_page_links_to_the_pack_for_those_who_may_ask(client, coordinator, auditor_a, pack_round):
    # The one way in for an auditor, who never opens the meeting page.
    link = reverse("audits:meeting-pack", args=[pack_round.pk])
    for user in (coordinator, auditor_a):
        client.force_login(user)
        assert link in client.get(pack_round.get_absolute_url()).text
    planned = factories.AuditRoundFactory(status="planning")
    client.force_login(coordinator)
    assert reverse("audits:meeting-pack", args=[planned.pk]) not in client.get(planned.get_absolute_url()).text
