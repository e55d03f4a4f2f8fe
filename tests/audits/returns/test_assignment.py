"""Assignment inside an agency (issue 12): the lead gives a tool or chronology to one of the
agency's auditors or takes it back; the auditor marks it ready for the lead (who is e-mailed and
sees it on their home); a later change clears "ready"; only the lead submits."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audits.models import WorkStatus
from audits.returns import lifecycle, selectors
from audits.returns import services as return_services
from tests import factories
from tests.audits.returns.test_lifecycle import answer_everything

KINDS = {"tools": "tool_a", "chronologies": "chronology_a"}


@pytest.fixture(params=list(KINDS))
def item(request):
    """Agency A's audit tool, then (a second run) its chronology."""
    return request.getfixturevalue(KINDS[request.param])


def url(name, item):
    kind = "tools" if item._meta.model_name == "audittool" else "chronologies"
    return reverse(f"audits:{name}", args=[kind, item.pk])


def edit(item, actor):
    """A change to the item through its own service, as the pages make them."""
    if item._meta.model_name == "audittool":
        section = selectors.sections_of(item)[0]
        question = section.questions.first()
        return_services.tool_section_save(
            actor=actor,
            tool=item,
            section=section,
            revision=selectors.section_revision(item, section),
            answers={question.pk: ("", "A later change.")},
        )
    else:
        return_services.entry_save(
            actor=actor, chronology=item, date="2026-03-01", event_type="referral", what_happened="Referral received."
        )


def test_the_lead_assigns_to_an_auditor_and_takes_it_back(client, item, lead_a, auditor_a):
    client.force_login(lead_a)
    page = client.get(url("return-assign", item)).text
    assert auditor_a.full_name in page and "Nobody: keep it with the agency" in page
    response = client.post(url("return-assign", item), {"auditor": auditor_a.pk})
    assert response["Location"] == item.get_absolute_url()
    item.refresh_from_db()
    assert item.assigned_to == auditor_a
    detail = client.get(item.get_absolute_url()).text
    assert auditor_a.full_name in detail and url("return-assign", item) in detail
    client.post(url("return-assign", item), {"auditor": "lead"})
    item.refresh_from_db()
    assert item.assigned_to is None


def test_choosing_nobody_is_an_error_on_the_form(client, tool_a, lead_a):
    client.force_login(lead_a)
    response = client.post(url("return-assign", tool_a), {})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text and "Choose who should work on this" in response.text


def test_only_the_agencys_own_auditors_can_be_assigned(tool_a, lead_a, lead_b, agency_b, auditor_a):
    other = factories.UserFactory(agency=agency_b, agency_role="auditor")
    with pytest.raises(ValidationError):
        lifecycle.return_assign(actor=lead_a, item=tool_a, auditor=other)
    with pytest.raises(ValidationError):
        lifecycle.return_assign(actor=lead_a, item=tool_a, auditor=lead_a)  # a lead is not an auditor
    for actor in (auditor_a, lead_b):
        with pytest.raises(PermissionDenied):
            lifecycle.return_assign(actor=actor, item=tool_a, auditor=auditor_a)


def test_submitted_work_cannot_be_assigned(client, tool_a, lead_a, auditor_a):
    answer_everything(tool_a, lead_a)
    return_services.tool_submit(actor=lead_a, tool=tool_a)
    with pytest.raises(ValidationError):
        lifecycle.return_assign(actor=lead_a, item=tool_a, auditor=auditor_a)
    client.force_login(lead_a)
    assert client.get(url("return-assign", tool_a)).status_code == 302


def test_the_auditors_home_lists_what_is_assigned_to_them(client, tool_a, chronology_a, lead_a, auditor_a, agency_a):
    other = factories.UserFactory(agency=agency_a, agency_role="auditor", full_name="Another Auditor")
    lifecycle.return_assign(actor=lead_a, item=tool_a, auditor=auditor_a)
    lifecycle.return_assign(actor=lead_a, item=chronology_a, auditor=other)
    client.force_login(auditor_a)
    response = client.get(reverse("home"))
    assert [task.item for task in response.context["assigned_tasks"]] == [tool_a]
    client.force_login(other)
    response = client.get(reverse("home"))
    assert [task.item for task in response.context["assigned_tasks"]] == [chronology_a]
    # The lead sees who has each one.
    client.force_login(lead_a)
    assert "Assigned to Another Auditor" in client.get(reverse("home")).text


