"""Pages issue the same number of queries whatever their number of rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import Need
from tests import factories


def two_needs():
    """Two needs, made here: a transactional test elsewhere may have flushed the seeded ones."""
    return [
        Need.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in (("query-count-a", "Query count need A"), ("query-count-b", "Query count need B"))
    ]


def add_rounds(count, agency, coordinator):
    for _ in range(count):
        audit_round = factories.AuditRoundFactory(status="open")
        for number in (1, 2):
            case = factories.CaseFactory(round=audit_round, number=number)
            factories.CaseAgencyFactory(case=case, agency=agency, added_by=coordinator)


def add_cases(audit_round, count, agencies, coordinator):
    start = audit_round.cases.count() + 1
    needs = two_needs()
    for number in range(start, start + count):
        case = factories.CaseFactory(round=audit_round, number=number)
        case.needs.set(needs)
        for agency in agencies:
            factories.CaseAgencyFactory(case=case, agency=agency, added_by=coordinator)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_round_list_queries_do_not_grow_with_rounds(client, coordinator, lead_a, agency_a):
    add_rounds(2, agency_a, coordinator)
    for user in (coordinator, lead_a):
        client.force_login(user)
        one = count_queries(client, reverse("audits:round-list"))
        add_rounds(18, agency_a, coordinator)
        assert count_queries(client, reverse("audits:round-list")) == one


def test_round_detail_queries_do_not_grow_with_cases(client, coordinator, lead_a, agency_a, agency_b, audit_round):
    audit_round.status = "open"
    audit_round.save()
    extra = [factories.AgencyFactory() for _ in range(3)]
    add_cases(audit_round, 3, [agency_a, agency_b], coordinator)
    url = audit_round.get_absolute_url()
    for user in (coordinator, lead_a):
        client.force_login(user)
        one = count_queries(client, url)
        add_cases(audit_round, 27, [agency_a, agency_b, *extra], coordinator)
        assert count_queries(client, url) == one


def test_home_queries_do_not_grow(client, coordinator, lead_a, agency_a):
    add_rounds(2, agency_a, coordinator)
    for user in (coordinator, lead_a):
        client.force_login(user)
        one = count_queries(client, reverse("home"))
        add_rounds(18, agency_a, coordinator)
        assert count_queries(client, reverse("home")) == one


def test_round_detail_query_budget(client, coordinator, agency_a, audit_round, django_assert_max_num_queries):
    add_cases(audit_round, 30, [agency_a], coordinator)
    client.force_login(coordinator)
    with django_assert_max_num_queries(15):
        client.get(audit_round.get_absolute_url())


def _add_cases_with_returns(audit_round, count, agencies, coordinator):
    """Cases with their agencies' audit tools and chronologies, and a meeting record for each."""
    from audits.models import CaseDiscussion

    start = audit_round.cases.count() + 1
    for number in range(start, start + count):
        case = factories.CaseFactory(round=audit_round, number=number)
        for agency in agencies:
            factories.CaseAgencyFactory(case=case, agency=agency, added_by=coordinator)
            factories.ToolFactory(case=case, agency=agency)
            factories.ChronologyFactory(case=case, agency=agency)
        CaseDiscussion.objects.create(case=case, notes="Discussed.", created_by=coordinator)


def test_round_task_list_and_completion_queries_do_not_grow_with_cases(client, coordinator, agency_a, agency_b):
    """The round page (with its stage task list) and the completion page, at 1 case and at 10."""
    audit_round = factories.AuditRoundFactory(status="meeting")
    factories.MeetingFactory(round=audit_round)
    _add_cases_with_returns(audit_round, 1, [agency_a, agency_b], coordinator)
    client.force_login(coordinator)
    urls = [audit_round.get_absolute_url(), reverse("audits:round-completion", args=[audit_round.pk])]
    at_one = [count_queries(client, url) for url in urls]
    _add_cases_with_returns(audit_round, 9, [agency_a, agency_b, factories.AgencyFactory()], coordinator)
    assert [count_queries(client, url) for url in urls] == at_one
