import pytest
from django.urls import reverse

from audits.models import Chronology, ChronologyEntry, WorkStatus
from audits.returns import services
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
    edit_url = reverse("audits:entry-edit", args=[chronology_a.pk, entry.pk])
    client.post(edit_url, entry_post(what_happened="Changed.", revision=entry.revision))
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
    # (Returning now asks for confirmation: the second POST says "confirmed".)
    client.post(
        reverse("audits:chronology-return", args=[chronology_a.pk]),
        {"comment": "Add the March visit.", "confirmed": "yes"},
    )
    chronology_a.refresh_from_db()
    assert chronology_a.status == WorkStatus.RETURNED


def _edit_page(client, chronology, entry):
    return client.get(reverse("audits:entry-edit", args=[chronology.pk, entry.pk])).text


def test_two_people_editing_one_entry_the_second_sees_both_versions(client, chronology_a, lead_a, auditor_a):
    entry = factories.EntryFactory(chronology=chronology_a, date="2026-03-14", what_happened="First draft.")
    edit_url = reverse("audits:entry-edit", args=[chronology_a.pk, entry.pk])
    # Both open the form at revision 0.
    client.force_login(lead_a)
    assert 'name="revision" value="0"' in _edit_page(client, chronology_a, entry)
    client.force_login(auditor_a)
    assert 'name="revision" value="0"' in _edit_page(client, chronology_a, entry)
    # The lead saves first.
    client.force_login(lead_a)
    client.post(edit_url, entry_post(what_happened="The lead's version.", revision="0"))
    entry.refresh_from_db()
    assert entry.what_happened == "The lead's version." and entry.revision == 1
    # The auditor saves from revision 0: refused, both texts on the page, nothing lost.
    client.force_login(auditor_a)
    response = client.post(edit_url, entry_post(what_happened="The auditor's version.", revision="0"))
    assert response.status_code == 200
    page = response.text
    assert "Someone else saved this entry while you were changing it" in page
    assert "govuk-error-summary" in page
    conflict = page.split('data-testid="conflict"', 1)[1].split("</dl>", 1)[0]
    assert "The lead&#x27;s version." in conflict and str(lead_a) in page
    form = page.split("<form", 1)[1]
    assert "The auditor&#x27;s version." in form
    assert 'name="revision" value="1"' in form
    entry.refresh_from_db()
    assert entry.what_happened == "The lead's version." and entry.revision == 1
    # Saving again, now from revision 1, keeps the auditor's version.
    response = client.post(edit_url, entry_post(what_happened="The auditor's version.", revision="1"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.what_happened == "The auditor's version." and entry.revision == 2
    assert entry.history.first().history_user == auditor_a


def test_an_edit_of_an_entry_deleted_meanwhile_keeps_what_was_typed(client, chronology_a, auditor_a):
    entry = factories.EntryFactory(chronology=chronology_a)
    url = reverse("audits:entry-edit", args=[chronology_a.pk, entry.pk])
    client.force_login(auditor_a)
    assert "Save entry" in _edit_page(client, chronology_a, entry)
    ChronologyEntry.objects.filter(pk=entry.pk).delete()
    assert client.get(url).status_code == 404
    response = client.post(url, entry_post(what_happened="Typed before it went.", revision="0"))
    assert response.status_code == 200
    assert "Someone deleted this entry while you were changing it" in response.text
    assert "Typed before it went." in response.text and 'name="save-as-new"' in response.text
    assert not chronology_a.entries.exists()
    data = entry_post(what_happened="Typed before it went.", revision="0")
    data["save-as-new"] = "1"
    assert client.post(url, data).status_code == 302
    assert chronology_a.entries.get().what_happened == "Typed before it went."


def test_an_edit_without_its_revision_is_refused(client, chronology_a, auditor_a):
    entry = factories.EntryFactory(chronology=chronology_a, what_happened="Kept.")
    client.force_login(auditor_a)
    response = client.post(reverse("audits:entry-edit", args=[chronology_a.pk, entry.pk]), entry_post())
    assert response.status_code == 200 and "govuk-error-summary" in response.text
    entry.refresh_from_db()
    assert entry.what_happened == "Kept."


def test_service_refuses_a_stale_revision_and_saves_nothing(chronology_a, lead_a, auditor_a):
    entry = factories.EntryFactory(chronology=chronology_a, what_happened="Before.")
    services.entry_save(actor=lead_a, chronology=chronology_a, entry=entry, revision=0, what_happened="Lead.")
    with pytest.raises(services.EntryConflictError) as caught:
        services.entry_save(actor=auditor_a, chronology=chronology_a, entry=entry, revision=0, what_happened="Aud.")
    assert caught.value.entry.what_happened == "Lead." and caught.value.entry.updated_by == lead_a
    entry.refresh_from_db()
    assert entry.what_happened == "Lead." and entry.revision == 1


# --- Deleting selected entries ---


def _entries(chronology, *texts):
    return [factories.EntryFactory(chronology=chronology, what_happened=text) for text in texts]


def test_chronology_page_offers_a_checkbox_per_entry(client, chronology_a, auditor_a, coordinator):
    one, two = _entries(chronology_a, "First.", "Second.")
    client.force_login(auditor_a)
    page = client.get(chronology_a.get_absolute_url()).text
    assert f'name="entry" type="checkbox" value="{one.pk}"' in page
    assert f'name="entry" type="checkbox" value="{two.pk}"' in page
    assert "Delete the selected entries" in page
    client.force_login(coordinator)
    assert 'type="checkbox"' not in client.get(chronology_a.get_absolute_url()).text


def test_selected_entries_are_deleted_together_after_a_confirmation(client, chronology_a, lead_a):
    one, two, three = _entries(chronology_a, "First entry.", "Second entry.", "Third entry.")
    url = reverse("audits:entries-delete", args=[chronology_a.pk])
    client.force_login(lead_a)
    page = client.get(url, {"entry": [one.pk, three.pk]}).text
    listed = page.split('data-testid="entries-to-delete"', 1)[1].split("</table>", 1)[0]
    assert "First entry." in listed and "Third entry." in listed and "Second entry." not in listed
    assert "Are you sure you want to delete these 2 entries?" in page
    assert chronology_a.entries.count() == 3
    response = client.post(url, {"entry": [f"{one.pk}:0", f"{three.pk}:0"]}, follow=True)
    assert response.redirect_chain[-1][0] == chronology_a.get_absolute_url()
    assert "2 entries deleted." in response.text
    assert list(chronology_a.entries.all()) == [two]
    assert ChronologyEntry.history.filter(id=one.pk, history_type="-").get().history_user == lead_a
    chronology_a.refresh_from_db()
    assert chronology_a.status == WorkStatus.DRAFT


def test_deleting_with_nothing_selected_is_an_error_on_the_chronology_page(client, chronology_a, auditor_a):
    (one,) = _entries(chronology_a, "Only entry.")
    client.force_login(auditor_a)
    response = client.get(reverse("audits:entries-delete", args=[chronology_a.pk]))
    assert response.status_code == 200
    page = response.text
    assert "govuk-error-summary" in page and f'href="#entry-{one.pk}"' in page
    assert "Select the entries you want to delete" in page and "<title>Error: " in page
    assert chronology_a.entries.count() == 1


def test_entries_of_another_chronology_cannot_be_selected(client, chronology_a, chronology_b, auditor_a):
    (theirs,) = _entries(chronology_b, "Agency B's entry.")
    _entries(chronology_a, "Ours.")
    url = reverse("audits:entries-delete", args=[chronology_a.pk])
    client.force_login(auditor_a)
    page = client.get(url, {"entry": [theirs.pk, "x", "²"]}).text
    assert "Agency B&#x27;s entry." not in page and "Select the entries you want to delete" in page
    client.post(url, {"entry": [f"{theirs.pk}:0"]})
    assert chronology_b.entries.count() == 1


def test_entries_changed_since_the_confirmation_page_are_not_deleted(client, chronology_a, lead_a):
    one, two = _entries(chronology_a, "First.", "Second.")
    ChronologyEntry.objects.filter(pk=two.pk).update(revision=1, what_happened="Changed meanwhile.")
    client.force_login(lead_a)
    response = client.post(
        reverse("audits:entries-delete", args=[chronology_a.pk]), {"entry": [f"{one.pk}:0", f"{two.pk}:0"]}, follow=True
    )
    assert "Nothing has been deleted" in response.text
    assert chronology_a.entries.count() == 2


def test_a_submitted_chronology_offers_no_deleting(client, chronology_a, lead_a):
    (one,) = _entries(chronology_a, "Entry.")
    Chronology.objects.filter(pk=chronology_a.pk).update(status=WorkStatus.SUBMITTED)
    client.force_login(lead_a)
    assert 'type="checkbox"' not in client.get(chronology_a.get_absolute_url()).text
    url = reverse("audits:entries-delete", args=[chronology_a.pk])
    assert client.post(url, {"entry": [f"{one.pk}:0"]}).status_code == 302
    assert chronology_a.entries.count() == 1
