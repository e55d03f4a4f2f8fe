"""Access matrix of a chronology's spreadsheet import and exports.

Agency A's chronology of the case: its staff import while it is editable; whoever may see the
chronology exports it; agency B's staff get 404, board viewers 403."""

import pytest
from django.urls import reverse

from audits.models import Chronology, WorkStatus

ROLES = ["coordinator", "administrator", "board_viewer", "lead_a", "auditor_a", "lead_b"]
OK, FORBIDDEN, NOT_FOUND = 200, 403, 404

READ = {
    "coordinator": OK,
    "administrator": OK,
    "board_viewer": FORBIDDEN,
    "lead_a": OK,
    "auditor_a": OK,
    "lead_b": NOT_FOUND,
}
EDIT = {**READ, "coordinator": FORBIDDEN, "administrator": FORBIDDEN}


def _pk(chronology):
    return {"pk": chronology.pk}


# url name -> (method, kwargs builder, expected status per role, allowed methods)
MATRIX = {
    "audits:chronology-import": ("get", _pk, EDIT, {"GET", "HEAD", "POST"}),
    "audits:chronology-export-csv": ("get", _pk, READ, {"GET", "HEAD"}),
    "audits:chronology-export-xlsx": ("get", _pk, READ, {"GET", "HEAD"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_access(client, request, chronology_a, lead_a, auditor_a, lead_b, url_name, role):
    method, kwargs, expected, _ = MATRIX[url_name]
    client.force_login(request.getfixturevalue(role))
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs(chronology_a)))
    assert response.status_code == expected[role], f"{role} {url_name}"


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_anonymous_is_sent_to_sign_in(client, chronology_a, url_name):
    method, kwargs, _, _ = MATRIX[url_name]
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs(chronology_a)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in") + "?next=")


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_wrong_method_is_refused(client, chronology_a, lead_a, url_name):
    _, kwargs, _, allowed = MATRIX[url_name]
    client.force_login(lead_a)
    url = reverse(url_name, kwargs=kwargs(chronology_a))
    for method in ("get", "post", "put", "delete"):
        if method.upper() not in allowed:
            assert getattr(client, method)(url).status_code == 405, f"{method.upper()} {url_name}"


@pytest.mark.parametrize("status", [WorkStatus.SUBMITTED, WorkStatus.ACCEPTED])
def test_nobody_imports_into_a_submitted_chronology(client, chronology_a, lead_a, auditor_a, status):
    Chronology.objects.filter(pk=chronology_a.pk).update(status=status)
    url = reverse("audits:chronology-import", kwargs={"pk": chronology_a.pk})
    for user in (lead_a, auditor_a):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403


def test_agency_staff_cannot_reach_a_chronology_while_the_round_is_planned(client, chronology_a, lead_a):
    from audits.models import AuditRound

    AuditRound.objects.filter(pk=chronology_a.case.round_id).update(status=AuditRound.Status.PLANNING)
    client.force_login(lead_a)
    for url_name in MATRIX:
        assert client.get(reverse(url_name, kwargs={"pk": chronology_a.pk})).status_code == 404
