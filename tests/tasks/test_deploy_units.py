"""deploy/systemd/'s units run what exists: each ``manage.py`` command they start is one of ours,
each timer starts a service that is there, and the worker is always restarted."""

import re
from pathlib import Path

import pytest
from django.core.management import get_commands

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "systemd"


def units(suffix):
    return {path.name: path.read_text() for path in sorted(DEPLOY.glob(f"*.{suffix}"))}


def setting(text, key):
    return re.findall(rf"^{key}=(.*)$", text, flags=re.MULTILINE)


@pytest.mark.parametrize("name", sorted(units("service")))
def test_each_service_starts_a_command_that_exists(name):
    [command] = setting(units("service")[name], "ExecStart")
    if "manage.py" in command:
        assert command.split("manage.py ")[1].split()[0] in get_commands()
    else:
        assert "gunicorn config.wsgi --config deploy/gunicorn.conf.py" in command


def test_each_timer_starts_its_service_and_each_job_has_a_timer():
    services, timers = units("service"), units("timer")
    assert set(timers) == {"mca-recover-tasks.timer", "mca-send-reminders.timer", "mca-apply-retention.timer"}
    for timer in timers:
        assert timer.replace(".timer", ".service") in services
        assert setting(services[timer.replace(".timer", ".service")], "Type") == ["oneshot"]


def test_the_worker_and_the_web_server_are_always_restarted():
    services = units("service")
    for name in ("mca-worker@.service", "mca-web.service"):
        assert setting(services[name], "Restart") == ["always"]
    assert "run_worker --worker-id %H-%i" in setting(services["mca-worker@.service"], "ExecStart")[0]
    assert setting(services["mca-worker@.service"], "StartLimitIntervalSec") == ["0"]
