"""What the worker tests run in their own processes, against a throwaway PostgreSQL cluster:
``python tests/tasks/proc.py <manage.py command> ...`` (a worker, ``recover_tasks``, ``migrate``)
or ``python tests/tasks/proc.py scenario <name> [args]`` (make the data a test needs, or report a
state, as one line of JSON).

Faults are injected here, never in the service's code: with SLOW_RENDER_MARKER set, a briefing's
PDF writes that file and then hangs (the test kills the worker mid-render); with
HANG_BEFORE_COMPLETE_MARKER set, a task that has finished writes that file and hangs before the
worker records it as done (the test kills the worker after the e-mails went, before it knew)."""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.tasks.worker_settings")

import django

django.setup()


def _hang(marker: str) -> None:
    Path(marker).write_text(str(os.getpid()))
    time.sleep(600)


def _inject_faults() -> None:
    if slow := os.environ.get("SLOW_RENDER_MARKER"):
        from briefings import rendering

        rendering.briefing_pdf = lambda briefing, **kwargs: _hang(slow)
    if hang := os.environ.get("HANG_BEFORE_COMPLETE_MARKER"):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.set_successful = lambda self, return_value: _hang(hang)


def scenario_render() -> dict:
    """A coordinator asks for a briefing's PDF: queued, for the worker."""
    from audits.models import AuditRound
    from briefings import services
    from briefings.models import Briefing
    from tests import factories

    coordinator = factories.UserFactory(email="coordinator@example.test", role="Coordinator")
    audit_round = factories.AuditRoundFactory(created_by=coordinator, status=AuditRound.Status.OPEN)
    briefing = services.briefing_create(
        actor=coordinator, rounds=[audit_round], briefing_format=Briefing.Format.SIX_STEP, title="Worker test"
    )
    render = services.render_request(actor=coordinator, briefing=briefing)
    render.refresh_from_db()
    return {"render": render.pk, "task": render.task_id}


def scenario_render_state(render_id: str) -> dict:
    from django_tasks_db.models import DBTaskResult

    from briefings.models import BriefingRender

    render = BriefingRender.objects.get(pk=int(render_id))
    result = DBTaskResult.objects.get(pk=render.task_id)
    return {
        "state": render.state,
        "is_failed": render.is_failed,
        "is_pending": render.is_pending,
        "message": render.failure_message if render.is_failed else "",
        "task_status": result.status,
        "attempts": len(result.worker_ids),
    }


def scenario_invitation() -> dict:
    """A round with one case, agency A taking part and its lead: the round invitation queued."""
    from audits.rounds import tasks
    from tests import factories

    coordinator = factories.UserFactory(email="coordinator@example.test", role="Coordinator")
    agency = factories.AgencyFactory(name="Agency A Children's Services", short_name="Agency A")
    factories.UserFactory(email="lead.a@example.test", agency=agency, agency_role="lead")
    case = factories.CaseFactory(round=factories.AuditRoundFactory(created_by=coordinator), number=1)
    factories.CaseAgencyFactory(case=case, agency=agency, added_by=coordinator)
    result = tasks.send_round_invitations.enqueue(case.round_id)
    return {"task": str(result.id)}


def scenario_ping(n: str) -> dict:
    from tests.tasks.work import ping

    return {"task": str(ping.enqueue(int(n)).id)}


def scenario_nap(until: str) -> dict:
    from tests.tasks.work import nap

    return {"task": str(nap.enqueue(until).id)}


def scenario_task_state(task_id: str) -> dict:
    from django_tasks_db.models import DBTaskResult

    result = DBTaskResult.objects.get(pk=task_id)
    return {"status": result.status, "attempts": len(result.worker_ids), "return_value": result.return_value}


if __name__ == "__main__":
    if sys.argv[1] == "scenario":
        print(json.dumps(globals()[f"scenario_{sys.argv[2]}"](*sys.argv[3:])))
    else:
        from django.core.management import execute_from_command_line

        _inject_faults()
        execute_from_command_line(["manage.py", *sys.argv[1:]])
