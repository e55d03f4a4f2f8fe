"""A queued chronology import's status page, without JavaScript, in each of its states: being
imported (with a link to refresh), imported (the counts), not imported (why, and where to upload
again). axe checks every page."""

from audits.models import Chronology, ChronologyImport
from tests import factories
from tests.browser.test_returns_flow import build


def test_the_status_page_of_a_queued_import_in_each_state(visitor_without_js):
    visitor = visitor_without_js
    coordinator = factories.UserFactory(email="coordinator@example.test", role="Coordinator")
    _, case, lead, _, agency_a = build(coordinator)
    chronology = Chronology.objects.get(case=case, agency=agency_a)
    waiting = ChronologyImport.objects.create(chronology=chronology, requested_by=lead, row_count=2400)
    done = ChronologyImport.objects.create(
        chronology=chronology,
        requested_by=lead,
        row_count=2400,
        state=ChronologyImport.State.DONE,
        added=2399,
        skipped=1,
    )
    failed = ChronologyImport.objects.create(
        chronology=chronology,
        requested_by=lead,
        row_count=2400,
        state=ChronologyImport.State.FAILED,
        message="Someone changed this chronology's entries since you looked at the preview.",
    )
    visitor.sign_in(lead.email)
    page = visitor.page

    visitor.goto(waiting.get_absolute_url())
    status = page.get_by_test_id("import-status").inner_text()
    assert "Being imported" in status
    page.get_by_role("link", name="Refresh this page").click()
    assert page.url.endswith(waiting.get_absolute_url())

    visitor.goto(done.get_absolute_url())
    assert "2399 entries imported." in page.get_by_test_id("import-status").inner_text()

    visitor.goto(failed.get_absolute_url())
    status = page.get_by_test_id("import-status").inner_text()
    assert "Nothing was imported" in status and "Someone changed" in status
    page.get_by_role("link", name="Upload the file again").click()
    visitor.check()
    assert "Import" in page.locator("h1").inner_text()
