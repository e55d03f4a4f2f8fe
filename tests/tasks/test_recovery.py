"""Tasks that finish or fail visibly (issue 15), in-process: what a stopped worker left running is
queued again (``lib.task_recovery``) a bounded number of times, then failed with what it was
making; a PDF or export with no sign of life for TASK_STALE_SECONDS shows as failed, with "Try
again"; and an e-mail task run again does not send again (``audits.sent_mail``). The same with
real processes and SIGKILL: test_worker_processes.py."""

import datetime
import io
import threading
import time

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.test import TestCase
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from audits import mail as audits_mail
from audits.management.commands.run_worker import LockingWorker
from audits.rounds import tasks as round_tasks
from audits.sent_mail import SentMail
from briefings import services as briefing_services
from briefings.models import Briefing, BriefingRender
from exports.models import Export
from lib.running_task import is_alive, running
from lib.task_recovery import recover_tasks
from tests.exports.flow import export_of
from tests.tasks.work import ping

pytestmark = pytest.mark.django_db(transaction=True)

STALE = 240

# The sign of life of a running task (its worker holds the task's lock) exists on PostgreSQL only.
needs_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")


@pytest.fixture(autouse=True)
def database_tasks(settings):
    # Django resets its task backends when the TASKS setting changes: queued, not run.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    settings.TASK_STALE_SECONDS = STALE
    settings.TASK_ATTEMPTS = 3


def claimed(result_id, worker_id="worker-1") -> DBTaskResult:
    """What db_worker does when it takes a task: the task is then "running" on ``worker_id``."""
    result = DBTaskResult.objects.get(pk=result_id)
    result.claim(worker_id)
    return result


@pytest.fixture
def queued_render(open_case, coordinator):
    briefing = briefing_services.briefing_create(
        actor=coordinator, rounds=[open_case.round], briefing_format=Briefing.Format.SIX_STEP, title="Recovery"
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        render = briefing_services.render_request(actor=coordinator, briefing=briefing)
    render.refresh_from_db()
    assert render.state == BriefingRender.State.QUEUED and render.task_id
    return render


def test_a_task_running_past_the_limit_is_queued_again(queued_render, clock):
    claimed(queued_render.task_id)
    assert recover_tasks().requeued == [], "running for less than TASK_STALE_SECONDS: left alone"
    clock.shift(STALE + 1)
    assert recover_tasks().requeued == [queued_render.task_id]
    result = DBTaskResult.objects.get(pk=queued_render.task_id)
    assert result.status == "READY" and result.worker_ids == ["worker-1"], "the same task, one attempt counted"


def test_a_starting_worker_queues_again_what_it_was_running_at_once(queued_render):
    claimed(queued_render.task_id, "worker-1")
    assert recover_tasks(worker_id="worker-2").requeued == [], "another worker's: it may still be running it"
    assert recover_tasks(worker_id="worker-1").requeued == [queued_render.task_id]


def test_after_the_last_attempt_the_task_and_its_pdf_are_failed_with_the_reason(queued_render, clock):
    for worker in ("w1", "w2", "w3"):
        claimed(queued_render.task_id, worker)
        clock.shift(STALE + 1)
        call_command("recover_tasks", stdout=(out := io.StringIO()))
    assert out.getvalue().startswith(
        "0 task(s) queued again; 1 given up on (1 PDF(s), export(s) or import(s) marked failed)"
    )
    result = DBTaskResult.objects.get(pk=queued_render.task_id)
    assert result.status == "FAILED" and result.exception_class_path == "lib.task_recovery.WorkerLostError"
    render = BriefingRender.objects.get(pk=queued_render.pk)
    assert render.state == BriefingRender.State.FAILED and render.is_failed and not render.is_pending
    assert render.failure_message == "The task worker stopped 3 times while it was being made."


def test_a_pdf_with_no_sign_of_life_shows_failed_with_try_again(
    client, queued_render, coordinator, board_approver, clock
):
    briefing = queued_render.briefing
    client.force_login(coordinator)
    page = client.get(briefing.get_absolute_url()).text
    assert "Waiting to start" in page and "Refresh this page" in page and "render-failed" not in page

    clock.shift(STALE + 1)  # no worker took it: it would wait for ever
    render = BriefingRender.objects.get(pk=queued_render.pk)
    assert render.is_abandoned and render.is_failed and not render.is_pending
    page = client.get(briefing.get_absolute_url()).text
    assert "Failed (asked for" in page and "the task worker may have stopped" in page
    assert 'Try again<span class="govuk-visually-hidden"> to make the PDF</span>' in page

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("briefings:briefing-render", args=[briefing.pk]))
    assert response.status_code == 302
    newest = briefing.renders.order_by("-pk").first()
    assert newest.pk != render.pk and newest.is_pending, "a new PDF is queued"

    # Someone who may review but not make PDFs sees the failure, not the button.
    briefing.status = Briefing.Status.AWAITING
    briefing.save()
    clock.shift(STALE + 1)
    client.force_login(board_approver)
    page = client.get(briefing.get_absolute_url()).text
    assert "render-failed" in page and "to make the PDF" not in page


