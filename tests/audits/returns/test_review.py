"""The coordinator's review (issue 12): the queue on their home, oldest first with how long each
has waited; the review page (answers first, Accept and Return at the end); a confirmation before
accepting or returning, each e-mailing the agency's leads; comments per section that the lead sees
until resubmission; and the page after a submission."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import AuditTool, Chronology, ToolSectionState, WorkStatus
from audits.returns import lifecycle, selectors
from audits.returns import services as return_services
from tests import factories
from tests.audits.returns.test_lifecycle import answer_everything


@pytest.fixture
def submitted_tool(tool_a, lead_a):
    answer_everything(tool_a, lead_a)
    return return_services.tool_submit(actor=lead_a, tool=tool_a)


@pytest.fixture
def submitted_chronology(chronology_a, lead_a):
    factories.EntryFactory(chronology=chronology_a, what_happened="Home visit; the child was seen alone.")
    return return_services.chronology_submit(actor=lead_a, chronology=chronology_a)


def review_url(item):
    kind = "tools" if isinstance(item, AuditTool) else "chronologies"
    return reverse("audits:return-review", args=[kind, item.pk])


def accept_url(item):
    kind = "tools" if isinstance(item, AuditTool) else "chronologies"
    return reverse("audits:return-accept", args=[kind, item.pk])


def submitted_days_ago(item, days):
    type(item).objects.filter(pk=item.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=days))


def test_the_queue_lists_submitted_work_oldest_first_with_days_waited(
    client, coordinator, submitted_tool, submitted_chronology, tool_b, chronology_b
):
    submitted_days_ago(submitted_tool, 2)
    submitted_days_ago(submitted_chronology, 5)
    client.force_login(coordinator)
    response = client.get(reverse("home"))
    queue = response.context["review_queue"]
    assert [(w.item, w.days) for w in queue] == [(submitted_chronology, 5), (submitted_tool, 2)]
    page = response.text
    assert review_url(submitted_chronology) in page and review_url(submitted_tool) in page
    assert page.index(review_url(submitted_chronology)) < page.index(review_url(submitted_tool))
    assert "5 days" in page and "2 days" in page
    assert review_url(tool_b) not in page  # not submitted


def test_the_queue_is_empty_and_says_so(client, coordinator, returns_case):
    client.force_login(coordinator)
    response = client.get(reverse("home"))
    assert response.context["review_queue"] == []
    assert "Nothing is waiting for your review." in response.text


def test_only_coordinators_have_a_queue(client, administrator, submitted_tool):
    client.force_login(administrator)
    assert "review_queue" not in client.get(reverse("home")).context


def add_submitted(audit_round, agencies, count, coordinator):
    start = audit_round.cases.count() + 1
    for number in range(start, start + count):
        case = factories.CaseFactory(round=audit_round, number=number)
        for agency in agencies:
            factories.CaseAgencyFactory(case=case, agency=agency, added_by=coordinator)
            when = timezone.now() - datetime.timedelta(days=number)
            factories.ToolFactory(case=case, agency=agency, status=WorkStatus.SUBMITTED, submitted_at=when)
            factories.ChronologyFactory(case=case, agency=agency, status=WorkStatus.SUBMITTED, submitted_at=when)


def test_the_queue_queries_do_not_grow_with_its_rows(client, coordinator, returns_case, agency_a, agency_b):
    audit_round = returns_case.round
    add_submitted(audit_round, [agency_a, agency_b], 1, coordinator)
    client.force_login(coordinator)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("home"))
        assert response.status_code == 200
        return len(queries), len(response.context["review_queue"])

    one, rows = count()
    add_submitted(audit_round, [agency_a, agency_b, factories.AgencyFactory()], 8, coordinator)
    more, more_rows = count()
    assert more_rows > rows
    assert more == one


def test_the_review_page_shows_every_answer_before_accept_and_return(client, coordinator, submitted_tool):
    client.force_login(coordinator)
    response = client.get(review_url(submitted_tool))
    assert response.status_code == 200
    page = response.text
    sections = selectors.sections_of(submitted_tool)
    for section in sections:
        assert section.title.replace("'", "&#x27;") in page
    assert "Evidence from the case file." in page
    last_answer = page.rindex("Evidence from the case file.")
    assert page.index(accept_url(submitted_tool)) > last_answer
    assert page.index(reverse("audits:tool-return", args=[submitted_tool.pk])) > last_answer


def test_the_review_page_of_a_chronology_shows_its_entries_first(client, coordinator, submitted_chronology):
    client.force_login(coordinator)
    page = client.get(review_url(submitted_chronology)).text
    assert page.index("Home visit; the child was seen alone.") < page.index(accept_url(submitted_chronology))
    assert reverse("audits:chronology-return", args=[submitted_chronology.pk]) in page


def test_work_not_waiting_has_no_decision(client, coordinator, tool_a):
    client.force_login(coordinator)
    page = client.get(review_url(tool_a)).text
    assert "not waiting for review" in page and accept_url(tool_a) not in page
    response = client.get(accept_url(tool_a))
    assert response["Location"] == tool_a.get_absolute_url()


def test_the_item_page_links_the_coordinator_to_the_review(client, coordinator, submitted_tool, submitted_chronology):
    client.force_login(coordinator)
    for item in (submitted_tool, submitted_chronology):
        page = client.get(item.get_absolute_url()).text
        assert review_url(item) in page
        assert f'action="{accept_url(item)}"' not in page  # no one-click Accept any more


@pytest.mark.parametrize("fixture", ["submitted_tool", "submitted_chronology"])
def test_accept_asks_first_then_emails_the_leads(
    client, request, coordinator, lead_a, fixture, django_capture_on_commit_callbacks
):
    item = request.getfixturevalue(fixture)
    client.force_login(coordinator)
    page = client.get(accept_url(item)).text
    assert "Are you sure you want to accept" in page and "e-mail" in page and lead_a.full_name in page
    # The old one-click button now leads to the confirmation, and accepts nothing.
    old = "tool-accept" if isinstance(item, AuditTool) else "chronology-accept"
    response = client.post(reverse(f"audits:{old}", args=[item.pk]))
    assert response["Location"] == accept_url(item)
    item.refresh_from_db()
    assert item.status == WorkStatus.SUBMITTED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(accept_url(item))
    assert response["Location"] == reverse("home")
    item.refresh_from_db()
    assert item.status == WorkStatus.ACCEPTED and item.decided_by == coordinator
    [message] = mail.outbox
    assert message.to == [lead_a.email] and message.subject.startswith("Accepted:")
    assert item.get_absolute_url() in message.body


def test_the_confirmation_warns_when_the_agency_has_no_lead(client, coordinator, submitted_tool, lead_a):
    lead_a.is_active = False
    lead_a.save()
    client.force_login(coordinator)
    assert "has no active lead" in client.get(accept_url(submitted_tool)).text


def return_post(client, tool, data):
    return client.post(reverse("audits:tool-return", args=[tool.pk]), data)


def test_returning_a_tool_with_comments_per_section(
    client, coordinator, lead_a, submitted_tool, django_capture_on_commit_callbacks
):
    first, second = selectors.sections_of(submitted_tool)[:2]
    ToolSectionState.objects.filter(tool=submitted_tool, section=second).delete()  # made if missing
    data = {
        f"section_{first.pk}": "Say who attended the strategy discussion.",
        f"section_{second.pk}": "Add the evidence for the second answer.",
        "comment": "Two sections need more evidence.",
    }
    client.force_login(coordinator)
    form = client.get(reverse("audits:tool-return", args=[submitted_tool.pk])).text
    assert f'name="section_{first.pk}"' in form and 'name="comment"' in form
    # The check page shows every comment and what will happen, and changes nothing yet.
    check = return_post(client, submitted_tool, data)
    assert "Are you sure you want to return this audit tool" in check.text
    assert "Say who attended the strategy discussion." in check.text and lead_a.full_name in check.text
    submitted_tool.refresh_from_db()
    assert submitted_tool.status == WorkStatus.SUBMITTED
    # "Change the comments" brings the form back with everything typed.
    again = return_post(client, submitted_tool, {**data, "change": "yes"})
    assert "Add the evidence for the second answer." in again.text and "Are you sure" not in again.text
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = return_post(client, submitted_tool, {**data, "confirmed": "yes"})
    assert done["Location"] == reverse("home")
    submitted_tool.refresh_from_db()
    assert submitted_tool.status == WorkStatus.RETURNED
    assert submitted_tool.return_comment == "Two sections need more evidence."
    states = selectors.section_states(submitted_tool)
    assert states[first.pk].return_comment == "Say who attended the strategy discussion."
    assert states[second.pk].return_comment == "Add the evidence for the second answer."
    [message] = mail.outbox
    assert message.to == [lead_a.email] and message.subject.startswith("Returned for changes:")
    for comment in data.values():  # the comments stay in the service
        assert comment not in message.body and comment not in message.alternatives[0].content
    # The lead sees what was returned and why: on the task list and on each section's page.
    client.force_login(lead_a)
    task_list = client.get(submitted_tool.get_absolute_url()).text
    assert "Two sections need more evidence." in task_list
    assert "Say who attended the strategy discussion." in task_list
    assert "Add the evidence for the second answer." in task_list
    section_page = client.get(reverse("audits:tool-section", args=[submitted_tool.pk, first.pk])).text
    assert "Say who attended the strategy discussion." in section_page
    assert "Add the evidence for the second answer." not in section_page


def test_return_needs_an_overall_comment_and_keeps_what_was_typed(client, coordinator, submitted_tool):
    first = selectors.sections_of(submitted_tool)[0]
    client.force_login(coordinator)
    response = return_post(client, submitted_tool, {f"section_{first.pk}": "Kept text.", "comment": ""})
    assert "govuk-error-summary" in response.text and "Say what the agency needs to change" in response.text
    assert "Kept text." in response.text
    submitted_tool.refresh_from_db()
    assert submitted_tool.status == WorkStatus.SUBMITTED


def test_comments_clear_on_resubmission(coordinator, lead_a, submitted_tool):
    first = selectors.sections_of(submitted_tool)[0]
    lifecycle.return_send_back(
        actor=coordinator, item=submitted_tool, comment="Overall.", section_comments={first.pk: "This section."}
    )
    return_services.tool_submit(actor=lead_a, tool=submitted_tool)
    submitted_tool.refresh_from_db()
    assert submitted_tool.return_comment == ""
    assert not ToolSectionState.objects.filter(tool=submitted_tool).exclude(return_comment="").exists()


def test_a_section_of_another_tool_is_refused(coordinator, submitted_tool):
    bad_pk = max(s.pk for s in selectors.sections_of(submitted_tool)) + 1000
    with pytest.raises(ValidationError):
        lifecycle.return_send_back(actor=coordinator, item=submitted_tool, comment="x", section_comments={bad_pk: "y"})
    submitted_tool.refresh_from_db()
    assert submitted_tool.status == WorkStatus.SUBMITTED


def test_returning_a_chronology_asks_first_and_emails_the_lead(
    client, coordinator, lead_a, submitted_chronology, django_capture_on_commit_callbacks
):
    url = reverse("audits:chronology-return", args=[submitted_chronology.pk])
    client.force_login(coordinator)
    check = client.post(url, {"comment": "Add the March visit."})
    assert "Are you sure you want to return this chronology" in check.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"comment": "Add the March visit.", "confirmed": "yes"})
    submitted_chronology.refresh_from_db()
    assert submitted_chronology.status == WorkStatus.RETURNED
    assert [m.to for m in mail.outbox] == [[lead_a.email]]
    client.force_login(lead_a)
    assert "Add the March visit." in client.get(submitted_chronology.get_absolute_url()).text


def test_after_submitting_the_lead_sees_what_happens_next_and_their_next_task(client, tool_a, chronology_a, lead_a):
    answer_everything(tool_a, lead_a)
    client.force_login(lead_a)
    response = client.post(reverse("audits:tool-submit", args=[tool_a.pk]))
    submitted = reverse("audits:return-submitted", args=["tools", tool_a.pk])
    assert response["Location"] == submitted
    page = client.get(submitted)
    assert "govuk-panel--confirmation" in page.text and "What happens next" in page.text
    assert "coordinator" in page.text and "e-mail" in page.text
    assert page.context["next_task"].item == chronology_a
    assert f'href="{chronology_a.get_absolute_url()}"' in page.text


def test_with_nothing_left_the_next_task_is_home(client, submitted_tool, lead_a, chronology_a):
    Chronology.objects.filter(pk=chronology_a.pk).update(status=WorkStatus.ACCEPTED)
    client.force_login(lead_a)
    page = client.get(reverse("audits:return-submitted", args=["tools", submitted_tool.pk]))
    assert page.context["next_task"] is None
    assert "nothing else to return" in page.text and f'href="{reverse("home")}"' in page.text
