"""Every page a signed-in coordinator, agency lead, auditor and administrator can open fits the
screen, at 375 px (a phone) and 1280 px (a desktop): no sideways scroll of the document (a wide
table scrolls inside its own region), the navigation on one line at 1280 px, and axe finds nothing.

The pages are the access matrix's (tests/test_access_complete.py knows every URL pattern of the
project and how to build its arguments, and fails on one no MATRIX names): every GET that the
matrix expects to answer 200 to the role, each area's pages in that area's own world (one test
per area). A new page is walked as soon as it has its MATRIX row. Downloads (anything but HTML)
are left out. Each page is loaded once and looked at in turn at each width; axe is put in every
page by the browser context and runs once per distinct markup and width; a screenshot is kept only
of a page that fails."""

import re

import pytest
from _pytest.fixtures import FixtureFunctionDefinition
from axe_playwright_python.base import AxeResults
from django.conf import settings
from django.test import Client

from tests import access
from tests import test_access_complete as complete
from tests.browser.conftest import WCAG_TAGS
from tests.conftest import SCREENSHOTS

# The areas' fixtures, as the complete matrix imports them (so an area added there is built here).
globals().update(
    {
        name: value
        for name, value in vars(complete).items()
        if isinstance(value, FixtureFunctionDefinition) and name != "world"
    }
)

ROLES = ["coordinator", "lead_a", "auditor_a", "administrator"]
WIDTHS = [375, 1280]

# What is wider than the viewport (the innermost elements that stick out, each with its right
# edge), the header's and footer's width, and the navigation items' distinct tops.
MEASURE = r"""() => {
  const width = window.innerWidth;
  const out = e => e.getBoundingClientRect().right > width + 1;
  const all = [...document.querySelectorAll('body *')].filter(out);
  // The innermost elements that stick out (else, say for a form control, all that do).
  const innermost = all.filter(e => ![...e.children].some(out));
  // Nothing sticks out itself (the overflow is a pseudo-element's or a control's inside): the
  // elements whose content overflows them.
  const overflows = e => e.scrollWidth > e.clientWidth + 1;
  const overflowing = [...document.querySelectorAll('body *')].filter(
    e => overflows(e) && ![...e.querySelectorAll('*')].some(overflows));
  const wide = (innermost.length ? innermost : all.length ? all : overflowing).slice(-8).map(e => {
    const id = e.id ? '#' + e.id : '';
    const cls = typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '';
    const text = (e.textContent || '').trim().slice(0, 40);
    return `${e.tagName.toLowerCase()}${id}${cls} (right ${Math.round(e.getBoundingClientRect().right)}) "${text}"`;
  });
  const spans = sel => {
    const e = document.querySelector(sel);
    return e ? Math.round(e.getBoundingClientRect().width) : null;
  };
  return {
    scrollWidth: document.documentElement.scrollWidth,
    width,
    wide,
    header: spans('header.app-header'),
    footer: spans('footer.govuk-footer'),
    navTops: [...new Set([...document.querySelectorAll('.govuk-service-navigation__item')].map(e => e.offsetTop))],
    nav: [...document.querySelectorAll('.govuk-service-navigation__item')].map(
      e => `${e.textContent.trim().replace(/\s+/g, ' ')} ${Math.round(e.getBoundingClientRect().width)} px`),
  };
}"""

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
_ONE_TIME_TOKENS = re.compile(r'(nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*")')


def _world(request):
    """What the matrix's own URLs (no area's) build their arguments from."""
    return {"case": request.getfixturevalue("open_case"), "coordinator": request.getfixturevalue("coordinator")}


# The areas: each area module's pages in its own world (the worlds of two areas may not mix: one
# builder counts a case's agencies, another adds one), and the matrix's own pages (module None).
AREAS = [*complete.AREA_MODULES, None]


def _pages(request, area, role):
    """(url key, path) of every GET page of ``area`` the matrix says ``role`` may open (200)."""
    pages = []
    for key in complete.URL_KEYS:
        if key not in complete.COVERED:
            continue
        module_name, (method, kwargs, expected, _allowed) = complete.COVERED[key]
        if module_name != area or method != "get" or expected.get(role) != access.OK:
            continue
        if module_name is None:
            path = access.url_of(key, kwargs(_world(request)))
        else:
            path = access.url_of(key, kwargs(*complete.AREA_MODULES[module_name].AREA.args(request)))
        pages.append((key, path))
    return pages


def _html_pages(user, pages):
    """The pages that answer the user with an HTML page: a download is not a page, and a page
    that does not answer 200 in this world is the access matrix's business (its tests say)."""
    client = Client()
    client.force_login(user)
    html = []
    for key, path in pages:
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            html.append((key, path))
    return client, html


def _walk(browser, axe, base_url, client, pages, checked):
    """Visit each page, looked at in turn at each width (the window resized, as someone turning a
    tablet would): the problems found (too wide, navigation wrapped, axe, CSP)."""
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])
    # axe-core is put in every page the context opens (rather than sent again for every check).
    context.add_init_script(script=axe.axe_script)
    page = context.new_page()
    page.set_default_timeout(15_000)
    csp = []
    page.on("console", lambda message: csp.append(message.text) if "Content Security Policy" in message.text else None)
    problems = []
    try:
        for key, path in pages:
            response = page.goto(base_url + path, wait_until="load")
            if response is None or response.status != 200:
                problems.append(f"{key} ({path}): answered {response and response.status}")
                continue
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                problems += _check(page, axe, f"{key} ({path}) at {width} px", width, checked)
            if csp:
                problems.append(f"{key} ({path}): Content Security Policy violations: {csp[:]}")
                csp.clear()
    finally:
        context.close()
    return problems


def _check(page, axe, where, width, checked):
    problems = []
    found = page.evaluate(MEASURE)
    if found["scrollWidth"] > found["width"]:
        problems.append(f"{where}: {found['scrollWidth']} px wide; sticking out: {found['wide']}")
    for part in ("header", "footer"):
        if found[part] is not None and found[part] < found["width"]:
            problems.append(f"{where}: the {part} is {found[part]} px wide, not the page's {found['width']}")
    if width >= 1280 and len(found["navTops"]) > 1:
        problems.append(f"{where}: the navigation wraps onto {len(found['navTops'])} lines: {found['nav']}")
    # Markup already checked by axe at this width (the same HTML but for one-time tokens) passed.
    markup = (width, _ONE_TIME_TOKENS.sub("", page.content()))
    if markup not in checked:
        results = AxeResults(page.evaluate("options => axe.run(document, options)", AXE_OPTIONS))
        if results.violations_count:
            problems.append(f"{where}: axe violations:\n{results.generate_report()}")
        else:
            checked.add(markup)
    if problems:  # a screenshot of what failed only (tests/conftest.py empties the folder a run)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", where.lower()).strip("-")[:100]
        page.screenshot(path=SCREENSHOTS / f"widths-{slug}.png", full_page=True)
    return problems


@pytest.mark.parametrize("area", AREAS, ids=lambda area: (area or "tests.config").removeprefix("tests."))
def test_every_page_fits_the_screen(browser, axe, live_server, transactional_db, request, area):
    checked = set()
    problems = []
    walked = 0
    for role in ROLES:
        user = request.getfixturevalue(role)
        client, html = _html_pages(user, _pages(request, area, role))
        walked += len(html)
        problems += _walk(browser, axe, live_server.url, client, html, checked)
    if not walked:
        pytest.skip(f"{area} has downloads only, no page")
    assert not problems, f"{len(problems)} problems on {walked} pages of {area}:\n" + "\n".join(problems)
