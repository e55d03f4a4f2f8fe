"""`make bench-data` (tests/bench/data.py) makes data the key pages work on: a small scale of it on
PostgreSQL (its search vectors and the generator's bulk writes are PostgreSQL's), every key page 200."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from agencies.models import User
from audits.models import Action, AuditRound, ChronologyEntry, LearningPoint
from tests.bench import data

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the bench data is made on PostgreSQL only"),
]


@pytest.fixture
def keys(settings):
    settings.DEBUG = True  # seed_demo loads demo sign-ins only with DEBUG on
    call_command("seed_demo", stdout=io.StringIO())
    return data.generate(0.02, log=lambda *args: None)


def test_the_key_pages_answer_on_the_generated_data(client, keys):
    assert AuditRound.objects.filter(status=AuditRound.Status.CLOSED).count() >= 2
    assert AuditRound.objects.in_progress().count() == 2  # the latest one or two
    assert ChronologyEntry.objects.filter(chronology__case__round=keys["round"], chronology__case__number=keys["case"])
    assert keys["case_entries"] == data.big_size(data.BIG_CASE_ENTRIES, 0.02)
    assert keys["actions"] == Action.objects.filter(round=keys["action_round"]).count() >= 5
    assert LearningPoint.objects.filter(text__icontains=keys["term"]).exists()
    assert LearningPoint.objects.published().exists()

    round_pk, case = keys["round"], keys["case"]
    pages = {
        "coordinator": [
            reverse("home"),
            reverse("audits:round-list"),
            reverse("audits:round-detail", args=[round_pk]),
            reverse("audits:round-completion", args=[round_pk]),
            reverse("audits:integrated-chronology", args=[round_pk, case]),
            reverse("audits:round-actions", args=[keys["action_round"]]),
            reverse("audits:action-list"),
            reverse("audits:library"),
            reverse("audits:library") + f"?q={keys['term']}",
        ],
        "lead": [reverse("home"), reverse("audits:round-list"), reverse("audits:action-list")],
        "administrator": [reverse("access-log")],
    }
    for who, paths in pages.items():
        client.force_login(User.objects.get(email=keys[who]))
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (who, path, response.status_code)
    client.force_login(User.objects.get(email=keys["coordinator"]))
    searched = client.get(reverse("audits:library") + f"?q={keys['term']}")
    assert keys["term"].encode() in searched.content.lower()
