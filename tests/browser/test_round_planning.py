"""A coordinator plans a round and draws its cases, in Chromium with JavaScript off."""

import hashlib
import re
from pathlib import Path

from audits.models import AuditRound, Case
from tests import factories

SAMPLE = Path(__file__).resolve().parents[2] / "static" / "samples" / "candidate-list-sample.csv"
SEED = "20261123"


def preview_references(page):
    table = page.get_by_test_id("drawn-cases")
    return [row.inner_text().split("\t")[0].strip() for row in table.locator("tbody tr").all()]


def draw(visitor):
    page = visitor.page
    page.get_by_label("Upload the candidate list").set_input_files(SAMPLE)
    page.get_by_label("How many cases?").fill("3")
    page.get_by_label("Age band").check()
    page.get_by_label("Plan type").check()
    page.get_by_label("Seed (optional)").fill(SEED)
    visitor.click("button", name="Preview the draw")
    return preview_references(page)


def test_coordinator_plans_a_round_and_draws_cases_without_javascript(visitor_without_js):
    visitor = visitor_without_js
    page = visitor.page
    coordinator = factories.UserFactory(email="coordinator@example.test", full_name="Casey Coord", role="Coordinator")
    area = factories.AreaFactory(name="Northshire", short_name="NS")
    factories.AuditRoundFactory(area=area, title="Earlier round", created_by=coordinator)
    agencies = [
        factories.AgencyFactory(name="Northshire Children's Services", short_name="CSC"),
        factories.AgencyFactory(name="Northshire Police", short_name="Police"),
        factories.AgencyFactory(name="Northshire Schools", short_name="Schools"),
    ]

    visitor.sign_in(coordinator.email)
    visitor.click("link", name="Plan the next round")
    page.get_by_label("Northshire").check()
    visitor.click("button", name="Continue")
    assert page.get_by_label("Theme").input_value() == "Neglect and the voice of the child"
    page.get_by_label("Title").fill("Northshire audit of neglect")
    visitor.click("button", name="Plan round")
    audit_round = AuditRound.objects.get(title="Northshire audit of neglect")
    assert page.url.endswith(audit_round.get_absolute_url())

    # An empty upload is refused with an error summary and nothing is kept.
    visitor.click("link", name="Draw cases from a candidate list")
    visitor.click("button", name="Preview the draw")
    assert "Select the candidate list file" in page.locator(".govuk-error-summary").inner_text()

    first = draw(visitor)
    assert len(first) == 3
    assert page.get_by_test_id("preview-seed").inner_text() == SEED
    visitor.click("button", name="Add these cases to the round")
    checksum = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    assert page.get_by_test_id("draw-checksum").inner_text().strip() == checksum
    assert page.get_by_test_id("draw-seed").inner_text().strip() == SEED
    assert Case.objects.filter(round=audit_round).count() == 3

    # Agencies per case.
    for number, chosen in [(1, agencies[:2]), (2, agencies[1:]), (3, agencies)]:
        visitor.click("link", name=f"Choose agencies for Case {number}")
        for agency in chosen:
            page.get_by_label(agency.name).check()
        visitor.click("button", name="Save agencies")
    for number, expected in [(1, 2), (2, 2), (3, 3)]:
        assert Case.objects.get(round=audit_round, number=number).agencies.count() == expected

    # Drawing again with the same file, seed and strata gives the same cases.
    visitor.goto(f"/rounds/{audit_round.pk}/cases/draw/")
    assert draw(visitor) == first
    assert page.get_by_test_id("preview-checksum").inner_text().strip() == checksum

    # Open the round.
    visitor.goto(audit_round.get_absolute_url())
    visitor.click("button", name=re.compile("Move to the next stage"))
    visitor.click("button", name="Yes, open the round")
    assert "Open for returns" in page.locator("main").inner_text()
