"""The completion page's percent returned per agency (the round list's rule,
``rounds.selectors.returned_percent``: handed in = submitted or accepted, rounded down) and its
agency table sorted by column links (lib/sorting.py, aria-sort, no JavaScript)."""

import pytest
from django.urls import reverse

from audits.models import AuditTool, Chronology, WorkStatus
from audits.rounds.selectors import returned_percent
from tests import factories


@pytest.fixture
def get(client, coordinator, returns_case):
    def get(**query):
        client.force_login(coordinator)
        response = client.get(reverse("audits:round-completion", args=[returns_case.round_id]), query)
        assert response.status_code == 200
        return response

    return get


def _rows(response):
    return [
        (a.short_name, a.returns_handed_in, a.returns_total, a.returned_percent) for a in response.context["by_agency"]
    ]


def test_percent_returned_per_agency(get, tool_a, chronology_b):
    AuditTool.objects.filter(pk=tool_a.pk).update(status=WorkStatus.SUBMITTED)
    Chronology.objects.filter(pk=chronology_b.pk).update(status=WorkStatus.RETURNED)  # not handed in
    response = get()
    assert _rows(response) == [("Agency A", 1, 2, 50), ("Agency B", 0, 2, 0)]
    html = response.content.decode()
    assert "50% returned" in html and "0% returned" in html  # in the matrix's agency headers too


def test_the_percent_is_rounded_down_as_on_the_round_list(get, returns_case, agency_a, tool_a, coordinator):
    case = factories.CaseFactory(round=returns_case.round, number=2)
    factories.CaseAgencyFactory(case=case, agency=agency_a, added_by=coordinator)
    factories.ToolFactory(case=case, agency=agency_a)
    AuditTool.objects.filter(pk=tool_a.pk).update(status=WorkStatus.ACCEPTED)
    rows = {name: percent for name, _, _, percent in _rows(get())}
    assert rows["Agency A"] == 33 == returned_percent(1, 3)  # 1 of 3, not 33.3 or 34
    assert returned_percent(0, 0) is None


def test_the_agency_table_sorts_by_column(get, tool_b, chronology_b):
    AuditTool.objects.filter(pk=tool_b.pk).update(status=WorkStatus.ACCEPTED)
    Chronology.objects.filter(pk=chronology_b.pk).update(status=WorkStatus.SUBMITTED)
    assert [row[0] for row in _rows(get())] == ["Agency A", "Agency B"]
    assert [row[0] for row in _rows(get(sort="returned", order="desc"))] == ["Agency B", "Agency A"]
    assert [row[0] for row in _rows(get(sort="returned", order="asc"))] == ["Agency A", "Agency B"]
    assert [row[0] for row in _rows(get(sort="agency", order="desc"))] == ["Agency B", "Agency A"]
    # An unknown column falls back to the default order.
    assert [row[0] for row in _rows(get(sort="nonsense"))] == ["Agency A", "Agency B"]
    html = get(sort="returned", order="desc").content.decode()
    assert 'aria-sort="descending"' in html and 'href="?sort=returned&amp;order=asc"' in html
    assert 'aria-sort="none"' in html
