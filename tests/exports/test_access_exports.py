"""Access matrix of exports: "Your exports" is every signed-in person's own list; an export's
status page, its download and "Try again" are only for the person who asked for it (404 for
everyone else, whatever their role)."""

import pytest

from exports import services
from exports.models import Export
from exports.running import export_run
from tests import access
from tests.access import NOT_FOUND, OK, REDIRECT, roles


@pytest.fixture
def coordinators_export(coordinator):
    """The coordinator's CSV of the action plan across rounds, made."""
    export = services.export_request(
        actor=coordinator, kind=Export.Kind.ACTION_PLAN, params={"format": "csv", "filters": {}}
    )
    return export_run(export.pk)


def no_kwargs(export):
    return {}


def export_kwargs(export):
    return {"pk": export.pk}


OWNER_ONLY = roles(NOT_FOUND, coordinator=OK)

# url name -> (method, kwargs builder, expected status per role, allowed methods)
MATRIX = {
    "exports:export-list": ("get", no_kwargs, roles(OK), {"GET", "HEAD"}),
    "exports:export-detail": ("get", export_kwargs, OWNER_ONLY, {"GET", "HEAD"}),
    "exports:export-download": ("get", export_kwargs, OWNER_ONLY, {"GET", "HEAD"}),
    # A ready export is not made again: the status page says so.
    "exports:export-retry": ("post", export_kwargs, roles(NOT_FOUND, coordinator=REDIRECT), {"POST"}),
}

AREA = access.Area(("coordinators_export",))
test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused = access.standard_tests(MATRIX, AREA)
