"""A save that committed is reported as saved even if what comes after it fails; a commit that
may not have happened is reported as such, with where to check (lib.views.committed and
config.middleware.SavedThenFailedMiddleware). The commit is real here: transactional tests."""

import logging

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connections, transaction
from django.test import RequestFactory
from django.urls import reverse

from agencies.models import Area
from audits.models import AuditRound
from lib import views as lib_views

pytestmark = pytest.mark.django_db(transaction=True)


def a_request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def create_area_then(after_commit):
    def call():
        with transaction.atomic():
            area = Area.objects.create(name="Northshire")
            transaction.on_commit(after_commit)
        return area

    return call


def failing_enqueue():
    raise OperationalError("the task could not be queued")


class TheForm:
    def is_valid(self):
        return True


@pytest.mark.parametrize("how", ["save_form", "run"])
def test_a_failure_after_the_commit_still_says_saved(how, caplog):
    request = a_request()
    call = create_area_then(failing_enqueue)
    with caplog.at_level(logging.ERROR, logger="lib.views"):
        if how == "save_form":
            saved = lib_views.save_form(request, TheForm(), call, success="Area saved.")
        else:
            saved = lib_views.run(request, call, success="Area saved.")
    assert saved.result == Area.objects.get(name="Northshire")
    assert [str(m) for m in get_messages(request)] == ["Area saved."]
    assert getattr(request, lib_views.SAVED)
    assert "the save was kept" in caplog.text


def commit_dies(monkeypatch, times=1):
    """The next ``times`` commits fail as a lost connection does (the database rolls back)."""
    wrapper = type(connections["default"])
    real = wrapper._commit
    failed = []

    def commit(self):
        if len(failed) >= times:
            return real(self)
        failed.append(1)
        self._rollback()
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(wrapper, "_commit", commit)
    return failed


def test_a_failed_commit_is_an_unknown_outcome(monkeypatch):
    failed = commit_dies(monkeypatch)
    with pytest.raises(lib_views.OutcomeUnknownError):
        lib_views.save_form(a_request(), TheForm(), create_area_then(lambda: None))
    assert failed
    assert not Area.objects.exists()


class RefusedByTheServerError(Exception):
    pgcode = "40001"  # serialization_failure: PostgreSQL answered, and rolled back


@pytest.mark.parametrize(
    "error", [IntegrityError("deferred foreign key"), OperationalError("could not serialize access")]
)
def test_a_commit_the_database_refused_is_an_error_not_an_unknown_outcome(monkeypatch, error):
    if isinstance(error, OperationalError):
        error.__cause__ = RefusedByTheServerError()
    wrapper = type(connections["default"])
    real = wrapper._commit
    failed = []

    def commit(self):
        if failed:
            return real(self)
        failed.append(1)
        self._rollback()
        raise error

    monkeypatch.setattr(wrapper, "_commit", commit)
    with pytest.raises(type(error)):
        lib_views.save_form(a_request(), TheForm(), create_area_then(lambda: None))
    assert failed and not Area.objects.exists()


def test_an_error_in_the_service_is_raised_and_its_transaction_not_kept():
    @transaction.atomic
    def call():
        Area.objects.create(name="Northshire")
        raise RuntimeError("the service failed")

    with pytest.raises(RuntimeError):
        lib_views.save_form(a_request(), TheForm(), call)
    assert not Area.objects.exists()


def test_a_refusal_goes_on_the_form_and_keeps_what_the_service_kept_outside_its_transaction():
    class Form(TheForm):
        errors = []

        def add_error(self, field, error):
            self.errors.append(error)

    def call():
        Area.objects.create(name="Northshire")  # outside the service's own transaction: kept, as before
        raise ValidationError("No")

    form = Form()
    assert lib_views.save_form(a_request(), form, call) is None
    assert Area.objects.filter(name="Northshire").exists()


def round_data(audit_round):
    # An opened round: its form has no template to choose (the transactional tests' database has
    # lost the seeded default template).
    AuditRound.objects.filter(pk=audit_round.pk).update(status=AuditRound.Status.OPEN)
    data = {"theme": audit_round.theme, "title": "A new title", "period_label": audit_round.period_label}
    for name in ("launch_date", "tools_due_date", "meeting_date", "learning_due_date", "briefing_due_date"):
        day = getattr(audit_round, name)
        data |= {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}
    return data


def test_the_round_edit_page_says_saved_when_the_next_step_fails(client, coordinator, audit_round, monkeypatch):
    client.force_login(coordinator)
    url = reverse("audits:round-edit", args=[audit_round.pk])

    def redirect_fails(*args, **kwargs):
        raise RuntimeError("the next page could not be built")

    monkeypatch.setattr("audits.rounds.views.rounds.redirect", redirect_fails)
    response = client.post(url, round_data(audit_round), HTTP_REFERER=f"http://testserver{url}")
    assert response.status_code == 200
    assert "Your changes have been saved" in response.text
    assert f'href="http://testserver{url}"' in response.text
    assert AuditRound.objects.get(pk=audit_round.pk).title == "A new title"


def test_the_round_edit_page_says_check_when_the_commit_fails(client, coordinator, audit_round, monkeypatch):
    client.force_login(coordinator)
    url = reverse("audits:round-edit", args=[audit_round.pk])
    failed = commit_dies(monkeypatch)
    response = client.post(url, round_data(audit_round), HTTP_REFERER="https://elsewhere.example/")
    assert failed
    assert response.status_code == 503
    assert "Your changes may have been saved" in response.text
    assert f'href="{reverse("home")}"' in response.text  # not a page of another site
    assert AuditRound.objects.get(pk=audit_round.pk).title != "A new title"
