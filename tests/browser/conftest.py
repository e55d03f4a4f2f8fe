"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every page visited is checked with axe-core (WCAG 2.2 A and AA rules) and saved as a screenshot
under test-artifacts/screenshots/ for people to look at. With BROWSER_SCREENSHOTS=failures (as
.ci/run sets it: a full-page screenshot costs about a fifth of a second) only the pages axe fails
are kept."""

import os
import re
from pathlib import Path

# Playwright's sync API runs an event loop in this thread; the ORM calls made by test set-up are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from tests.conftest import SCREENSHOTS  # emptied once a run, before any worker starts
from tests.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EVERY_SCREENSHOT = os.environ.get("BROWSER_SCREENSHOTS", "every") != "failures"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items):
    """Browser tests are marked (``-m "not browser"`` leaves them out); tests/conftest.py orders them."""
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (see .ci/run)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


# Markup that passed axe in this run (per worker), without the values that change on every
# request: the CSP nonce and the CSRF token.
_PASSED: set = set()
_ONE_TIME_TOKENS = re.compile(r'(nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*")')


class Visitor:
    """A person at a browser: visits pages, checks each with axe and keeps a screenshot."""

    def __init__(self, page, axe, base_url, name, checker=None):
        self.page = page
        # axe needs JavaScript: for a page shown without it, axe runs on a copy of its HTML
        # (scripts removed, so it stays the page a no-JavaScript user gets) in a second page.
        self.checker = checker
        self.axe = axe
        self.base_url = base_url
        self.name = name
        self.shots = 0
        self.checked = []
        # The Content Security Policy forbids inline scripts and styles: any page breaking it fails.
        self.csp_violations = []
        page.on(
            "console",
            lambda message: (
                self.csp_violations.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )

    def goto(self, path):
        response = self.page.goto(self.base_url + path)
        self.check()
        return response

    def check(self):
        """Run axe on the current page and save a screenshot; fail on any violation. A page whose
        markup this run has already checked (the same HTML, but for its one-time tokens) has
        already passed, and its screenshot is already saved: it is not checked again."""
        self.page.wait_for_load_state("load")
        self.checked.append(self.page.url)
        markup = self.page.content()
        key = (self.checker is None, self.page.viewport_size["width"], _ONE_TIME_TOKENS.sub("", markup))
        if key in _PASSED:
            self._assert_no_csp_violations()
            return
        target = self.page
        if self.checker is not None:
            html = re.sub(r"<script\b[^>]*>.*?</script>", "", markup, flags=re.S | re.I)
            html = html.replace("<head>", f'<head><base href="{self.page.url}">', 1)
            self.checker.set_content(html, wait_until="load")
            target = self.checker
        # Only violations are gathered in full (passes and the rest are not needed): a third faster.
        results = self.axe.run(
            target, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        )
        self.shots += 1
        if EVERY_SCREENSHOT or results.violations_count:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            slug = re.sub(r"[^a-z0-9]+", "-", self.page.url.split("//", 1)[-1].split("/", 1)[-1].lower()).strip("-")
            self.page.screenshot(path=SCREENSHOTS / f"{self.name}-{self.shots:02}-{slug or 'home'}.png", full_page=True)
        assert results.violations_count == 0, f"axe violations on {self.page.url}:\n{results.generate_report()}"
        self._assert_no_csp_violations()
        _PASSED.add(key)

    def _assert_no_csp_violations(self):
        assert not self.csp_violations, f"Content Security Policy violations on {self.page.url}: {self.csp_violations}"

    def sign_in(self, email):
        self.sign_in_with(email, PASSWORD)

    def sign_in_with(self, email, password):
        self.goto("/sign-in/")
        self.page.get_by_label("E-mail address").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.click("button", name="Sign in")

    def click(self, *args, **kwargs):
        """Click a link or button that loads a page, and wait for that page: without the wait,
        checks could run on the page before, and the database before the request was served."""
        with self.page.expect_navigation(wait_until="load"):
            self.page.get_by_role(*args, **kwargs).click()
        self.check()


def _visitor(browser, axe, live_server, request, javascript):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    checker_context = None if javascript else browser.new_context(viewport={"width": 1280, "height": 900})
    checker = checker_context.new_page() if checker_context else None
    visitor = Visitor(page, axe, live_server.url, request.node.name + ("" if javascript else "-nojs"), checker)
    yield visitor
    context.close()
    if checker_context:
        checker_context.close()


@pytest.fixture
def visitor(browser, axe, live_server, transactional_db, request, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield from _visitor(browser, axe, live_server, request, javascript=True)


@pytest.fixture
def visitor_without_js(browser, axe, live_server, transactional_db, request, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield from _visitor(browser, axe, live_server, request, javascript=False)
