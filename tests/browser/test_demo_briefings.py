"""Issue 5 end to end on the demo data, JavaScript off: the coordinator turns last year's meeting
record into a 6 step briefing and a learning summary by theme, previews, approves and publishes
both; a board viewer downloads both, and the PDFs hold every heading, strength, finding, key
message and reflective question in the order the preview showed."""

import io
import re
from urllib.parse import urlsplit

from django.core.management import call_command
from pypdf import PdfReader

from audits.models import AuditRound
from tests.browser.test_briefings import click_in_main, sign_out

PREVIEW_PARTS = ", ".join(
    f".briefing-content {part}" for part in ["h2", "h3", "strong.briefing-item-heading", ".briefing-questions li"]
)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def publish(visitor, audit_round, label, title):
    page = visitor.page
    visitor.goto(audit_round.get_absolute_url())
    click_in_main(visitor, "link", "Write and publish a briefing")
    page.get_by_label(label).check()
    page.get_by_label("Title").fill(title)
    visitor.click("button", name="Create the briefing")
    visitor.click("link", name="Preview the briefing")
    parts = [normalise(text) for text in page.locator(PREVIEW_PARTS).all_inner_texts()]
    visitor.click("link", name="Back to the briefing")
    visitor.click("button", name="Send for approval")
    visitor.click("button", name="Yes, send for approval")
    url = page.url
    sign_out(visitor)
    # The board approver signs it off and publishes it.
    visitor.sign_in_with("approver@example.org", "demo-audit-2026")
    visitor.goto(urlsplit(url).path)
    visitor.click("button", name="Approve", exact=True)
    visitor.click("button", name="Yes, approve the briefing")
    visitor.click("button", name="Publish", exact=True)
    visitor.click("button", name="Yes, publish the briefing")
    assert "Download version 1 (PDF)" in page.content()
    sign_out(visitor)
    visitor.sign_in_with("coordinator@example.org", "demo-audit-2026")
    return parts


def test_demo_round_becomes_two_published_briefings_the_board_downloads(visitor_without_js, settings):
    visitor = visitor_without_js
    page = visitor.page
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    audit_round = AuditRound.objects.get(status=AuditRound.Status.CLOSED)

    visitor.sign_in_with("coordinator@example.org", "demo-audit-2026")
    six_step = publish(visitor, audit_round, "6 step briefing", "Domestic abuse and mental health: 6 step briefing")
    by_theme = publish(visitor, audit_round, "Learning summary by theme", "Domestic abuse and mental health: learning")
    assert [p for p in six_step if re.match(r"\d\. ", p)] == [
        "1. Theme and cases",
        "2. Process",
        "3. Strengths identified per case",
        "4. Findings identified per case",
        "5. Recommendations across the cases",
        "6. Good practice",
    ]
    assert "Tell schools what happened last night" in by_theme
    assert "Who in your agency tells the school, and how quickly?" in by_theme
    sign_out(visitor)

    visitor.sign_in_with("board@example.org", "demo-audit-2026")
    visitor.click("link", name="Briefings", exact=True)
    for title, parts in [
        ("Domestic abuse and mental health: 6 step briefing", six_step),
        ("Domestic abuse and mental health: learning", by_theme),
    ]:
        with page.expect_download() as download:
            page.get_by_role("link", name=f"Download version 1 of {title} (PDF)").click()
        with open(download.value.path(), "rb") as handle:
            reader = PdfReader(handle)
            text = normalise(" ".join(p.extract_text() for p in reader.pages))
        position = 0
        for part in parts:
            found = text.find(part[:60], position)
            assert found >= 0, f"{part!r} missing or out of order in {title}"
            position = found
