"""The round completion page (cases x agencies) and its CSV export."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import AuditTool, Chronology, WorkStatus
from audits.returns.lifecycle import returns_create_for_case
from tests import factories


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def page(client, coordinator, returns_case):
    def get():
        client.force_login(coordinator)
        response = client.get(reverse("audits:round-completion", args=[returns_case.round_id]))
        assert response.status_code == 200
        return response

    return get


def test_matrix_shows_each_agencys_tool_and_chronology_status(page, tool_a, chronology_b):
    AuditTool.objects.filter(pk=tool_a.pk).update(status=WorkStatus.SUBMITTED)
    Chronology.objects.filter(pk=chronology_b.pk).update(status=WorkStatus.RETURNED)
    response = page()
    rows = response.context["completion"].rows
    assert [a.short_name for a in response.context["completion"].agencies] == ["Agency A", "Agency B"]
    cell_a, cell_b = rows[0].cells
    assert cell_a.tool.status == "submitted" and cell_b.chronology.status == "returned"
    text = response.text
    assert "Submitted" in text and "Returned for changes" in text and "Not started" in text
    assert "Agency A" in text and "Agency B" in text


def test_agency_not_in_a_case_shows_not_taking_part(page, returns_case, agency_a, coordinator):
    other = factories.CaseFactory(round=returns_case.round, number=2)
    factories.CaseAgencyFactory(case=other, agency=agency_a, added_by=coordinator)
    returns_create_for_case(actor=coordinator, case=other)
    response = page()
    second = response.context["completion"].rows[1]
    assert [cell.taking_part for cell in second.cells] == [True, False]
    assert "Not taking part" in response.text


def test_counts_per_status(page, tool_a, chronology_a):
    AuditTool.objects.filter(pk=tool_a.pk).update(status=WorkStatus.DRAFT)
    Chronology.objects.filter(pk=chronology_a.pk).update(status=WorkStatus.ACCEPTED)
    counts = {c["status"]: (c["tools"], c["chronologies"]) for c in page().context["completion"].counts}
    assert counts == {
        "not_started": (1, 1),
        "draft": (1, 0),
        "submitted": (0, 0),
        "returned": (0, 0),
        "accepted": (0, 1),
    }


def test_overdue_is_flagged_with_a_tag_only_when_not_submitted(page, tool_a, tool_b, chronology_a, chronology_b):
    AuditTool.objects.filter(pk=tool_a.pk).update(due_date=days(-1))
    AuditTool.objects.filter(pk=tool_b.pk).update(due_date=days(-1), status=WorkStatus.SUBMITTED)
    Chronology.objects.filter(pk__in=[chronology_a.pk, chronology_b.pk]).update(due_date=days(0))
    response = page()
    completion = response.context["completion"]
    assert (completion.overdue_tools, completion.overdue_chronologies) == (1, 0)
    cell_a, cell_b = completion.rows[0].cells
    assert cell_a.tool.overdue and not cell_b.tool.overdue and not cell_a.chronology.overdue
    assert response.text.count('govuk-tag--red">Overdue</strong>') == 1
    assert "1 return is overdue" in response.text


def test_round_page_links_to_completion_for_coordinators_only(client, coordinator, lead_a, returns_case):
    url = reverse("audits:round-completion", args=[returns_case.round_id])
    client.force_login(coordinator)
    assert url in client.get(returns_case.round.get_absolute_url()).text
    client.force_login(lead_a)
    assert url not in client.get(returns_case.round.get_absolute_url()).text


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_lists_each_case_and_agency(client, coordinator, returns_case, tool_a):
    AuditTool.objects.filter(pk=tool_a.pk).update(status=WorkStatus.SUBMITTED, due_date=days(-3))
    client.force_login(coordinator)
    rows = read_csv(client.get(reverse("audits:round-completion-csv", args=[returns_case.round_id])))
    assert rows[0][:4] == ["Round", "Case", "Agency", "Audit tool status"]
    body = {row[2]: row for row in rows[1:]}
    assert set(body) == {"Agency A Children's Services", "Agency B Police"}
    assert body["Agency A Children's Services"][1] == "Case 1"
    assert body["Agency A Children's Services"][3:6] == ["Submitted", days(-3).isoformat(), "No"]
    assert body["Agency B Police"][6] == "Not started"


def test_csv_neutralises_formulas(client, coordinator, returns_case, agency_a):
    agency_a.name = '=HYPERLINK("http://example.invalid")'
    agency_a.save()
    returns_case.round.title = "+Round"
    returns_case.round.save()
    client.force_login(coordinator)
    rows = read_csv(client.get(reverse("audits:round-completion-csv", args=[returns_case.round_id])))
    assert rows[1][0] == "'+Round"
    assert '\'=HYPERLINK("http://example.invalid")' in [row[2] for row in rows]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def add_cases(audit_round, count, agencies, coordinator):
    start = audit_round.cases.count() + 1
    for number in range(start, start + count):
        case = factories.CaseFactory(round=audit_round, number=number)
        for agency in agencies:
            factories.CaseAgencyFactory(case=case, agency=agency, added_by=coordinator)
        returns_create_for_case(actor=coordinator, case=case)


@pytest.mark.parametrize("url_name", ["audits:round-completion", "audits:round-completion-csv"])
def test_queries_do_not_grow_with_cases(client, coordinator, returns_case, agency_a, agency_b, url_name):
    audit_round = returns_case.round
    url = reverse(url_name, args=[audit_round.pk])
    client.force_login(coordinator)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = count()
    extra = [factories.AgencyFactory() for _ in range(3)]
    add_cases(audit_round, 9, [agency_a, agency_b, *extra], coordinator)
    assert count() == one
