"""Access matrix of a round's learning page and its writes. Coordinators write; administrators
read the page; board viewers and agency staff (even of the round's agencies) 403."""

import pytest
from django.urls import reverse

from audits.models import LearningPoint
from tests import factories

OK, REDIRECT, FORBIDDEN = 200, 302, 403
ROLES = ["coordinator", "administrator", "board_viewer", "lead_a", "auditor_a", "lead_b"]


def _roles(**statuses):
    return {role: statuses.get(role, FORBIDDEN) for role in ROLES}


MANAGE = _roles(coordinator=OK)


def round_kwargs(r):
    return {"pk": r.pk}


def add_kwargs(r):
    return {"pk": r.pk, "kind": "key-message"}


def point_kwargs(r):
    return {"pk": r.pk, "point_pk": r.message.pk}


MATRIX = {
    "audits:round-learning": ("get", round_kwargs, _roles(coordinator=OK, administrator=OK), {"GET", "HEAD"}),
    "audits:round-learning-add": ("get", add_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "audits:round-learning-edit": ("get", point_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "audits:round-learning-remove": ("get", point_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "audits:round-learning-move": ("post", point_kwargs, _roles(coordinator=REDIRECT), {"POST"}),
}


@pytest.fixture
def learning_round(open_case):
    audit_round = open_case.round
    factories.LearningPointFactory(case=open_case, kind=LearningPoint.Kind.FINDING)
    audit_round.message = factories.LearningPointFactory(round=audit_round, kind=LearningPoint.Kind.KEY_MESSAGE)
    return audit_round


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_access(client, request, learning_round, lead_a, auditor_a, lead_b, url_name, role):
    method, kwargs, expected, _ = MATRIX[url_name]
    client.force_login(request.getfixturevalue(role))
    data = {"direction": "up"} if method == "post" else None
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs(learning_round)), data)
    assert response.status_code == expected[role], f"{role} {url_name}"


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_anonymous_is_sent_to_sign_in(client, learning_round, url_name):
    method, kwargs, _, _ = MATRIX[url_name]
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs(learning_round)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_wrong_method_is_refused(client, learning_round, coordinator, url_name):
    _, kwargs, _, allowed = MATRIX[url_name]
    client.force_login(coordinator)
    for method in ("get", "post", "put", "delete"):
        if method.upper() not in allowed:
            assert getattr(client, method)(reverse(url_name, kwargs=kwargs(learning_round))).status_code == 405


def test_unknown_kind_is_404(client, learning_round, coordinator):
    client.force_login(coordinator)
    url = reverse("audits:round-learning-add", kwargs={"pk": learning_round.pk, "kind": "finding"})
    assert client.get(url).status_code == 404


def test_a_meeting_finding_cannot_be_changed_here(client, learning_round, coordinator):
    finding = LearningPoint.objects.get(kind=LearningPoint.Kind.FINDING)
    client.force_login(coordinator)
    url = reverse("audits:round-learning-edit", kwargs={"pk": learning_round.pk, "point_pk": finding.pk})
    assert client.get(url).status_code == 404


def test_a_point_of_another_round_is_404(client, learning_round, coordinator):
    other = factories.LearningPointFactory(kind=LearningPoint.Kind.RECOMMENDATION)
    client.force_login(coordinator)
    for name in ("audits:round-learning-edit", "audits:round-learning-remove"):
        url = reverse(name, kwargs={"pk": learning_round.pk, "point_pk": other.pk})
        assert client.get(url).status_code == 404


def test_unknown_round_is_404(client, coordinator, administrator):
    for user in (coordinator, administrator):
        client.force_login(user)
        assert client.get(reverse("audits:round-learning", kwargs={"pk": 999999})).status_code == 404
