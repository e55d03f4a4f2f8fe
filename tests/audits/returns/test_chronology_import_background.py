"""A confirmed import of IMPORT_IN_BACKGROUND_ROWS rows or more is queued as a task (immediate in
tests): the preview stays, the status page says how it went, the rows wait encrypted in private
storage and are deleted once it has run, and it is all or nothing."""

import io
import threading
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import TestCase
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from agencies.models import Membership
from audits.models import ChronologyEntry, ChronologyImport
from audits.returns import import_tasks
from lib.storage import private_storage
from tests import factories
from tests.audits.returns.test_chronology_file_views import confirm, import_file, upload
from tests.audits.returns.test_chronology_io import csv_bytes


@pytest.fixture(autouse=True)
def background_from_three_rows(settings):
    settings.IMPORT_IN_BACKGROUND_ROWS = 3


def import_queued(client, chronology, data, **extra):
    """Upload, preview and confirm, running what the confirmation queues once it commits."""
    preview = upload(client, chronology, data, **extra)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return confirm(client, chronology, preview.text)


def rows(count: int) -> bytes:
    return csv_bytes(*[f"0{1 + n % 9}/01/2026,,,Contact,Row {n}.,,," for n in range(count)])


def stored_files():
    root = Path(django_settings.PRIVATE_STORAGE_ROOT)
    return sorted(path.name for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_a_small_import_still_runs_in_the_request(client, chronology_a, lead_a):
    client.force_login(lead_a)
    response = import_queued(client, chronology_a, rows(2))
    assert "2 entries imported." in response.text
    assert not ChronologyImport.objects.exists()


def test_a_large_import_is_queued_and_its_status_page_shows_the_result(client, chronology_a, lead_a):
    client.force_login(lead_a)
    response = import_queued(client, chronology_a, rows(3))
    job = ChronologyImport.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "audits:chronology-import-status", kwargs={"pk": chronology_a.pk, "import_pk": job.pk}
    )
    assert job.state == ChronologyImport.State.DONE
    assert job.requested_by == lead_a
    assert (job.added, job.skipped, job.removed, job.row_count) == (3, 0, 0, 3)
    assert chronology_a.entries.count() == 3
    page = client.get(job.get_absolute_url()).text
    assert "3 entries imported." in page
    assert 'data-testid="import-state">Imported<' in page
    # The rows were deleted once the import had run.
    assert job.stored_file == ""
    assert stored_files() == []
    # Every entry's history names who imported it.
    assert {entry.history.get().history_user for entry in chronology_a.entries.all()} == {lead_a}


def test_a_queued_import_shows_being_imported_and_keeps_its_rows_encrypted(
    client, chronology_a, lead_a, monkeypatch, django_capture_on_commit_callbacks
):
    enqueued = []
    monkeypatch.setattr(import_tasks, "_enqueue", enqueued.append)
    client.force_login(lead_a)
    response = import_queued(client, chronology_a, rows(4))
    job = ChronologyImport.objects.get()
    assert enqueued == [job.pk]
    assert "Being imported" in response.text
    assert "Refresh this page" in response.text
    assert chronology_a.entries.count() == 0
    # Waiting in private storage, encrypted: no row's text is on disk in the clear.
    on_disk = (Path(django_settings.PRIVATE_STORAGE_ROOT) / job.stored_file).read_bytes()
    assert b"Row 1." not in on_disk
    assert b"Row 1." in private_storage.read_bytes(job.stored_file)
    # The task runs it (once: running it again changes nothing).
    with django_capture_on_commit_callbacks(execute=True):
        import_tasks.chronology_import_run(job.pk)
    import_tasks.chronology_import_run(job.pk)
    assert chronology_a.entries.count() == 4
    assert not private_storage.exists(job.stored_file)
    assert "4 entries imported." in client.get(job.get_absolute_url()).text


def test_a_second_import_cannot_be_queued_while_one_waits(client, chronology_a, lead_a, monkeypatch):
    monkeypatch.setattr(import_tasks, "_enqueue", lambda pk: None)
    client.force_login(lead_a)
    import_file(client, chronology_a, rows(3))
    response = import_file(client, chronology_a, rows(5))
    assert "govuk-error-summary" in response.text
    assert "Another file is being imported" in response.text
    assert ChronologyImport.objects.count() == 1


