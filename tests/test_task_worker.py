"""The production task path: a task queued in the database and run by django-tasks-db's worker."""

import pytest
from django.core import mail
from django.core.management import call_command

from audits.returns import tasks


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_queued_e_mail_task(settings, returns_case, lead_a):
    # Django resets its task backends when the TASKS setting changes.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    from audits.models import AuditTool

    tool = AuditTool.objects.filter(case=returns_case).first()
    result = tasks.send_submission_notice.enqueue("tool", tool.pk)
    assert result.status == "READY", "queued in the database, not run yet"
    mail.outbox = []
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1)
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert mail.outbox, "the worker sent the coordinators' notice"


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_renders_a_briefing_pdf(settings, open_case, coordinator):
    from briefings import services
    from briefings.models import Briefing, BriefingRender
    from lib.storage import private_storage

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    briefing = services.briefing_create(
        actor=coordinator, rounds=[open_case.round], briefing_format=Briefing.Format.SIX_STEP, title="Worker test"
    )
    render = services.render_request(actor=coordinator, briefing=briefing)
    render.refresh_from_db()
    assert render.state == BriefingRender.State.QUEUED, "queued for the worker, not rendered in the request"
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1)
    render.refresh_from_db()
    assert render.state == BriefingRender.State.DONE
    assert private_storage.read_bytes(render.stored_file).startswith(b"%PDF-")
