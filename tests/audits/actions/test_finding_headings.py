"""The action plan is shared with every agency of the round, but an agency's staff read only the
headings of findings about cases their agency is part of (and the round's own findings): on the
action's page and in the exports. Coordinators read them all."""

import csv
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from audits.actions import selectors
from tests import factories
from tests.exports.flow import download


@pytest.fixture
def other_case(open_case, agency_b, coordinator):
    """Case 2 of the round: agency B's, not agency A's."""
    case = factories.CaseFactory(round=open_case.round, number=2)
    factories.CaseAgencyFactory(case=case, agency=agency_b, added_by=coordinator)
    return case


@pytest.fixture
def action(open_case, other_case, agency_a, coordinator):
    action = factories.ActionFactory(round=open_case.round, lead_agency=agency_a, created_by=coordinator)
    action.findings.set(
        [
            factories.LearningPointFactory(case=open_case, round=open_case.round, heading="Escalation was slow"),
            factories.LearningPointFactory(
                case=other_case, round=open_case.round, heading="Police missed the referral"
            ),
            factories.LearningPointFactory(case=None, round=open_case.round, heading="Thresholds are read differently"),
        ]
    )
    return action


def test_a_lead_reads_only_the_headings_of_their_agencys_cases(client, lead_a, action):
    client.force_login(lead_a)
    page = client.get(reverse("audits:action-detail", args=[action.pk])).text
    assert "Escalation was slow" in page
    assert "Thresholds are read differently" in page
    assert "Police missed the referral" not in page
    assert f"Case 2: {selectors.FINDING_NOT_SHOWN}" in page


def test_the_other_agency_reads_its_own_and_not_the_first(client, lead_b, action):
    client.force_login(lead_b)
    page = client.get(reverse("audits:action-detail", args=[action.pk])).text
    assert "Police missed the referral" in page and "Thresholds are read differently" in page
    assert "Escalation was slow" not in page


def test_a_coordinator_reads_every_heading(client, coordinator, action):
    client.force_login(coordinator)
    page = client.get(reverse("audits:action-detail", args=[action.pk])).text
    assert "Escalation was slow" in page and "Police missed the referral" in page
    assert selectors.FINDING_NOT_SHOWN not in page


def test_the_export_hides_them_too(client, lead_a, action):
    client.force_login(lead_a)
    base = reverse("audits:round-actions", args=[action.round_id])
    rows = list(csv.reader(io.StringIO(download(client, base + "export.csv").content.decode("utf-8-sig"))))
    (row,) = rows[1:]
    findings = row[rows[0].index("Findings it answers")]
    assert "Escalation was slow" in findings and "Thresholds are read differently" in findings
    assert "Police missed the referral" not in findings
    assert selectors.FINDING_NOT_SHOWN in findings


def test_the_pdf_hides_them_too(client, lead_a, action):
    client.force_login(lead_a)
    pdf = download(client, reverse("audits:round-actions", args=[action.round_id]) + "export.pdf").content
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Escalation was slow" in text
    assert "Police missed the referral" not in text
    assert "your agency is not part of" in text
