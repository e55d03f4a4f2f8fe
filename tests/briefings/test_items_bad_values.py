"""The briefing's include/order form takes ids from buttons and checkboxes: odd values are ignored,
never a server error."""

import pytest
from django.urls import reverse

from lib.forms import as_id, as_year


@pytest.mark.parametrize(
    "data",
    [
        {"move": "up:²"},
        {"move": "down:99999999999999999999999"},
        {"included": ["²", "١٢", "99999999999999999999999", "-1", ""]},
    ],
)
def test_odd_ids_are_ignored(client, coordinator, make_briefing, data):
    briefing = make_briefing()
    client.force_login(coordinator)
    response = client.post(reverse("briefings:briefing-items", args=[briefing.pk]), data)
    assert response.status_code in (200, 302, 400)


def test_ids_and_years_from_query_strings():
    assert as_id("42") == 42
    assert as_id("²") is None
    assert as_id("١٢") is None
    assert as_id("9" * 19) is None
    assert as_id(None) is None
    assert as_year("2026") == 2026
    assert as_year("99999") is None
    assert as_year("0") is None
