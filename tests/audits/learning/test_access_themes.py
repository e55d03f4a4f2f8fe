"""Access matrix of the practice-theme pages: coordinators and administrators only."""

import pytest
from django.urls import reverse

from audits.models import PracticeTheme
from tests import access
from tests.access import OK, roles

MANAGERS = roles(coordinator=OK, administrator=OK)


def no_kwargs(theme):
    return {}


def theme_kwargs(theme):
    return {"pk": theme.pk}


MATRIX = {
    "audits:theme-list": ("get", no_kwargs, MANAGERS, {"GET", "HEAD"}),
    "audits:theme-add": ("get", no_kwargs, MANAGERS, {"GET", "HEAD", "POST"}),
    "audits:theme-edit": ("get", theme_kwargs, MANAGERS, {"GET", "HEAD", "POST"}),
}


@pytest.fixture
def theme(db):
    return PracticeTheme.objects.order_by("name").first()


AREA = access.Area(("theme",))
test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused = access.standard_tests(MATRIX, AREA)


def test_missing_theme_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("audits:theme-edit", kwargs={"pk": 999999})).status_code == 404