def test_a_done_pdf_is_never_abandoned(queued_render, clock):
    BriefingRender.objects.filter(pk=queued_render.pk).update(state=BriefingRender.State.DONE)
    clock.shift(STALE * 10)
    render = BriefingRender.objects.get(pk=queued_render.pk)
    assert render.is_done and not render.is_failed and not render.is_abandoned


def test_an_export_with_no_sign_of_life_shows_failed_and_can_be_tried_again(client, coordinator, clock):
    client.force_login(coordinator)
    with TestCase.captureOnCommitCallbacks(execute=True):
        export = export_of(client.post(reverse("audits:action-list-csv")))
    assert export.is_pending
    claimed(export.task_id)
    Export.objects.filter(pk=export.pk).update(state=Export.State.RUNNING)  # and then its worker died
    clock.shift(STALE + 1)
    export.refresh_from_db()
    assert export.is_failed and export.can_retry and not export.is_pending
    page = client.get(export.get_absolute_url()).text
    assert "Failed" in page and "the task worker may have stopped" in page and "Try again" in page

    old_task = export.task_id
    response = client.post(reverse("exports:export-retry", args=[export.pk]))
    assert response.status_code == 302
    export.refresh_from_db()
    assert export.state == Export.State.QUEUED and export.started_at is None and export.is_pending
    assert export.task_id not in ("", old_task), "queued again as a new task"

    # The old task, queued again by recovery, runs first, finds the export asked for again and
    # leaves it to the new one.
    assert recover_tasks().requeued == [old_task]
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1)
    assert DBTaskResult.objects.get(pk=old_task).return_value == Export.State.QUEUED
    export.refresh_from_db()
    assert export.is_done


def test_an_invitation_task_run_again_sends_nothing_twice(open_case, agency_a, lead_a):
    result = round_tasks.send_round_invitations.enqueue(open_case.round_id)
    mail.outbox = []
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1)
    assert [m.to for m in mail.outbox] == [[lead_a.email]]
    assert SentMail.objects.filter(task_id=str(result.id)).count() == 1

    # As if the worker had died before it recorded the task done: recovery queues it again.
    DBTaskResult.objects.filter(pk=result.id).update(status="READY")
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1)
    result.refresh()
    assert result.status == "SUCCESSFUL" and len(result.worker_ids) == 2
    assert len(mail.outbox) == 1, "the lead was invited once"
    assert [outcome["sent"] for outcome in result.return_value] == [1], "it still reports the one it sent"


def test_the_same_e_mail_asked_for_again_is_sent_again(open_case, lead_a):
    """Only a task run again is held back: a new task (meeting invitations sent again after a
    change, a second chase) sends its e-mails."""
    round_tasks.send_round_invitations.enqueue(open_case.round_id)
    round_tasks.send_round_invitations.enqueue(open_case.round_id)
    mail.outbox = []
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1)
    assert len(mail.outbox) == 2


