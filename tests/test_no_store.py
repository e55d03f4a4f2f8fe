"""No browser or proxy keeps a page sent to a signed-in person (config.middleware.NoStoreMiddleware):
every response to them is ``Cache-Control: no-store``, error pages and downloads included."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "page",
    [
        lambda case: reverse("home"),
        lambda case: reverse("account"),
        lambda case: reverse("audits:case-identifiers", args=[case.round.pk, case.number]),
        lambda case: reverse("audits:round-detail", args=[case.round.pk]),
        lambda case: "/no-such-page/",  # the 404 page
    ],
)
def test_every_page_to_a_signed_in_person_is_not_stored(client, coordinator, open_case, page):
    client.force_login(coordinator)
    response = client.get(page(open_case))
    assert response["Cache-Control"] == "no-store"


def test_a_child_details_panel_is_not_stored(client, lead_a, open_case):
    client.force_login(lead_a)
    response = client.get(reverse("audits:case-child-details", args=[open_case.round.pk, open_case.number]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_a_refusal_and_a_redirect_are_not_stored(client, lead_b, open_case):
    client.force_login(lead_b)
    refused = client.get(reverse("audits:case-identifiers", args=[open_case.round.pk, open_case.number]))
    assert refused.status_code in (403, 404)
    assert refused["Cache-Control"] == "no-store"
    assert client.post(reverse("sign-in"))["Cache-Control"] == "no-store"


def test_a_download_is_not_stored(client, coordinator, open_case):
    client.force_login(coordinator)
    response = client.get(reverse("audits:round-completion-csv", args=[open_case.round.pk]))
    assert response.status_code == 200, response
    assert response["Cache-Control"] == "no-store"


@pytest.mark.two_factor
def test_the_authenticator_key_is_not_stored(client, lead_a):
    # Signed in with the password only, before two-factor set-up: the page shows the app's key.
    client.force_login(lead_a)
    response = client.get(reverse("two-factor-set-up"))
    assert "QR code" in response.text
    assert response["Cache-Control"] == "no-store"
