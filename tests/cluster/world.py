"""The data ``make cluster-check`` (tests/cluster/check.py) works on, made in its own database:
``python -m tests.cluster.world`` prints, as JSON, the session cookies of a coordinator and an
administrator (signed in as a person would be, with a password and an authenticator app) and the
round to draw cases for; ``enqueue N FOLDER`` queues N runs of tests.cluster.tasks.record_run."""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from audits.models import AuditRound  # noqa: E402
from audits.returns.lifecycle import pin_template_version, returns_create_for_case  # noqa: E402
from tests import factories  # noqa: E402
from tests.cluster.tasks import record_run  # noqa: E402


def signed_in_cookie(user) -> str:
    """The session cookie of ``user`` signed in and verified by an authenticator app."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@transaction.atomic
def make_world() -> dict:
    coordinator = factories.UserFactory(email="coordinator@example.test", role="Coordinator")
    administrator = factories.UserFactory(email="admin@example.test", role="Administrator", is_staff=True)
    agency_a = factories.AgencyFactory(name="Agency A Children's Services", short_name="Agency A")
    agency_b = factories.AgencyFactory(name="Agency B Police", short_name="Agency B")
    factories.UserFactory(email="lead.a@example.test", agency=agency_a, agency_role="lead")
    factories.UserFactory(email="lead.b@example.test", agency=agency_b, agency_role="lead")

    # A round in progress whose tools and chronologies fall due within the week: send_reminders
    # owes each agency's leads one e-mail (four returns).
    open_round = factories.AuditRoundFactory(created_by=coordinator, title="Round in progress")
    case = factories.CaseFactory(round=open_round, number=1)
    for agency in (agency_a, agency_b):
        factories.CaseAgencyFactory(case=case, agency=agency, added_by=coordinator)
    AuditRound.objects.filter(pk=open_round.pk).update(status=AuditRound.Status.OPEN)
    open_round.refresh_from_db()
    pin_template_version(open_round)
    open_round.save()
    returns_create_for_case(actor=coordinator, case=case)

    # A round being planned, to draw cases for from an uploaded candidate list.
    planned = factories.AuditRoundFactory(
        area=factories.AreaFactory(name="Southshire", short_name="SS"), created_by=coordinator, title="Round planned"
    )
    return {
        "coordinator": signed_in_cookie(coordinator),
        "administrator": signed_in_cookie(administrator),
        "planned_round": planned.pk,
        "returns": 4,
        "leads": 2,
    }


def enqueue(count: int, folder: str) -> None:
    for number in range(count):
        record_run.enqueue(number, folder)


if __name__ == "__main__":
    if sys.argv[1:2] == ["enqueue"]:
        enqueue(int(sys.argv[2]), sys.argv[3])
    else:
        print(json.dumps(make_world()))
