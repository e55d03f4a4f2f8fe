"""Password-reset requests are throttled per address and per client's address (in Django's
cache): beyond the limit nothing more is sent, and the page says the same as ever."""

import datetime

from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests import factories


def ask(client, email, ip="203.0.113.7"):
    response = client.post(reverse("password-reset"), {"email": email}, REMOTE_ADDR=ip)
    assert response.status_code == 302
    assert response["Location"] == reverse("password-reset-sent")
    return response


def test_one_address_gets_at_most_three_links_an_hour(client, coordinator, settings, clock):
    settings.PASSWORD_RESET_PER_ADDRESS = 3
    for ip in ("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5"):
        ask(client, coordinator.email, ip)  # each from a different client: the address limit holds
    assert len(mail.outbox) == 3
    ask(client, coordinator.email.upper())  # one address, whatever the spelling
    assert len(mail.outbox) == 3
    clock.shift(datetime.timedelta(hours=1))
    ask(client, coordinator.email)
    assert len(mail.outbox) == 4


def test_one_client_gets_at_most_ten_requests_an_hour(client, settings, db):
    settings.PASSWORD_RESET_PER_CLIENT = 10
    people = [factories.UserFactory(email=f"person{n}@example.test", role="Coordinator") for n in range(12)]
    for person in people:
        ask(client, person.email)
    assert len(mail.outbox) == 10
    ask(client, people[-1].email, ip="198.51.100.9")  # another client is not held back
    assert len(mail.outbox) == 11


def test_unknown_addresses_count_too_and_the_page_says_the_same(client, coordinator, settings):
    settings.PASSWORD_RESET_PER_CLIENT = 3
    for n in range(3):
        ask(client, f"nobody{n}@example.test")
    assert mail.outbox == []
    sent_page = client.get(ask(client, coordinator.email)["Location"]).text  # over the client's limit
    assert mail.outbox == []
    assert "If the address you entered belongs to an account, we have sent it a link" in sent_page


def test_the_cache_holds_no_address(client, coordinator):
    ask(client, coordinator.email)
    keys = list(cache._cache.keys())  # the local-memory cache the tests use
    assert keys and not any(coordinator.email in key or "203.0.113.7" in key for key in keys)
