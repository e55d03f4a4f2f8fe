"""An invited person sets their password (Django's validators) and then two-factor sign-in from
the e-mail's link, which then no longer works; links expire; only the token's hash is stored,
and the token is never in the access log."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from agencies.administration import invitations, services, tasks
from agencies.models import AccessEvent, Invitation, User

PASSWORD = "a-quite-long-passphrase-2026"


@pytest.fixture
def invited(administrator, agency_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        person = services.person_invite(
            actor=administrator,
            full_name="Ivy Invited",
            email="ivy@example.test",
            agency=agency_a,
            agency_role="auditor",
        )
    return person


def link_in(message) -> str:
    return re.search(r"http://\S+/invitation/(\S+)/", message.body).group(0)


def invitation_message():
    return next(message for message in mail.outbox if message.to == ["ivy@example.test"])


def test_the_link_sets_a_password_then_leads_to_two_factor_and_works_once(client, invited):
    link = link_in(invitation_message())
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert Invitation.objects.get(user=invited).token_hash == invitations.token_hash(token)
    assert not Invitation.objects.filter(token_hash=token).exists()
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == reverse("administration:invitation-accept")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Set your password" in page.text
    done = client.post(response["Location"], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("two-factor-set-up")
    assert User.objects.get(pk=invited.pk).check_password(PASSWORD)
    assert client.get(reverse("two-factor-set-up")).status_code == 200  # signed in as them
    # The link never works again, in this browser or any other.
    client.logout()
    again = client.get(client.get(link)["Location"])
    assert "This invitation link has expired or been used" in again.text
    assert "Set your password" not in again.text
    for event in AccessEvent.objects.all():
        assert token not in " ".join(str(value) for value in vars(event).values())


def test_a_weak_password_is_refused_with_an_error_summary(client, invited):
    accept = client.get(link_in(invitation_message()))["Location"]
    page = client.post(accept, {"new_password1": "password", "new_password2": "password"})
    assert page.status_code == 200
    assert "govuk-error-summary" in page.text and "too common" in page.text
    assert not User.objects.get(pk=invited.pk).has_usable_password()


def test_the_link_expires(client, invited, settings, clock):
    link = link_in(invitation_message())
    clock.shift(datetime.timedelta(days=settings.INVITATION_DAYS, minutes=1))
    page = client.get(client.get(link)["Location"])
    assert "This invitation link has expired or been used" in page.text


def test_a_new_invitation_replaces_the_old_link(client, invited, administrator, django_capture_on_commit_callbacks):
    old = link_in(invitation_message())
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(actor=administrator, person=invited)
    new = link_in([message for message in mail.outbox if message.to == ["ivy@example.test"]][-1])
    assert new != old
    assert "expired or been used" in client.get(client.get(old)["Location"]).text
    assert "Set your password" in client.get(client.get(new)["Location"]).text


def test_a_deactivated_persons_link_stops_working(client, invited, administrator):
    link = link_in(invitation_message())
    services.person_deactivate(actor=administrator, person=invited)
    assert "expired or been used" in client.get(client.get(link)["Location"]).text


def test_a_made_up_token_shows_the_expired_page(client, db):
    page = client.get(client.get(reverse("administration:invitation", args=["made-up"]))["Location"])
    assert page.status_code == 200 and "expired or been used" in page.text


@pytest.mark.two_factor
def test_with_two_factor_required_the_new_person_goes_on_to_set_it_up(client, invited):
    accept = client.get(link_in(invitation_message()))["Location"]
    done = client.post(accept, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done["Location"] == reverse("two-factor-set-up")
    # Nothing else until they have: the home page sends them back to set it up.
    assert client.get(reverse("home"))["Location"] == reverse("two-factor-set-up")


def test_a_post_to_the_link_is_answered_like_a_visit(client, invited):
    response = client.post(link_in(invitation_message()))
    assert response.status_code == 302 and response["Location"] == reverse("administration:invitation-accept")


def test_an_invitation_task_run_again_sends_one_email_with_a_working_link(
    client, administrator, monkeypatch, django_capture_on_commit_callbacks
):
    """A worker that stopped after sending: the task, queued again with the same result id, makes
    the same link, so the e-mail ledger sends nothing more (audits.sent_mail)."""
    with django_capture_on_commit_callbacks(execute=False):
        person = services.person_invite(actor=administrator, full_name="Ivy Invited", email="ivy@example.test")
    monkeypatch.setattr("audits.mail.current_task_id", lambda: "task-result-1")
    monkeypatch.setattr("agencies.administration.invitations.current_task_id", lambda: "task-result-1")
    tasks.send_invitation.call(person.pk, administrator.pk)
    tasks.send_invitation.call(person.pk, administrator.pk)
    assert len([message for message in mail.outbox if message.to == ["ivy@example.test"]]) == 1
    assert Invitation.objects.filter(user=person).count() == 1
    assert "Set your password" in client.get(client.get(link_in(invitation_message()))["Location"]).text
