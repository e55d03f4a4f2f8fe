"""Importing a chronology safely: add or replace, a preview of what will change, nothing changed
until the person importing confirms, duplicates skipped unless kept."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audits.models import Chronology, ChronologyEntry, WorkStatus
from audits.returns.views.chronology_files import PENDING_IMPORT
from tests import factories
from tests.audits.returns.test_chronology_file_views import confirm, hidden, import_file, upload
from tests.audits.returns.test_chronology_io import csv_bytes

FILE = csv_bytes(
    "31/01/2026,14:30,no,Home visit,Child 1 seen alone at home.,Visit again.,Family support worker,yes",
    "01/02/2026,,,Referral,Referral to early help.,,,",
)


def preview_url(chronology):
    return reverse("audits:chronology-import-preview", kwargs={"pk": chronology.pk})


def section(page, testid):
    """The table with ``data-testid``, as text."""
    return page.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]


def test_the_upload_asks_to_add_or_replace(client, chronology_a, lead_a):
    client.force_login(lead_a)
    url = reverse("audits:chronology-import", kwargs={"pk": chronology_a.pk})
    page = client.get(url).text
    assert "Add them to the chronology" in page and "Replace the chronology" in page
    response = client.post(url, {"entries_file": SimpleUploadedFile("entries.csv", FILE)})
    assert "Choose whether to add the rows or replace the chronology" in response.text
    assert "govuk-error-summary" in response.text
    assert PENDING_IMPORT not in client.session


def test_uploading_shows_a_preview_and_changes_nothing(client, chronology_a, lead_a):
    client.force_login(lead_a)
    response = upload(client, chronology_a, FILE)
    assert response.redirect_chain == [(preview_url(chronology_a), 302)]
    # The rows wait in the session, not in the URL.
    assert "Child" not in response.redirect_chain[0][0]
    page = response.text
    assert "Nothing has changed yet" in page
    rows = section(page, "rows-to-add")
    assert "Child 1 seen alone at home." in rows and "Referral to early help." in rows
    assert 'data-testid="duplicate-rows"' not in page and 'data-testid="entries-to-remove"' not in page
    assert "keep_duplicates" not in page
    assert not chronology_a.entries.exists()
    chronology_a.refresh_from_db()
    assert chronology_a.status == WorkStatus.NOT_STARTED


def test_the_same_file_added_twice_adds_nothing_the_second_time(client, chronology_a, lead_a):
    client.force_login(lead_a)
    assert "2 entries imported." in import_file(client, chronology_a, FILE).text
    assert chronology_a.entries.count() == 2

    preview = upload(client, chronology_a, FILE).text
    summary = preview.split('data-testid="import-summary"', 1)[1].split("</ul>", 1)[0]
    assert "0 rows from the file will be added" in summary
    assert "2 rows already in the chronology will not be added again" in summary
    duplicates = section(preview, "duplicate-rows")
    assert "Child 1 seen alone at home." in duplicates and "Referral to early help." in duplicates
    assert 'data-testid="rows-to-add"' not in preview
    assert "Keep the duplicates" in preview

    response = confirm(client, chronology_a, preview)
    assert response.redirect_chain[-1][0] == chronology_a.get_absolute_url()
    assert "0 entries imported. 2 entries already in the chronology were not added again." in response.text
    assert chronology_a.entries.count() == 2
    assert PENDING_IMPORT not in client.session


def test_only_the_new_rows_of_a_longer_file_are_added(client, chronology_a, auditor_a):
    client.force_login(auditor_a)
    import_file(client, chronology_a, FILE)
    longer = FILE + b"03/02/2026,,,Assessment,Assessment started.,,,\n"
    preview = upload(client, chronology_a, longer).text
    assert "Assessment started." in section(preview, "rows-to-add")
    assert "Referral to early help." not in section(preview, "rows-to-add")
    assert "1 entry imported. 2 entries already" in confirm(client, chronology_a, preview).text
    assert chronology_a.entries.count() == 3


def test_duplicates_are_added_when_kept(client, chronology_a, lead_a):
    client.force_login(lead_a)
    import_file(client, chronology_a, FILE)
    preview = upload(client, chronology_a, FILE).text
    assert "2 entries imported." in confirm(client, chronology_a, preview, keep_duplicates="on").text
    assert chronology_a.entries.count() == 4


def test_replace_shows_what_goes_and_what_comes_and_changes_nothing_until_confirmed(client, chronology_a, lead_a):
    old = factories.EntryFactory(chronology=chronology_a, what_happened="An entry typed in by hand.")
    client.force_login(lead_a)
    preview = upload(client, chronology_a, FILE, mode="replace").text
    assert "An entry typed in by hand." in section(preview, "entries-to-remove")
    assert "Child 1 seen alone at home." in section(preview, "rows-to-add")
    assert "1 entry now in the chronology will be deleted" in preview
    assert "Replace the chronology&#x27;s entries" in preview or "Replace the chronology's entries" in preview
    # Looking again changes nothing either.
    assert client.get(preview_url(chronology_a)).status_code == 200
    assert list(chronology_a.entries.values_list("pk", flat=True)) == [old.pk]

    response = confirm(client, chronology_a, preview)
    assert "2 entries imported. 1 entry removed." in response.text
    assert sorted(chronology_a.entries.values_list("what_happened", flat=True)) == [
        "Child 1 seen alone at home.",
        "Referral to early help.",
    ]
    # Logged as any change is: each entry's history names the lead, the deleted one's too.
    deleted = ChronologyEntry.history.filter(id=old.pk, history_type="-").get()
    assert deleted.history_user == lead_a
    assert all(e.history.first().history_user == lead_a for e in chronology_a.entries.all())


def test_replace_keeps_nothing_of_the_old_entries_even_when_the_file_repeats_them(client, chronology_a, lead_a):
    client.force_login(lead_a)
    import_file(client, chronology_a, FILE)
    first = set(chronology_a.entries.values_list("pk", flat=True))
    preview = upload(client, chronology_a, FILE, mode="replace").text
    assert 'data-testid="duplicate-rows"' not in preview
    confirm(client, chronology_a, preview)
    assert chronology_a.entries.count() == 2
    assert not first & set(chronology_a.entries.values_list("pk", flat=True))


def test_cancelling_changes_nothing_and_forgets_the_file(client, chronology_a, lead_a):
    factories.EntryFactory(chronology=chronology_a)
    client.force_login(lead_a)
    preview = upload(client, chronology_a, FILE, mode="replace").text
    response = client.post(preview_url(chronology_a), {"token": hidden(preview, "token"), "cancel": ""}, follow=True)
    assert response.redirect_chain[-1][0] == chronology_a.get_absolute_url()
    assert "Import cancelled. Nothing was changed." in response.text
    assert chronology_a.entries.count() == 1
    assert PENDING_IMPORT not in client.session


def test_without_an_upload_the_preview_sends_you_to_upload(client, chronology_a, lead_a):
    client.force_login(lead_a)
    response = client.get(preview_url(chronology_a), follow=True)
    assert response.redirect_chain[-1][0] == reverse("audits:chronology-import", kwargs={"pk": chronology_a.pk})
    assert "upload it again" in response.text


def test_a_file_waiting_for_another_chronology_is_not_shown_here(
    client, chronology_a, lead_a, returns_case, coordinator
):
    other_case = factories.CaseFactory(round=returns_case.round, number=2)
    factories.CaseAgencyFactory(case=other_case, agency=chronology_a.agency, added_by=coordinator)
    other = Chronology.objects.create(case=other_case, agency=chronology_a.agency, due_date=chronology_a.due_date)
    client.force_login(lead_a)
    upload(client, other, FILE)
    assert client.get(preview_url(chronology_a)).status_code == 302
    assert not chronology_a.entries.exists() and not other.entries.exists()


def test_a_change_to_the_chronology_since_the_preview_is_refused(client, chronology_a, lead_a, auditor_a):
    client.force_login(lead_a)
    preview = upload(client, chronology_a, FILE, mode="replace").text
    # Meanwhile someone adds an entry the preview did not show would go.
    late = factories.EntryFactory(chronology=chronology_a, what_happened="Added after the preview.")
    response = confirm(client, chronology_a, preview)
    assert response.status_code == 200 and not response.redirect_chain
    assert "Someone changed this chronology&#x27;s entries since you looked at the preview" in response.text
    assert list(chronology_a.entries.values_list("pk", flat=True)) == [late.pk]
    # The preview is shown again as things are now; confirming from it works.
    assert "Added after the preview." in section(response.text, "entries-to-remove")
    assert "2 entries imported. 1 entry removed." in confirm(client, chronology_a, response.text).text


def test_confirming_an_older_preview_after_another_upload_is_refused(client, chronology_a, lead_a):
    client.force_login(lead_a)
    first = upload(client, chronology_a, FILE).text
    upload(client, chronology_a, csv_bytes("05/02/2026,,,Contact,A different file.,,,"))
    response = confirm(client, chronology_a, first)
    assert "You uploaded another file since this preview was shown" in response.text
    assert "A different file." in section(response.text, "rows-to-add")
    assert not chronology_a.entries.exists()


def test_an_unknown_event_type_is_a_row_error_not_a_guess(client, chronology_a, lead_a):
    client.force_login(lead_a)
    response = upload(client, chronology_a, csv_bytes("01/02/2026,,,Visit,Child seen at school.,,,"))
    assert not response.redirect_chain
    summary = response.text.split('class="govuk-error-summary', 1)[1].split("</ul>", 1)[0]
    assert "Row 2, event_type: &quot;Visit&quot; is not a type of event; use one of:" in summary
    assert "Home visit" in summary and "School attendance concern" in summary
    assert not chronology_a.entries.exists()
    assert PENDING_IMPORT not in client.session


def test_a_file_too_large_to_keep_for_the_preview_is_refused(client, chronology_a, lead_a, settings):
    data = b"date,event_type,what_happened\n" + b"01/02/2026,Contact,x\n" * 200
    settings.MAX_UPLOAD_BYTES = len(data) + 10
    client.force_login(lead_a)
    response = upload(client, chronology_a, data)
    assert "The file is too large to import at once" in response.text
    assert PENDING_IMPORT not in client.session


@pytest.mark.parametrize("status", [WorkStatus.SUBMITTED, WorkStatus.ACCEPTED])
def test_a_chronology_submitted_after_the_preview_is_not_changed(client, chronology_a, lead_a, status):
    client.force_login(lead_a)
    preview = upload(client, chronology_a, FILE).text
    Chronology.objects.filter(pk=chronology_a.pk).update(status=status)
    response = client.post(preview_url(chronology_a), {"token": hidden(preview, "token"), "state": "x"})
    assert response.status_code == 403
    assert not chronology_a.entries.exists()


def test_rows_with_the_same_text_but_another_time_are_not_duplicates(client, chronology_a, lead_a):
    factories.EntryFactory(
        chronology=chronology_a,
        date=datetime.date(2026, 2, 1),
        event_type="referral",
        what_happened="Referral to early help.",
        action_outcome="",
        practitioner_role="",
        time=datetime.time(10, 0),
    )
    client.force_login(lead_a)
    preview = upload(client, chronology_a, FILE).text
    assert "Referral to early help." in section(preview, "rows-to-add")
    assert 'data-testid="duplicate-rows"' not in preview
