"""Access matrix of a chronology's spreadsheet import and exports.

Agency A's chronology of the case: its staff import while it is editable; whoever may see the
chronology exports it; agency B's staff get 404, board viewers 403."""

import pytest
from django.urls import reverse

from audits.models import Chronology, ChronologyImport, WorkStatus
from tests import access, factories
from tests.access import OK, REDIRECT, round_roles

READ = round_roles(coordinator=OK, administrator=OK, lead_a=OK, auditor_a=OK)
EDIT = round_roles(lead_a=OK, auditor_a=OK)


def _pk(chronology):
    return {"pk": chronology.pk}


def _import(chronology):
    job = ChronologyImport.objects.create(
        chronology=chronology, requested_by=factories.UserFactory(), state=ChronologyImport.State.DONE
    )
    return {"pk": chronology.pk, "import_pk": job.pk}


# url name -> (method, kwargs builder, expected status per role, allowed methods)
MATRIX = {
    "audits:chronology-import": ("get", _pk, EDIT, {"GET", "HEAD", "POST"}),
    # The preview of an upload: with no file waiting (a new session), back to the upload page.
    "audits:chronology-import-preview": (
        "get",
        _pk,
        round_roles(lead_a=REDIRECT, auditor_a=REDIRECT),
        {"GET", "HEAD", "POST"},
    ),
    # A queued import's status page: the agency's staff, who import.
    "audits:chronology-import-status": ("get", _import, EDIT, {"GET", "HEAD"}),
    "audits:chronology-export-csv": ("get", _pk, READ, {"GET", "HEAD"}),
    "audits:chronology-export-xlsx": ("get", _pk, READ, {"GET", "HEAD"}),
}


AREA = access.Area(("chronology_a",))
test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused = access.standard_tests(
    MATRIX, AREA, wrong_method_as="lead_a"
)


@pytest.mark.parametrize("status", [WorkStatus.SUBMITTED, WorkStatus.ACCEPTED])
def test_nobody_imports_into_a_submitted_chronology(client, chronology_a, lead_a, auditor_a, status):
    Chronology.objects.filter(pk=chronology_a.pk).update(status=status)
    for name in ("audits:chronology-import", "audits:chronology-import-preview"):
        url = reverse(name, kwargs={"pk": chronology_a.pk})
        for user in (lead_a, auditor_a):
            client.force_login(user)
            assert client.get(url).status_code == 403
            assert client.post(url).status_code == 403


def test_agency_staff_cannot_reach_a_chronology_while_the_round_is_planned(client, chronology_a, lead_a):
    from audits.models import AuditRound

    AuditRound.objects.filter(pk=chronology_a.case.round_id).update(status=AuditRound.Status.PLANNING)
    client.force_login(lead_a)
    for url_name, (_, kwargs, _, _) in MATRIX.items():
        assert client.get(reverse(url_name, kwargs=kwargs(chronology_a))).status_code == 404
