"""Importing a chronology from a spreadsheet, and exporting a chronology."""

import csv
import io
import re
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from audits.models import WorkStatus
from tests import factories
from tests.audits.returns.test_chronology_io import HEADER, csv_bytes

SAMPLES = Path(__file__).resolve().parents[3] / "static" / "samples"


def upload(client, chronology, data, name="entries.csv", mode="add"):
    """Upload a file: a good one ends on the preview page, a bad one back on the upload form."""
    url = reverse("audits:chronology-import", kwargs={"pk": chronology.pk})
    return client.post(url, {"entries_file": SimpleUploadedFile(name, data), "mode": mode}, follow=True)


def hidden(page, name):
    return re.search(rf'name="{name}" value="([^"]*)"', page)[1]


def confirm(client, chronology, page, **extra):
    """Confirm the import previewed on ``page``, as its form does."""
    url = reverse("audits:chronology-import-preview", kwargs={"pk": chronology.pk})
    data = {"token": hidden(page, "token"), "state": hidden(page, "state"), "confirm": "", **extra}
    return client.post(url, data, follow=True)


def import_file(client, chronology, data, name="entries.csv", mode="add", **extra):
    preview = upload(client, chronology, data, name, mode)
    assert preview.redirect_chain[-1][0] == reverse("audits:chronology-import-preview", kwargs={"pk": chronology.pk})
    return confirm(client, chronology, preview.text, **extra)


def test_import_page_lists_the_columns_and_the_template(client, chronology_a, lead_a):
    client.force_login(lead_a)
    response = client.get(reverse("audits:chronology-import", kwargs={"pk": chronology_a.pk}))
    assert response.status_code == 200
    for column in HEADER.split(","):
        assert column in response.text
    assert "samples/chronology-import-template.xlsx" in response.text
    assert "Child protection conference" in response.text


def test_lead_imports_a_csv_and_is_taken_to_the_chronology(client, chronology_a, lead_a):
    client.force_login(lead_a)
    response = import_file(
        client,
        chronology_a,
        csv_bytes(
            "31/01/2026,14:30,no,Home visit,Child 1 seen alone.,Visit again.,Family support worker,yes",
            "01/02/2026,,,Referral,Referral to early help.,,,",
        ),
    )
    assert response.redirect_chain[-1][0] == reverse("audits:chronology-detail", kwargs={"pk": chronology_a.pk})
    assert "2 entries imported." in response.text
    entries = list(chronology_a.entries.order_by("date"))
    assert [e.what_happened for e in entries] == ["Child 1 seen alone.", "Referral to early help."]
    assert entries[0].created_by == lead_a and entries[0].history.first().history_user == lead_a
    chronology_a.refresh_from_db()
    assert chronology_a.status == WorkStatus.DRAFT


def test_auditor_imports_the_sample_xlsx(client, chronology_a, auditor_a):
    client.force_login(auditor_a)
    response = import_file(client, chronology_a, (SAMPLES / "chronology-sample.xlsx").read_bytes(), "sample.xlsx")
    assert "8 entries imported." in response.text
    assert chronology_a.entries.count() == 8
    assert chronology_a.entries.filter(key_event=True).count() == 3


def test_the_import_template_imports_its_example_row(client, chronology_a, lead_a):
    client.force_login(lead_a)
    data = (SAMPLES / "chronology-import-template.xlsx").read_bytes()
    assert "1 entry imported." in import_file(client, chronology_a, data, "template.xlsx").text


def test_a_file_with_a_bad_row_imports_nothing_and_lists_the_problems(client, chronology_a, lead_a):
    factories.EntryFactory(chronology=chronology_a, what_happened="Already there.")
    client.force_login(lead_a)
    response = upload(
        client,
        chronology_a,
        csv_bytes("31/01/2026,,,Home visit,Good row.,,,", "31/13/2026,,,Home visit,Bad date.,,,", ",,,Nap,,,,"),
    )
    assert response.status_code == 200
    summary = response.text.split('class="govuk-error-summary', 1)[1].split("</div>", 2)[0]
    assert "Row 3, date: enter a real date" in summary
    assert "Row 4, date: enter the date of the event" in summary
    assert "Row 4, event_type: &quot;Nap&quot; is not a type of event; use one of: Contact, Home visit" in summary
    assert "Row 4, what_happened: enter what happened" in summary
    assert list(chronology_a.entries.values_list("what_happened", flat=True)) == ["Already there."]


def test_no_file_or_a_wrong_file_is_refused(client, chronology_a, lead_a, settings):
    client.force_login(lead_a)
    url = reverse("audits:chronology-import", kwargs={"pk": chronology_a.pk})
    assert "Select the chronology file" in client.post(url, {}).text
    assert "must be a CSV or an Excel workbook" in upload(client, chronology_a, b"text", "notes.txt").text
    assert "not a real Excel workbook" in upload(client, chronology_a, csv_bytes(), "fake.xlsx").text
    settings.MAX_UPLOAD_BYTES = 100
    big = csv_bytes(*["01/01/2026,,,Contact,A long enough row of text.,,,"] * 10)
    assert "The file must be smaller than" in upload(client, chronology_a, big).text
    assert chronology_a.entries.count() == 0


def test_export_csv_of_a_chronology(client, chronology_a, coordinator):
    factories.EntryFactory(chronology=chronology_a, what_happened="=1+1", action_outcome="Later entry")
    factories.EntryFactory(chronology=chronology_a, what_happened="Earlier", date="2025-12-01")
    client.force_login(coordinator)
    response = client.get(reverse("audits:chronology-export-csv", kwargs={"pk": chronology_a.pk}))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="case-1-agency-a-chronology.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADER.split(",")
    assert [row[4] for row in rows[1:]] == ["Earlier", "'=1+1"]


def test_export_xlsx_of_a_chronology(client, chronology_a, lead_a):
    factories.EntryFactory(chronology=chronology_a, what_happened="+44 7700 900000 called")
    client.force_login(lead_a)
    response = client.get(reverse("audits:chronology-export-xlsx", kwargs={"pk": chronology_a.pk}))
    assert response["Content-Disposition"] == 'attachment; filename="case-1-agency-a-chronology.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADER.split(",")
    assert sheet.cell(row=2, column=5).value == "'+44 7700 900000 called"