def test_old_e_mail_records_are_deleted(clock):
    SentMail.objects.create(task_id="t", digest="a" * 64)
    clock.shift(datetime.timedelta(days=31))
    SentMail.objects.create(task_id="t", digest="b" * 64)
    call_command("recover_tasks", stdout=(out := io.StringIO()))
    assert "1 old e-mail record(s) deleted" in out.getvalue()
    assert list(SentMail.objects.values_list("digest", flat=True)) == ["b" * 64]


@needs_postgresql
def test_a_task_its_worker_still_runs_is_never_queued_again_however_long_it_takes(queued_render, clock):
    """Running for ten times TASK_STALE_SECONDS, and another worker with the same id starting (two
    workers on one machine without --worker-id): the worker holds the task's lock, so it is left
    alone. Once the lock is free (PostgreSQL frees it when the worker dies) it is queued again."""
    claimed(queued_render.task_id, "worker-1")
    with running(queued_render.task_id) as mine:
        assert mine
        # What Django does between and inside requests and tasks leaves the worker's own connection be.
        close_old_connections()
        connection.close()
        clock.shift(STALE * 10)
        assert is_alive(queued_render.task_id)
        assert recover_tasks().requeued == []
        assert recover_tasks(worker_id="worker-1").requeued == [], "its own id, but a live worker runs it"
        with running(queued_render.task_id) as again:
            assert not again, "a second process cannot take it"
    assert not is_alive(queued_render.task_id)
    assert recover_tasks().requeued == [queued_render.task_id]
    assert DBTaskResult.objects.get(pk=queued_render.task_id).status == "READY"


@needs_postgresql
def test_a_worker_does_not_run_a_task_another_worker_is_running():
    result = DBTaskResult.objects.get(pk=ping.enqueue(7).id)
    result.claim("worker-2")
    worker = LockingWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="worker-2",
        excluded_queue_names=[],
    )
    with running(str(result.pk)):  # the first worker, still running it
        worker.run_task(result)
        result.refresh_from_db()
        assert (result.status, result.return_value) == ("RUNNING", None), "not run a second time at once"
    worker.run_task(result)
    result.refresh_from_db()
    assert (result.status, result.return_value) == ("SUCCESSFUL", 7)


@needs_postgresql
def test_two_runs_of_a_task_at_once_send_its_e_mail_once(monkeypatch):
    """The second run waits on the first's record of the message, uncommitted while the mail
    server takes it, and skips the message once the first has committed."""
    sending, release = threading.Event(), threading.Event()
    sent = []

    def deliver(message, fail_silently=False):
        sent.append(message.to)
        if len(sent) == 1:
            sending.set()
            release.wait(10)
        return 1

    monkeypatch.setattr(EmailMessage, "send", deliver)
    monkeypatch.setattr(audits_mail, "current_task_id", lambda: "task-1")
    monkeypatch.setattr(audits_mail, "render_to_string", lambda name, context: "The same text")
    outcomes = {}

    def run(name):
        try:
            outcomes[name] = audits_mail.send(template="any", subject="Hello", to=["lead@example.test"], context={})
        finally:
            connection.close()

    first, second = (threading.Thread(target=run, args=(name,)) for name in ("first", "second"))
    first.start()
    try:
        assert sending.wait(10), "the first run is sending"
        second.start()
        time.sleep(0.5)  # the second run has looked for a record by now
    finally:
        release.set()
        first.join(10)
        if second.ident:
            second.join(10)
    assert sent == [["lead@example.test"]], "sent once"
    assert outcomes == {"first": 1, "second": 1}, "both report it sent"
    assert SentMail.objects.count() == 1


def test_an_e_mail_that_did_not_go_is_not_recorded(monkeypatch):
    monkeypatch.setattr(EmailMessage, "send", lambda message, fail_silently=False: 0)
    monkeypatch.setattr(audits_mail, "current_task_id", lambda: "task-1")
    monkeypatch.setattr(audits_mail, "render_to_string", lambda name, context: "Text")
    assert audits_mail.send(template="any", subject="Hello", to=["lead@example.test"], context={}) == 0
    assert not SentMail.objects.exists(), "a later run of the task may send it"
