"""Shared fixtures: a known clock, one user of every role, two agencies, and a round whose case
agency A is part of."""

import datetime
import os
import shutil
import zoneinfo
from pathlib import Path

# Tests run like production (DEBUG off) over plain http on localhost.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("MANIFEST_STATIC", "false")
# Fernet keys for tests only (two, so that rotation can be tested).
os.environ.setdefault(
    "IDENTIFIER_KEYS",
    "dGVzdHMtb25seS1pZGVudGlmaWVyLWtleS1vbmUtMzI=,dGVzdHMtb25seS1pZGVudGlmaWVyLWtleS10d28tMzI=",
)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

import django

django.setup()  # before importing models; pytest-django sees the registry is ready and goes on

import pytest  # noqa: E402
from django.core.cache import cache  # noqa: E402

from tests import factories  # noqa: E402
from tests.s3 import s3_server, s3_storage  # noqa: E402, F401  (moto's S3 server, for the storage tests)

# Every test runs on this clock, whatever the machine's says (`make test-clock` proves it): the
# Monday the suite's fixtures were written for. Factories build their dates from it
# (``timezone.localdate()`` is this day), so a round's tools fall due a week later.
FROZEN_NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def clock(time_machine, request):
    """The known clock, ticking from FROZEN_NOW (so durations and session expiry still pass).
    A test moves it with ``clock.move_to(...)`` / ``clock.shift(...)``, or starts elsewhere with
    ``@pytest.mark.time_machine(...)``. Pages and services keep calling ``timezone.now()``."""
    if request.node.get_closest_marker("time_machine") is None:
        time_machine.move_to(FROZEN_NOW, tick=True)
    return time_machine


# Where the browser tests keep a screenshot of every page they visit (tests/browser/).
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"


def pytest_configure(config):
    # Once a run, before any worker starts (pytest-xdist workers have ``workerinput``), so the
    # screenshots of every worker land in one fresh folder.
    if not hasattr(config, "workerinput"):
        shutil.rmtree(SCREENSHOTS, ignore_errors=True)


# The modules that take longest, started first (longest first, the rest after: the browser tests,
# then the others in collection order) so that no worker is left finishing a long one alone.
LONGEST_FIRST = (
    "tests/browser/test_page_widths.py",
    "tests/test_access_complete.py",
    "tests/tasks/test_worker_processes.py",
)


def _module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(items):
    """The longest modules first, then the browser tests, then the rest (a stable sort: each
    module's tests keep their order)."""

    def weight(item):
        module = _module_of(item.nodeid)
        if module in LONGEST_FIRST:
            return LONGEST_FIRST.index(module)
        return len(LONGEST_FIRST) + (0 if module.startswith("tests/browser/") else 1)

    items.sort(key=weight)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """With ``-n``: each test module is a unit of work (its fixtures are set up once), handed to
    whichever worker is free, in the order above. pytest-xdist's own ``--dist loadgroup`` does not
    group anything under pytest 9."""
    from xdist.scheduler import LoadScopeScheduling

    class ByModule(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return _module_of(nodeid)

    return ByModule(config, log)


def pytest_report_header(config):
    real = datetime.datetime.now(tz=datetime.UTC)  # no test is running yet, so this is the machine's
    return f"clock: tests run at {FROZEN_NOW:%Y-%m-%d %H:%M %Z}; this machine's clock says {real:%Y-%m-%d %H:%M} UTC"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path, request):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    # What one test counted in the cache (password-reset requests) is not the next one's.
    cache.clear()
    # Hashing passwords properly costs a fifth of a second each; tests need none of that.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Two-factor sign-in is required whenever DEBUG is off; tests that are not about it sign in
    # with force_login and a password only. Tests marked ``two_factor`` (and the complete access
    # matrix) keep it required.
    if "two_factor" not in request.keywords:
        settings.TWO_FACTOR_REQUIRED = False


@pytest.fixture
def agency_a(db):
    return factories.AgencyFactory(name="Agency A Children's Services", short_name="Agency A")


@pytest.fixture
def agency_b(db):
    return factories.AgencyFactory(name="Agency B Police", short_name="Agency B")


@pytest.fixture
def coordinator(db):
    return factories.UserFactory(email="coordinator@example.test", role="Coordinator")


@pytest.fixture
def administrator(db):
    return factories.UserFactory(email="admin@example.test", role="Administrator", is_staff=True)


@pytest.fixture
def board_viewer(db):
    return factories.UserFactory(email="board@example.test", role="Board viewer")


@pytest.fixture
def board_approver(db):
    return factories.UserFactory(email="approver@example.test", full_name="Bea Approver", role="Board approver")


@pytest.fixture
def lead_a(agency_a):
    return factories.UserFactory(email="lead.a@example.test", agency=agency_a, agency_role="lead")


@pytest.fixture
def auditor_a(agency_a):
    return factories.UserFactory(email="auditor.a@example.test", agency=agency_a, agency_role="auditor")


@pytest.fixture
def lead_b(agency_b):
    return factories.UserFactory(email="lead.b@example.test", agency=agency_b, agency_role="lead")


@pytest.fixture
def audit_round(coordinator):
    return factories.AuditRoundFactory(created_by=coordinator)


@pytest.fixture
def case(audit_round, agency_a, coordinator):
    """Case 1 of the round, with agency A taking part and fictional identifiers recorded."""
    case = factories.CaseFactory(round=audit_round, number=1)
    factories.CaseAgencyFactory(case=case, agency=agency_a, added_by=coordinator)
    factories.RestrictedIdentifiersFactory(
        case=case,
        child_name="Zebedee Quillfeather",
        date_of_birth=datetime.date(2016, 2, 29),
        record_numbers="CSC-7734219",
    )
    return case


@pytest.fixture
def open_case(case):
    """Case 1 in a round that has opened, so agency A's staff can see it."""
    from audits.models import AuditRound

    AuditRound.objects.filter(pk=case.round_id).update(status=AuditRound.Status.OPEN)
    case.round.refresh_from_db()
    return case


IDENTIFIER_TEXTS = ["Zebedee Quillfeather", "Quillfeather", "29 February 2016", "29/02/2016", "2016-02-29", "7734219"]


@pytest.fixture
def identifier_texts():
    return IDENTIFIER_TEXTS


@pytest.fixture
def returns_case(open_case, agency_a, agency_b, coordinator):
    """An open case with agencies A and B taking part, each owing a tool and a chronology."""
    from audits.returns.lifecycle import pin_template_version, returns_create_for_case

    factories.CaseAgencyFactory(case=open_case, agency=agency_b, added_by=coordinator)
    pin_template_version(open_case.round)
    open_case.round.save()
    returns_create_for_case(actor=coordinator, case=open_case)
    return open_case


@pytest.fixture
def tool_a(returns_case, agency_a):
    return returns_case.tools.get(agency=agency_a)


@pytest.fixture
def tool_b(returns_case, agency_b):
    return returns_case.tools.get(agency=agency_b)


@pytest.fixture
def chronology_a(returns_case, agency_a):
    return returns_case.chronologies.get(agency=agency_a)


@pytest.fixture
def chronology_b(returns_case, agency_b):
    return returns_case.chronologies.get(agency=agency_b)
