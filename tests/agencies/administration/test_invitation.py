"""An invited person sets their password (Django's validators) and then two-factor sign-in from
the e-mail's link, which then no longer works; links expire; only the token's hash is stored,
and the token is never in the access log."""

import datetime
import importlib.util
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from agencies.administration import invitations, services, tasks
from agencies.models import AccessEvent, Invitation, User

PASSWORD = "a-quite-long-passphrase-2026"
ROOT = Path(__file__).resolve().parents[3]


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
    return re.search(r"http://\S+/invitation/\?t=[\w-]+", message.body).group(0)


def invitation_message():
    return next(message for message in mail.outbox if message.to == ["ivy@example.test"])


def test_the_link_sets_a_password_then_leads_to_two_factor_and_works_once(client, invited):
    link = link_in(invitation_message())
    token = link.rsplit("?t=", 1)[1]
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
    page = client.get(client.get(reverse("administration:invitation") + "?t=made-up")["Location"])
    assert page.status_code == 200 and "expired or been used" in page.text


@pytest.mark.two_factor
def test_with_two_factor_required_the_new_person_goes_on_to_set_it_up(client, invited):
    accept = client.get(link_in(invitation_message()))["Location"]
    done = client.post(accept, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done["Location"] == reverse("two-factor-set-up")
    # Nothing else until they have: the home page sends them back to set it up.
    assert client.get(reverse("home"))["Location"] == reverse("two-factor-set-up")


def test_the_token_is_in_the_query_string_which_no_access_log_writes(invited):
    """gunicorn's format writes the path (%(U)s), never the request line, query or Referer; nginx's
    writes $uri, never $request, $request_uri or $args, in every server block."""
    link = link_in(invitation_message())
    assert urlsplit(link).path == reverse("administration:invitation")
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "deploy" / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    assert "%(U)s" in conf.access_log_format
    used = set(re.findall(r"%\(\w+\)s|\{\w+\}", conf.access_log_format))
    assert not {"%(r)s", "%(q)s", "%(f)s", "{raw_uri}"} & used
    nginx = (ROOT / "deploy" / "nginx.conf.example").read_text()
    directives = [line.split("#")[0].strip() for line in nginx.splitlines()]
    (log_format,) = [line for line in directives if line.startswith("log_format")]
    assert "$uri" in log_format
    assert not re.search(r"\$(request|request_uri|args|query_string|arg_\w+|http_referer)\b", log_format)
    access_logs = [line for line in directives if line.startswith("access_log")]
    servers = [line for line in directives if line == "server {"]
    named = log_format.split()[1]
    assert len([line for line in access_logs if line.endswith(f" {named};")]) == len(servers) == 2


def test_a_post_to_the_link_is_refused_without_signing_anyone_out(client, invited, lead_a):
    client.force_login(lead_a)
    response = client.post(link_in(invitation_message()))
    assert response.status_code == 405
    assert client.get(reverse("home")).status_code == 200  # still signed in


def test_whoever_is_signed_in_is_told_to_sign_out_first_and_stays_signed_in(client, invited, lead_a):
    """An <img> on any page could send the link's GET: it signs nobody out and keeps nothing."""
    client.force_login(lead_a)
    link = link_in(invitation_message())
    page = client.get(link)
    assert page.status_code == 200
    assert f"You are signed in as {escape(lead_a)}" in page.text and "sign out first" in page.text
    assert client.session.get("invitation") is None
    assert client.get(reverse("home")).status_code == 200  # still signed in
    accept = client.get(reverse("administration:invitation-accept"))
    assert "sign out first" in accept.text and "Set your password" not in accept.text
    client.logout()
    assert "Set your password" in client.get(client.get(link)["Location"]).text


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