def test_marking_ready_asks_first_then_emails_the_leads_and_shows_on_their_home(
    client, item, lead_a, auditor_a, django_capture_on_commit_callbacks
):
    lifecycle.return_assign(actor=lead_a, item=item, auditor=auditor_a)
    client.force_login(auditor_a)
    assert url("return-ready", item) in client.get(item.get_absolute_url()).text
    confirm = client.get(url("return-ready", item))
    assert confirm.status_code == 200
    assert "e-mail" in confirm.text and lead_a.full_name in confirm.text
    item.refresh_from_db()
    assert item.ready_at is None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("return-ready", item))
    assert response["Location"] == item.get_absolute_url()
    item.refresh_from_db()
    assert item.ready_at is not None and item.status != WorkStatus.SUBMITTED
    [message] = mail.outbox
    assert message.to == [lead_a.email]
    assert message.subject.startswith("Ready for you to submit") and "Case 1 of" in message.subject
    assert item.get_absolute_url() in message.body and auditor_a.full_name in message.body
    client.force_login(lead_a)
    home = client.get(reverse("home"))
    assert [task.item for task in home.context["ready_tasks"]] == [item]
    assert "Ready for the lead" in home.text


def test_a_later_change_clears_ready(item, lead_a, auditor_a):
    lifecycle.return_mark_ready(actor=auditor_a, item=item)
    item.refresh_from_db()
    assert item.ready_at is not None
    edit(item, auditor_a)
    item.refresh_from_db()
    assert item.ready_at is None


def test_giving_it_to_someone_else_clears_ready(tool_a, lead_a, auditor_a, agency_a):
    other = factories.UserFactory(agency=agency_a, agency_role="auditor")
    lifecycle.return_mark_ready(actor=auditor_a, item=tool_a)
    lifecycle.return_assign(actor=lead_a, item=tool_a, auditor=other)
    tool_a.refresh_from_db()
    assert tool_a.ready_at is None


def test_who_may_mark_ready(client, tool_a, lead_a, auditor_a, agency_a, coordinator):
    other = factories.UserFactory(agency=agency_a, agency_role="auditor")
    lifecycle.return_assign(actor=lead_a, item=tool_a, auditor=other)
    # Not the auditor it is assigned to, not the lead (who submits it), not a coordinator.
    with pytest.raises(ValidationError):
        lifecycle.return_mark_ready(actor=auditor_a, item=tool_a)
    with pytest.raises(ValidationError):
        lifecycle.return_mark_ready(actor=lead_a, item=tool_a)
    with pytest.raises(PermissionDenied):
        lifecycle.return_mark_ready(actor=coordinator, item=tool_a)
    client.force_login(auditor_a)
    assert client.get(url("return-ready", tool_a)).status_code == 302
    lifecycle.return_mark_ready(actor=other, item=tool_a)
    with pytest.raises(ValidationError):  # once is enough
        lifecycle.return_mark_ready(actor=other, item=tool_a)


def test_only_the_lead_submits_even_when_ready(tool_a, lead_a, auditor_a):
    answer_everything(tool_a, auditor_a)
    lifecycle.return_mark_ready(actor=auditor_a, item=tool_a)
    with pytest.raises(PermissionDenied):
        return_services.tool_submit(actor=auditor_a, tool=tool_a)
    return_services.tool_submit(actor=lead_a, tool=tool_a)
    tool_a.refresh_from_db()
    assert tool_a.status == WorkStatus.SUBMITTED and tool_a.ready_at is None


def test_the_chronology_page_shows_the_controls(client, chronology_a, lead_a, auditor_a):
    client.force_login(lead_a)
    page = client.get(chronology_a.get_absolute_url()).text
    assert url("return-assign", chronology_a) in page and url("return-ready", chronology_a) not in page
    client.force_login(auditor_a)
    page = client.get(chronology_a.get_absolute_url()).text
    assert url("return-ready", chronology_a) in page and url("return-assign", chronology_a) not in page
