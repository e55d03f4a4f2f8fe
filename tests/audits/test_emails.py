"""E-mails: invitations when a round opens and notices to coordinators on submission, sent as
tasks once the transaction commits, naming cases only as "Case N of <round title>"."""

import pytest
from django.core import mail
from django.db import transaction

from audits.models import AuditTool
from audits.returns.lifecycle import return_submit
from audits.rounds import services
from tests import factories


def texts(message):
    """Everything a recipient can read: subject, plain text and the HTML alternative."""
    return [message.subject, message.body, *(content for content, _ in message.alternatives)]


def assert_no_identifiers(messages, identifier_texts):
    for message in messages:
        for text in texts(message):
            for identifier in identifier_texts:
                assert identifier not in text


@pytest.fixture
def planned_round(case, agency_b, coordinator, lead_a, auditor_a, lead_b):
    """Case 1 (agency A, with identifiers) and Case 2 (agency B), ready to open."""
    second = factories.CaseFactory(round=case.round, number=2)
    factories.CaseAgencyFactory(case=second, agency=agency_b, added_by=coordinator)
    return case.round


def test_opening_a_round_invites_each_agencys_leads(
    planned_round, coordinator, django_capture_on_commit_callbacks, identifier_texts
):
    with django_capture_on_commit_callbacks(execute=True):
        services.round_advance(actor=coordinator, audit_round=planned_round, from_status="planning")
    by_recipient = {tuple(message.to): message for message in mail.outbox}
    # Leads only: the auditor and the coordinator are not invited.
    assert set(by_recipient) == {("lead.a@example.test",), ("lead.b@example.test",)}
    to_a = by_recipient[("lead.a@example.test",)]
    assert to_a.subject == f"Your agency is invited to take part in {planned_round.title}"
    assert f"Case 1 of {planned_round.title}" in to_a.body
    assert f"Case 2 of {planned_round.title}" not in to_a.body
    assert "30 November 2026" in to_a.body
    assert "http://127.0.0.1:8000/" in to_a.body
    assert to_a.alternatives and to_a.alternatives[0][1] == "text/html"
    assert f"Case 2 of {planned_round.title}" in by_recipient[("lead.b@example.test",)].body
    assert_no_identifiers(mail.outbox, identifier_texts)


def test_invitation_links_use_site_url(planned_round, coordinator, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://audit.example.test"
    with django_capture_on_commit_callbacks(execute=True):
        services.round_advance(actor=coordinator, audit_round=planned_round, from_status="planning")
    assert all("https://audit.example.test/" in message.body for message in mail.outbox)


def test_nothing_is_sent_when_opening_rolls_back(planned_round, coordinator, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.round_advance(actor=coordinator, audit_round=planned_round, from_status="planning")
        raise RuntimeError("something later failed")
    assert callbacks == []
    assert mail.outbox == []


def test_moving_on_from_open_sends_no_invitations(open_case, coordinator, lead_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.round_advance(actor=coordinator, audit_round=open_case.round, from_status="open")
    assert mail.outbox == []


def test_submission_notifies_coordinators(
    tool_a, lead_a, coordinator, administrator, django_capture_on_commit_callbacks, identifier_texts
):
    other_coordinator = factories.UserFactory(email="coordinator.two@example.test", role="Coordinator")
    factories.UserFactory(email="gone@example.test", role="Coordinator", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        return_submit(actor=lead_a, item=tool_a)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([coordinator.email, other_coordinator.email])
    message = mail.outbox[0]
    title = tool_a.case.round.title
    assert message.subject == f"Agency A has submitted its audit tool for Case 1 of {title}"
    assert f"http://127.0.0.1:8000/tools/{tool_a.pk}/" in message.body
    assert f"/rounds/{tool_a.case.round_id}/completion/" in message.body
    assert_no_identifiers(mail.outbox, identifier_texts)


def test_chronology_submission_says_chronology(chronology_b, lead_b, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return_submit(actor=lead_b, item=chronology_b)
    assert [m.subject for m in mail.outbox] == [
        f"Agency B has submitted its chronology for Case 1 of {chronology_b.case.round.title}"
    ]


def test_nothing_is_sent_when_submission_rolls_back(tool_a, lead_a, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        return_submit(actor=lead_a, item=tool_a)
        raise RuntimeError("something later failed")
    assert mail.outbox == []
    assert AuditTool.objects.get(pk=tool_a.pk).status == "not_started"


def test_refused_submission_sends_nothing(tool_a, auditor_a, coordinator, django_capture_on_commit_callbacks):
    from django.core.exceptions import PermissionDenied

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        return_submit(actor=auditor_a, item=tool_a)
    assert mail.outbox == []
