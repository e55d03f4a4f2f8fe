"""The home page's task lists: what an agency owes, and for coordinators what is overdue."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import AuditTool, Chronology, WorkStatus
from audits.returns import lifecycle
from audits.returns.lifecycle import pin_template_version, returns_create_for_case
from tests import factories


def yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("role", ["lead_a", "auditor_a"])
def test_agency_staff_see_what_their_agency_owes(client, request, tool_a, chronology_a, tool_b, role):
    response = home(client, request.getfixturevalue(role))
    tasks = response.context["agency_tasks"]
    assert {task.item for task in tasks} == {tool_a, chronology_a}
    assert f'href="{tool_a.get_absolute_url()}"' in response.text
    assert f'href="{chronology_a.get_absolute_url()}"' in response.text
    assert tool_b.get_absolute_url() not in response.text
    assert "Audit tool: Case 1" in response.text and "Chronology: Case 1" in response.text
    assert tool_a.case.round.title in response.text


def test_submitted_and_accepted_work_leaves_the_list(client, lead_a, tool_a, chronology_a):
    AuditTool.objects.filter(pk=tool_a.pk).update(status=WorkStatus.SUBMITTED)
    Chronology.objects.filter(pk=chronology_a.pk).update(status=WorkStatus.ACCEPTED)
    response = home(client, lead_a)
    assert response.context["agency_tasks"] == []
    assert "Your agency has nothing left to return." in response.text


def test_returned_and_overdue_work_is_marked(client, lead_a, tool_a, chronology_a):
    AuditTool.objects.filter(pk=tool_a.pk).update(status=WorkStatus.RETURNED, due_date=yesterday())
    text = home(client, lead_a).text
    assert "Returned for changes" in text
    assert text.count(">Overdue</strong>") == 1


def test_coordinator_sees_overdue_counts_per_round_linking_to_completion(
    client, coordinator, tool_a, tool_b, chronology_a
):
    AuditTool.objects.filter(pk__in=[tool_a.pk, tool_b.pk]).update(due_date=yesterday())
    Chronology.objects.filter(pk=chronology_a.pk).update(due_date=yesterday(), status=WorkStatus.SUBMITTED)
    response = home(client, coordinator)
    [audit_round] = response.context["overdue_rounds"]
    assert (audit_round.overdue_tools, audit_round.overdue_chronologies) == (2, 0)
    assert reverse("audits:round-completion", args=[audit_round.pk]) in response.text
    # What the page already showed is still there.
    assert "Rounds in progress" in response.text


def test_coordinator_with_nothing_overdue(client, coordinator, returns_case):
    response = home(client, coordinator)
    assert response.context["overdue_rounds"] == []
    assert "No audit tools or chronologies are overdue." in response.text


def test_board_viewer_sees_no_tasks(client, board_viewer, returns_case):
    response = home(client, board_viewer)
    assert "agency_tasks" not in response.context and "overdue_rounds" not in response.context


def add_rounds(count, agencies, coordinator):
    for _ in range(count):
        audit_round = factories.AuditRoundFactory(status="open", launch_date=datetime.date(2025, 1, 6))
        pin_template_version(audit_round)
        audit_round.save()
        for number in (1, 2):
            case = factories.CaseFactory(round=audit_round, number=number)
            for agency in agencies:
                factories.CaseAgencyFactory(case=case, agency=agency, added_by=coordinator)
            returns_create_for_case(actor=coordinator, case=case)


def count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["coordinator", "lead_a"])
def test_home_queries_do_not_grow_with_tasks(client, request, coordinator, agency_a, agency_b, role):
    # Rounds launched in 2025 are overdue by now: each adds overdue rows and tasks.
    add_rounds(1, [agency_a, agency_b], coordinator)
    client.force_login(request.getfixturevalue(role))
    one = count_queries(client)
    add_rounds(9, [agency_a, agency_b], coordinator)
    assert count_queries(client) == one
    context = client.get(reverse("home")).context
    listed = context["overdue_rounds"] if role == "coordinator" else context["agency_tasks"]
    assert len(listed) == (10 if role == "coordinator" else 40)


def test_lead_and_auditor_homes_queries_do_not_grow_with_assigned_and_ready_work(
    client, lead_a, auditor_a, agency_a, coordinator
):
    """The lead's "Ready for you to submit" and the auditor's "Assigned to you" (issue 12) read
    from the agency's task list: no query per row."""

    def add(count):
        for _ in range(count):
            audit_round = factories.AuditRoundFactory(status="open")
            case = factories.CaseFactory(round=audit_round, number=1)
            factories.CaseAgencyFactory(case=case, agency=agency_a, added_by=coordinator)
            for item in (
                factories.ToolFactory(case=case, agency=agency_a),
                factories.ChronologyFactory(case=case, agency=agency_a),
            ):
                lifecycle.return_assign(actor=lead_a, item=item, auditor=auditor_a)
                lifecycle.return_mark_ready(actor=auditor_a, item=item)

    def count(user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("home"))
        assert response.status_code == 200
        return len(queries), response.context

    add(1)
    one_lead, context = count(lead_a)
    assert len(context["ready_tasks"]) == 2
    one_auditor, context = count(auditor_a)
    assert len(context["assigned_tasks"]) == 2
    add(5)
    more_lead, context = count(lead_a)
    assert len(context["ready_tasks"]) == 12
    more_auditor, context = count(auditor_a)
    assert len(context["assigned_tasks"]) == 12
    assert (more_lead, more_auditor) == (one_lead, one_auditor)
