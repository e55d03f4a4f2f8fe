"""The round page's stage task list: each stage's tasks with the status the round's predicates and
work give them (``selectors.round_task_list``), "what to do next", and links only to what the
user may do now."""

from django.urls import reverse

from audits.models import AuditRound, AuditTool, CaseDiscussion, Chronology, WorkStatus
from audits.rounds.selectors import TaskStatus
from tests import factories

Status = AuditRound.Status


def _set_status(audit_round, status):
    AuditRound.objects.filter(pk=audit_round.pk).update(status=status)
    audit_round.refresh_from_db()
    return audit_round


def _page(client, user, audit_round):
    client.force_login(user)
    response = client.get(audit_round.get_absolute_url())
    assert response.status_code == 200
    return response


def _tasks(response) -> dict:
    return {task.name: task for stage in response.context["task_list"].stages for task in stage.tasks}


def test_a_planned_round_without_cases_starts_with_the_cases(client, coordinator, audit_round):
    response = _page(client, coordinator, audit_round)
    tasks = _tasks(response)
    assert tasks["Draw or add the cases"].status == TaskStatus.NOT_STARTED
    assert tasks["Draw or add the cases"].url == reverse("audits:draw-start", args=[audit_round.pk])
    assert tasks["Choose the agencies for each case"].status == TaskStatus.CANNOT_START
    assert tasks["Open the round and send the invitations"].status == TaskStatus.CANNOT_START
    assert tasks["Open the round and send the invitations"].url == ""  # cannot start: no link
    assert tasks["Audit tools and chronologies returned"].status == TaskStatus.CANNOT_START
    assert tasks["Close the round"].status == TaskStatus.CANNOT_START
    assert response.context["task_list"].next_task == tasks["Draw or add the cases"]
    html = response.content.decode()
    assert 'class="govuk-task-list"' in html and "What to do next" in html
    assert "govuk-task-list__status--cannot-start-yet" in html
    # The old heap of bare links is gone.
    assert ">Learning</a>" not in html and ">Briefings</a>" not in html


def test_a_planned_round_ready_to_open_says_so(client, coordinator, case):
    response = _page(client, coordinator, case.round)
    tasks = _tasks(response)
    assert tasks["Draw or add the cases"].status == TaskStatus.COMPLETED
    assert tasks["Choose the agencies for each case"].status == TaskStatus.COMPLETED
    opening = tasks["Open the round and send the invitations"]
    assert opening.status == TaskStatus.NOT_STARTED
    assert opening.url == reverse("audits:round-advance", args=[case.round_id])
    assert response.context["task_list"].next_task == opening


def test_a_case_without_agencies_is_in_progress_and_stops_opening(client, coordinator, case):
    factories.CaseFactory(round=case.round, number=2)
    tasks = _tasks(_page(client, coordinator, case.round))
    assert tasks["Choose the agencies for each case"].status == TaskStatus.IN_PROGRESS
    assert tasks["Choose the agencies for each case"].hint == "1 of 2 cases have agencies"
    assert tasks["Open the round and send the invitations"].status == TaskStatus.CANNOT_START


def test_an_open_round_shows_the_returns_handed_in(client, coordinator, returns_case, tool_a, chronology_b):
    AuditTool.objects.filter(pk=tool_a.pk).update(status=WorkStatus.SUBMITTED)
    Chronology.objects.filter(pk=chronology_b.pk).update(status=WorkStatus.ACCEPTED)
    response = _page(client, coordinator, returns_case.round)
    tasks = _tasks(response)
    assert tasks["Open the round and send the invitations"].status == TaskStatus.COMPLETED
    returns = tasks["Audit tools and chronologies returned"]
    assert returns.status == TaskStatus.IN_PROGRESS
    assert returns.hint == "50% handed in, 1 of 4 accepted"
    assert returns.url == reverse("audits:round-completion", args=[returns_case.round_id])
    assert tasks["Arrange the meeting"].status == TaskStatus.NOT_STARTED
    assert tasks["Arrange the meeting"].url == reverse("audits:meeting-arrange", args=[returns_case.round_id])
    assert tasks["Record each case's discussion and agreed grade"].status == TaskStatus.CANNOT_START
    assert response.context["task_list"].next_task == returns
    AuditTool.objects.update(status=WorkStatus.ACCEPTED)
    Chronology.objects.update(status=WorkStatus.ACCEPTED)
    tasks = _tasks(_page(client, coordinator, returns_case.round))
    assert tasks["Audit tools and chronologies returned"].status == TaskStatus.COMPLETED


def test_the_meeting_record_counts_cases_with_notes_or_a_grade(client, coordinator, open_case):
    audit_round = _set_status(open_case.round, Status.MEETING)
    factories.CaseFactory(round=audit_round, number=2)
    factories.MeetingFactory(round=audit_round)
    CaseDiscussion.objects.create(case=open_case, notes="Discussed.", created_by=coordinator)
    tasks = _tasks(_page(client, coordinator, audit_round))
    assert tasks["Arrange the meeting"].status == TaskStatus.COMPLETED
    record = tasks["Record each case's discussion and agreed grade"]
    assert record.status == TaskStatus.IN_PROGRESS and record.hint == "1 of 2 cases recorded"


def test_a_closed_round_is_complete_and_offers_no_changes(client, coordinator, open_case):
    audit_round = _set_status(open_case.round, Status.CLOSED)
    response = _page(client, coordinator, audit_round)
    tasks = _tasks(response)
    assert tasks["Close the round"].status == TaskStatus.COMPLETED
    assert tasks["Write and publish a briefing"].status == TaskStatus.COMPLETED
    for name in (
        "Round details and milestones",
        "Draw or add the cases",
        "Close the round",
        "Arrange the meeting",
    ):
        assert tasks[name].url == "", name
    # A briefing may still be written of a closed round (last year's learning, for instance).
    assert tasks["Write and publish a briefing"].url == reverse("briefings:briefing-create", args=[audit_round.pk])
    html = response.content.decode()
    assert reverse("audits:round-advance", args=[audit_round.pk]) not in html
    assert reverse("audits:meeting-arrange", args=[audit_round.pk]) not in html


def test_a_published_round_is_ready_to_close(client, coordinator, open_case):
    audit_round = _set_status(open_case.round, Status.PUBLISHED)
    response = _page(client, coordinator, audit_round)
    close = _tasks(response)["Close the round"]
    assert close.status == TaskStatus.NOT_STARTED
    assert close.url == reverse("audits:round-advance", args=[audit_round.pk])


def test_agency_staff_see_no_task_list(client, lead_a, open_case):
    response = _page(client, lead_a, open_case.round)
    assert response.context["task_list"] is None
    assert "govuk-task-list" not in response.content.decode()


def test_the_template_never_compares_statuses():
    from pathlib import Path

    text = Path("templates/rounds/_round_task_list.html").read_text()
    assert "==" not in text and ".status" not in text and "round." not in text
