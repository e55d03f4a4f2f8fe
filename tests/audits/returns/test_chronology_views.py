from django.urls import reverse

from audits.models import WorkStatus
from tests import factories


def entry_post(**overrides):
    data = {
        "date_0": "14",
        "date_1": "3",
        "date_2": "2026",
        "time": "09:30",
        "event_type": "home_visit",
        "what_happened": "Health visitor saw the child at home.",
        "action_outcome": "Follow-up booked.",
        "practitioner_role": "Health visitor",
    }
    data.update(overrides)
    return data


def test_add_change_and_delete_entries(client, chronology_a, auditor_a):
    client.force_login(auditor_a)
    response = client.post(reverse("audits:entry-add", args=[chronology_a.pk]), entry_post(key_event="on"))
    assert response["Location"] == chronology_a.get_absolute_url()
    entry = chronology_a.entries.get()
    assert entry.key_event and entry.time.hour == 9
    page = client.get(chronology_a.get_absolute_url()).text
    assert "Health visitor saw the child at home." in page and "Key event" in page
    client.post(reverse("audits:entry-edit", args=[chronology_a.pk, entry.pk]), entry_post(what_happened="Changed."))
    entry.refresh_from_db()
    assert entry.what_happened == "Changed."
    assert "Are you sure" in client.get(reverse("audits:entry-delete", args=[chronology_a.pk, entry.pk])).text
    client.post(reverse("audits:entry-delete", args=[chronology_a.pk, entry.pk]))
    assert not chronology_a.entries.exists()


def test_bad_entry_keeps_what_was_typed(client, chronology_a, auditor_a):
    client.force_login(auditor_a)
    response = client.post(
        reverse("audits:entry-add", args=[chronology_a.pk]),
        entry_post(date_0="31", date_1="2", event_type="", time="25:99"),
    )
    page = response.text
    assert "The date must be a real date" in page
    assert "Choose the type of event" in page
    assert "Enter the time like 14:30" in page
    assert "Health visitor saw the child at home." in page
    assert not chronology_a.entries.exists()


def test_entries_are_listed_by_date(client, chronology_a, auditor_a):
    factories.EntryFactory(chronology=chronology_a, date="2026-05-01", what_happened="Later event")
    factories.EntryFactory(chronology=chronology_a, date="2026-01-01", what_happened="Earlier event")
    client.force_login(auditor_a)
    page = client.get(chronology_a.get_absolute_url()).text
    assert page.index("Earlier event") < page.index("Later event")


def test_lead_submits_and_coordinator_returns(client, chronology_a, lead_a, coordinator):
    client.force_login(lead_a)
    client.post(reverse("audits:chronology-submit", args=[chronology_a.pk]), follow=True)
    chronology_a.refresh_from_db()
    assert chronology_a.status == WorkStatus.NOT_STARTED
    factories.EntryFactory(chronology=chronology_a)
    client.post(reverse("audits:chronology-submit", args=[chronology_a.pk]))
    chronology_a.refresh_from_db()
    assert chronology_a.status == WorkStatus.SUBMITTED
    response = client.get(reverse("audits:entry-add", args=[chronology_a.pk]))
    assert response.status_code == 302
    client.force_login(coordinator)
    client.post(reverse("audits:chronology-return", args=[chronology_a.pk]), {"comment": "Add the March visit."})
    chronology_a.refresh_from_db()
    assert chronology_a.status == WorkStatus.RETURNED