def test_entries_changed_before_the_task_ran_fail_it_whole_with_a_message(
    client, chronology_a, lead_a, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(import_tasks, "_enqueue", lambda pk: None)
    client.force_login(lead_a)
    import_file(client, chronology_a, rows(3), mode="replace")
    job = ChronologyImport.objects.get()
    factories.EntryFactory(chronology=chronology_a)
    with django_capture_on_commit_callbacks(execute=True):
        import_tasks.chronology_import_run(job.pk)
    job.refresh_from_db()
    assert job.state == ChronologyImport.State.FAILED
    assert "Someone changed this chronology's entries" in job.message
    assert chronology_a.entries.count() == 1  # nothing imported, nothing replaced
    assert stored_files() == []
    page = client.get(job.get_absolute_url()).text
    assert "Nothing was imported" in page
    assert "Someone changed this chronology" in page
    assert reverse("audits:chronology-import", kwargs={"pk": chronology_a.pk}) in page


def test_a_failure_half_way_imports_nothing(client, chronology_a, lead_a, monkeypatch):
    real = ChronologyEntry.history.model.objects.bulk_create

    def fail_after_the_entries(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(ChronologyEntry.history.model.objects, "bulk_create", fail_after_the_entries)
    client.force_login(lead_a)
    # The task's failure is logged after the confirmation committed: the person sees the status page.
    import_queued(client, chronology_a, rows(3))
    job = ChronologyImport.objects.get()
    assert job.state == ChronologyImport.State.FAILED
    assert job.message == import_tasks.NOT_FINISHED
    assert chronology_a.entries.count() == 0
    assert not ChronologyEntry.history.model.objects.exists()
    assert "Nothing was imported" in client.get(job.get_absolute_url()).text


def test_an_importer_who_left_the_agency_before_the_task_ran_imports_nothing(
    client, chronology_a, lead_a, agency_b, monkeypatch
):
    monkeypatch.setattr(import_tasks, "_enqueue", lambda pk: None)
    client.force_login(lead_a)
    import_file(client, chronology_a, rows(3))
    job = ChronologyImport.objects.get()
    Membership.objects.filter(user=lead_a).update(agency=agency_b)
    import_tasks.chronology_import_run(job.pk)
    job.refresh_from_db()
    assert job.state == ChronologyImport.State.FAILED
    assert "no longer change this chronology" in job.message
    assert chronology_a.entries.count() == 0


def test_the_status_page_is_only_for_its_chronology(client, chronology_a, lead_a, monkeypatch):
    monkeypatch.setattr(import_tasks, "_enqueue", lambda pk: None)
    client.force_login(lead_a)
    import_file(client, chronology_a, rows(3))
    job = ChronologyImport.objects.get()
    other = factories.ChronologyFactory(case=chronology_a.case, agency=factories.AgencyFactory())
    wrong = reverse("audits:chronology-import-status", kwargs={"pk": other.pk, "import_pk": job.pk})
    assert client.get(wrong).status_code == 404
    same_agency = factories.ChronologyFactory(
        agency=chronology_a.agency, case=factories.CaseFactory(round=chronology_a.case.round, number=9)
    )
    wrong = reverse("audits:chronology-import-status", kwargs={"pk": same_agency.pk, "import_pk": job.pk})
    assert client.get(wrong).status_code == 404


def test_the_preview_is_shown_before_a_large_import(client, chronology_a, lead_a):
    client.force_login(lead_a)
    preview = upload(client, chronology_a, rows(3))
    assert "3 rows from the file will be added" in preview.text
    assert not ChronologyImport.objects.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        confirm(client, chronology_a, preview.text)
    assert ChronologyImport.objects.get().is_done


def test_an_import_whose_task_was_given_up_on_shows_why_and_its_rows_go(client, chronology_a, lead_a, monkeypatch):
    monkeypatch.setattr(import_tasks, "_enqueue", lambda pk: None)
    client.force_login(lead_a)
    import_file(client, chronology_a, rows(3))
    job = ChronologyImport.objects.get()
    ChronologyImport.objects.filter(pk=job.pk).update(task_id="task-1")
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert import_tasks.imports_give_up(["task-0"], "The task worker stopped 3 times.") == 0
        assert import_tasks.imports_give_up(["task-1"], "The task worker stopped 3 times.") == 1
    job.refresh_from_db()
    assert job.is_failed
    assert job.message.startswith("The task worker stopped 3 times. Nothing was imported")
    assert stored_files() == []
    assert chronology_a.entries.count() == 0


@pytest.mark.django_db(transaction=True)
def test_recover_tasks_fails_an_import_whose_worker_stopped_every_time(client, chronology_a, lead_a, settings, clock):
    # Queued for a database worker (not run), then claimed by three workers in turn that all stopped.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    settings.TASK_STALE_SECONDS, settings.TASK_ATTEMPTS = 240, 3
    client.force_login(lead_a)
    import_file(client, chronology_a, rows(3))
    job = ChronologyImport.objects.get()
    assert job.task_id and job.state == ChronologyImport.State.QUEUED
    for worker in ("w1", "w2", "w3"):
        DBTaskResult.objects.get(pk=job.task_id).claim(worker)
        clock.shift(241)
        call_command("recover_tasks", stdout=(out := io.StringIO()))
    assert "1 given up on (1 PDF(s), export(s) or import(s) marked failed)" in out.getvalue()
    job.refresh_from_db()
    assert job.is_failed and job.message.startswith("The task worker stopped 3 times")
    assert chronology_a.entries.count() == 0 and stored_files() == []


def test_an_import_never_queued_shows_failed_after_a_while_and_gives_way_to_the_next(
    client, chronology_a, lead_a, monkeypatch, settings, clock
):
    """Queueing the task failed after the confirmation committed (or no worker ever ran it): once
    TASK_STALE_SECONDS have passed the page says it failed, and it no longer blocks the chronology."""
    settings.TASK_STALE_SECONDS = 240
    monkeypatch.setattr(import_tasks, "_enqueue", lambda pk: None)
    client.force_login(lead_a)
    import_file(client, chronology_a, rows(3))
    job = ChronologyImport.objects.get()
    assert job.task_id == "" and job.is_pending and not job.is_abandoned
    assert "Being imported" in client.get(job.get_absolute_url()).text

    clock.shift(241)
    job.refresh_from_db()
    assert job.is_abandoned and job.is_failed and not job.is_pending
    page = client.get(job.get_absolute_url()).text
    assert 'data-testid="import-state">Not imported<' in page and "govuk-tag--red" in page
    assert "the task worker may have stopped" in page and "Being imported" not in page
    assert reverse("audits:chronology-import", kwargs={"pk": chronology_a.pk}) in page
    assert "Upload the file again</a>" in page

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = import_file(client, chronology_a, rows(5))
    assert "Another file is being imported" not in response.text
    old, new = ChronologyImport.objects.order_by("pk")
    assert old.state == ChronologyImport.State.FAILED and old.message == ChronologyImport.ABANDONED
    assert new.state == ChronologyImport.State.QUEUED and new.row_count == 5 and new.is_pending
    assert stored_files() == [Path(new.stored_file).name], "the abandoned import's rows were deleted"


def test_a_waiting_import_not_yet_abandoned_still_refuses_the_next(
    client, chronology_a, lead_a, monkeypatch, settings, clock
):
    settings.TASK_STALE_SECONDS = 240
    monkeypatch.setattr(import_tasks, "_enqueue", lambda pk: None)
    client.force_login(lead_a)
    import_file(client, chronology_a, rows(3))
    clock.shift(200)
    assert "Another file is being imported" in import_file(client, chronology_a, rows(5)).text
    assert ChronologyImport.objects.get().state == ChronologyImport.State.QUEUED


def test_recover_tasks_fails_an_import_that_was_never_queued(
    client, chronology_a, lead_a, monkeypatch, settings, clock
):
    settings.TASK_STALE_SECONDS = 240
    monkeypatch.setattr(import_tasks, "_enqueue", lambda pk: None)
    client.force_login(lead_a)
    import_file(client, chronology_a, rows(3))
    queued_with_a_task = factories.ChronologyFactory(case=chronology_a.case, agency=factories.AgencyFactory())
    ChronologyImport.objects.create(
        chronology=queued_with_a_task, requested_by=lead_a, task_id="task-1", row_count=3, stored_file=""
    )
    call_command("recover_tasks", stdout=(out := io.StringIO()))
    assert "(0 PDF(s), export(s) or import(s) marked failed)" in out.getvalue(), "not waiting long enough yet"
    clock.shift(241)
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("recover_tasks", stdout=(out := io.StringIO()))
    assert "(1 PDF(s), export(s) or import(s) marked failed)" in out.getvalue()
    job = ChronologyImport.objects.get(chronology=chronology_a)
    assert job.state == ChronologyImport.State.FAILED and job.message == import_tasks.NOT_QUEUED
    assert stored_files() == []
    other = ChronologyImport.objects.get(chronology=queued_with_a_task)
    assert other.state == ChronologyImport.State.QUEUED, "one with a task is left to task recovery"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks")
@pytest.mark.django_db(transaction=True)
def test_an_abandoned_looking_import_a_worker_is_running_still_refuses_the_next(
    client, chronology_a, lead_a, monkeypatch, settings, clock
):
    """A long import keeps its row locked while it runs (``chronology_import_run``): older than
    TASK_STALE_SECONDS, it is not failed under its worker, and the next import waits for it."""
    settings.TASK_STALE_SECONDS = 240
    monkeypatch.setattr(import_tasks, "_enqueue", lambda pk: None)
    client.force_login(lead_a)
    import_file(client, chronology_a, rows(3))
    job = ChronologyImport.objects.get()
    clock.shift(241)
    locked, release = threading.Event(), threading.Event()

    def worker_running_it():
        try:
            with transaction.atomic():
                ChronologyImport.objects.select_for_update().get(pk=job.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=worker_running_it)
    worker.start()
    try:
        assert locked.wait(10)
        response = import_file(client, chronology_a, rows(5))
    finally:
        release.set()
        worker.join(10)
    assert "Another file is being imported" in response.text
    assert ChronologyImport.objects.get().state == ChronologyImport.State.QUEUED
