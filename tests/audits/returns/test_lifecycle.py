import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audits.models import AuditTool, Chronology, TemplateQuestion, WorkStatus
from audits.returns import lifecycle as returns
from audits.returns import selectors
from audits.returns import services as chronologies
from audits.returns import services as tools
from audits.rounds import services
from tests import factories


def answer_everything(tool, actor):
    for section in selectors.sections_of(tool):
        answers = {}
        for question in section.questions.all():
            choice = question.choices[0][0] if question.choices else ""
            answers[question.pk] = (choice, "Evidence from the case file.")
        tools.tool_section_save(
            actor=actor, tool=tool, section=section, revision=selectors.section_revision(tool, section), answers=answers
        )


def test_opening_a_round_pins_the_template_and_creates_one_tool_and_chronology_per_case_and_agency(
    case, coordinator, agency_b
):
    factories.CaseAgencyFactory(case=case, agency=agency_b, added_by=coordinator)
    audit_round = services.round_advance(actor=coordinator, audit_round=case.round, from_status="planning")
    assert audit_round.template_version is not None
    assert AuditTool.objects.filter(case=case).count() == 2
    assert Chronology.objects.filter(case=case).count() == 2
    tool = AuditTool.objects.filter(case=case).first()
    assert tool.due_date == audit_round.tools_due_date
    assert tool.template_version == audit_round.template_version


def test_an_agency_added_to_an_open_case_gets_its_tool(returns_case, coordinator):
    extra = factories.AgencyFactory()
    services.case_set_agencies(actor=coordinator, case=returns_case, agencies=[*returns_case.agencies.all(), extra])
    assert AuditTool.objects.filter(case=returns_case, agency=extra).exists()
    assert Chronology.objects.filter(case=returns_case, agency=extra).exists()


def test_full_lifecycle_of_a_tool(tool_a, lead_a, auditor_a, coordinator):
    answer_everything(tool_a, auditor_a)
    tool_a.refresh_from_db()
    assert tool_a.status == WorkStatus.DRAFT
    with pytest.raises(PermissionDenied):
        tools.tool_submit(actor=auditor_a, tool=tool_a)
    tools.tool_submit(actor=lead_a, tool=tool_a)
    tool_a.refresh_from_db()
    assert tool_a.status == WorkStatus.SUBMITTED and tool_a.submitted_by == lead_a
    section = selectors.sections_of(tool_a)[0]
    with pytest.raises(ValidationError, match="can no longer be changed"):
        tools.tool_section_save(actor=lead_a, tool=tool_a, section=section, revision=1, answers={})
    with pytest.raises(ValidationError):
        returns.return_send_back(actor=coordinator, item=tool_a, comment="  ")
    returns.return_send_back(actor=coordinator, item=tool_a, comment="Please add evidence for section 2.")
    tool_a.refresh_from_db()
    assert tool_a.status == WorkStatus.RETURNED
    tools.tool_section_save(actor=auditor_a, tool=tool_a, section=section, revision=1, answers={})
    tool_a.refresh_from_db()
    assert tool_a.status == WorkStatus.DRAFT
    tools.tool_submit(actor=lead_a, tool=tool_a)
    returns.return_accept(actor=coordinator, item=tool_a)
    tool_a.refresh_from_db()
    assert tool_a.status == WorkStatus.ACCEPTED
    with pytest.raises(ValidationError):
        returns.return_accept(actor=coordinator, item=tool_a)
    actors = {h.history_user for h in tool_a.history.all()}
    assert {lead_a, auditor_a, coordinator} <= actors


def test_submitting_with_required_answers_missing_lists_each(tool_a, lead_a):
    with pytest.raises(ValidationError) as caught:
        tools.tool_submit(actor=lead_a, tool=tool_a)
    required = TemplateQuestion.objects.filter(section__version=tool_a.template_version, required=True).count()
    assert len(caught.value.messages) == required
    tool_a.refresh_from_db()
    assert tool_a.status == WorkStatus.NOT_STARTED


def test_second_save_from_an_old_revision_is_a_conflict_and_saves_nothing(tool_a, lead_a, auditor_a):
    section = selectors.sections_of(tool_a)[0]
    question = section.questions.first()
    tools.tool_section_save(
        actor=auditor_a, tool=tool_a, section=section, revision=0, answers={question.pk: ("", "First person's text")}
    )
    with pytest.raises(tools.SectionConflictError):
        tools.tool_section_save(
            actor=lead_a, tool=tool_a, section=section, revision=0, answers={question.pk: ("", "Second person's text")}
        )
    assert tool_a.answers.get(question=question).text == "First person's text"


def test_other_agency_and_coordinators_cannot_edit(tool_a, lead_b, coordinator):
    section = selectors.sections_of(tool_a)[0]
    for actor in (lead_b, coordinator):
        with pytest.raises(PermissionDenied):
            tools.tool_section_save(actor=actor, tool=tool_a, section=section, revision=0, answers={})
    with pytest.raises(PermissionDenied):
        returns.return_accept(actor=lead_b, item=tool_a)


def test_chronology_lifecycle(chronology_a, lead_a, auditor_a, coordinator):
    with pytest.raises(ValidationError, match="at least one entry"):
        chronologies.chronology_submit(actor=lead_a, chronology=chronology_a)
    entry = chronologies.entry_save(
        actor=auditor_a,
        chronology=chronology_a,
        date="2026-03-01",
        event_type="home_visit",
        what_happened="Visit made; child seen.",
    )
    chronologies.entry_save(actor=auditor_a, chronology=chronology_a, entry=entry, key_event=True)
    chronologies.chronology_submit(actor=lead_a, chronology=chronology_a)
    with pytest.raises(ValidationError):
        chronologies.entry_delete(actor=lead_a, entry=entry)
    returns.return_send_back(actor=coordinator, item=chronology_a, comment="Add the March strategy discussion.")
    chronologies.entry_delete(actor=lead_a, entry=entry)
    chronology_a.refresh_from_db()
    assert chronology_a.status == WorkStatus.DRAFT
    assert not chronology_a.entries.exists()


def test_import_is_all_or_nothing(chronology_a, auditor_a):
    good = {"date": "2026-03-01", "event_type": "referral", "what_happened": "Referral received."}
    bad = {"date": "2026-03-02", "event_type": "not-a-type", "what_happened": "x"}
    with pytest.raises(ValidationError):
        chronologies.entries_import(actor=auditor_a, chronology=chronology_a, entries=[good, bad])
    assert not chronology_a.entries.exists()
    chronologies.entries_import(actor=auditor_a, chronology=chronology_a, entries=[good, good])
    assert chronology_a.entries.count() == 2


def test_moving_the_rounds_due_date_moves_the_work_still_owed(tool_a, chronology_a, lead_a, coordinator):
    import datetime

    answer_everything(tool_a, lead_a)
    tools.tool_submit(actor=lead_a, tool=tool_a)
    audit_round = tool_a.case.round
    new_due = audit_round.tools_due_date + datetime.timedelta(days=7)
    services.round_update(actor=coordinator, audit_round=audit_round, tools_due_date=new_due)
    chronology_a.refresh_from_db()
    tool_a.refresh_from_db()
    assert chronology_a.due_date == new_due
    assert tool_a.due_date != new_due, "submitted work keeps the date it was due by"
