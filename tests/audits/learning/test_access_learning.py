"""Access matrix of a round's learning page and its writes. Coordinators write; administrators
read the page; board viewers and agency staff (even of the round's agencies) 403."""

import pytest
from django.urls import reverse

from audits.models import LearningPoint
from tests import access, factories
from tests.access import OK, REDIRECT, roles

MANAGE = roles(coordinator=OK)


def round_kwargs(r):
    return {"pk": r.pk}


def add_kwargs(r):
    return {"pk": r.pk, "kind": "key-message"}


def point_kwargs(r):
    return {"pk": r.pk, "point_pk": r.message.pk}


MATRIX = {
    "audits:round-learning": ("get", round_kwargs, roles(coordinator=OK, administrator=OK), {"GET", "HEAD"}),
    "audits:round-learning-add": ("get", add_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "audits:round-learning-edit": ("get", point_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "audits:round-learning-remove": ("get", point_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "audits:round-learning-move": ("post", point_kwargs, roles(coordinator=REDIRECT), {"POST"}),
}


@pytest.fixture
def round_with_learning(open_case):
    audit_round = open_case.round
    factories.LearningPointFactory(case=open_case, kind=LearningPoint.Kind.FINDING)
    audit_round.message = factories.LearningPointFactory(round=audit_round, kind=LearningPoint.Kind.KEY_MESSAGE)
    return audit_round


AREA = access.Area(("round_with_learning",), post_data=lambda r: {"direction": "up"})
test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused = access.standard_tests(MATRIX, AREA)


@pytest.mark.parametrize("kind", ["gossip", "key_message", "Findings"])
def test_unknown_kind_is_404(client, round_with_learning, coordinator, kind):
    client.force_login(coordinator)
    url = reverse("audits:round-learning-add", kwargs={"pk": round_with_learning.pk, "kind": kind})
    assert client.get(url).status_code == 404


def test_a_meeting_finding_cannot_be_changed_here(client, round_with_learning, coordinator):
    finding = LearningPoint.objects.get(kind=LearningPoint.Kind.FINDING)
    client.force_login(coordinator)
    url = reverse("audits:round-learning-edit", kwargs={"pk": round_with_learning.pk, "point_pk": finding.pk})
    assert client.get(url).status_code == 404


def test_a_point_of_another_round_is_404(client, round_with_learning, coordinator):
    other = factories.LearningPointFactory(kind=LearningPoint.Kind.RECOMMENDATION)
    client.force_login(coordinator)
    for name in ("audits:round-learning-edit", "audits:round-learning-remove"):
        url = reverse(name, kwargs={"pk": round_with_learning.pk, "point_pk": other.pk})
        assert client.get(url).status_code == 404


def test_unknown_round_is_404(client, coordinator, administrator):
    for user in (coordinator, administrator):
        client.force_login(user)
        assert client.get(reverse("audits:round-learning", kwargs={"pk": 999999})).status_code == 404
