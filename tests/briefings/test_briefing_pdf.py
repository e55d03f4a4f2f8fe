"""The briefing PDF: tagged (PDF/UA-1), titled, in English, A4, with the partnership's header, and
its text in the same order as the preview page."""

import datetime
import io
import re

import pytest
from django.conf import settings
from pypdf import PdfReader

from audits.models import LearningPoint, PracticeTheme
from briefings import rendering, services
from briefings.models import Briefing
from tests import factories
from tests.briefings.test_formats import BY_CASE_ORDER, BY_THEME_ORDER, SIX_STEP_ORDER

ORDERS = {"six_step": SIX_STEP_ORDER, "by_theme": BY_THEME_ORDER, "by_case": BY_CASE_ORDER}


def _text_pieces(order):
    """The plain-text pieces of an expected order (markup left out)."""
    return [re.sub(r"[()]", "", piece) for piece in order if "<" not in piece and "=" not in piece]


@pytest.mark.parametrize("briefing_format", [f.value for f in Briefing.Format])
def test_pdf_is_tagged_and_follows_the_preview_order(client, coordinator, make_briefing, briefing_format):
    briefing = make_briefing(briefing_format)
    content = rendering.briefing_pdf(briefing)
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == "Neglect audit briefing"
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)

    text = (
        re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages)).replace("(", "").replace(")", "")
    )
    client.force_login(coordinator)
    preview = client.get(f"/briefings/{briefing.pk}/preview/").text
    position_pdf = position_preview = 0
    for piece in _text_pieces(ORDERS[briefing_format]):
        found = text.find(piece, position_pdf)
        assert found >= 0, f"{piece!r} missing from the PDF after {position_pdf}"
        position_pdf = found + len(piece)
        found = preview.find(piece, position_preview)
        assert found >= 0, f"{piece!r} missing from the preview"
        position_preview = found + len(piece)
    pieces = []
    reader.pages[0].extract_text(visitor_text=lambda t, *args: pieces.append(t))
    assert settings.PARTNERSHIP_NAME in pieces
    assert any(re.fullmatch(r"Page 1 of \d+", piece) for piece in pieces)


def test_pdf_headings_become_bookmarks(make_briefing):
    reader = PdfReader(io.BytesIO(rendering.briefing_pdf(make_briefing())))

    def titles(outline):
        for entry in outline:
            if isinstance(entry, list):
                yield from titles(entry)
            else:
                yield entry.title

    found = list(titles(reader.outline))
    assert found[:3] == ["Neglect audit briefing", "1. Theme and cases", "2. Process"]
    assert "6. Good practice" in found


def test_print_template_shows_the_same_content_as_the_preview(client, coordinator, make_briefing):
    from briefings.selectors import briefing_content
    from lib.pdf import render_html

    briefing = make_briefing()
    html = render_html("print/briefing.html", {"content": briefing_content(briefing), "title": briefing.title})
    client.force_login(coordinator)
    preview = client.get(f"/briefings/{briefing.pk}/preview/").text

    def content_block(page):
        start = page.index('<div class="briefing-content">')
        return page[start : page.index("</div>\n", page.rindex("6. Good practice"))]

    assert content_block(html) == content_block(preview)


def _pages(content: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]


def _links(content: bytes) -> list[str]:
    links = []
    for page in PdfReader(io.BytesIO(content)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                links.append(str(action["/URI"]))
    return links


def _long_briefing(make_briefing, learning_round):
    case = learning_round.cases.first()
    for number in range(40):
        point = factories.LearningPointFactory(
            round=learning_round, case=case, kind="strength", heading=f"Extra strength {number}", text="Seen. " * 30
        )
        point.evidence_cases.set([case])
    return make_briefing()


def test_a_draft_says_draft_on_every_page_and_a_published_version_does_not(make_briefing, learning_round):
    briefing = _long_briefing(make_briefing, learning_round)
    draft = _pages(rendering.briefing_pdf(briefing))
    assert len(draft) >= 2
    assert all("DRAFT" in page for page in draft)
    published = _pages(rendering.briefing_pdf(briefing, version=3, published_on=datetime.date(2026, 11, 30)))
    assert not any("DRAFT" in page for page in published)
    assert all("Version 3, published 30 November 2026" in page for page in published)


@pytest.mark.parametrize(
    ("marking", "printed"),
    [("none", None), ("official", "OFFICIAL"), ("official_sensitive", "OFFICIAL-SENSITIVE")],
)
def test_the_protective_marking_is_the_briefings(make_briefing, learning_round, marking, printed):
    briefing = _long_briefing(make_briefing, learning_round)
    briefing.marking = marking
    briefing.save()
    pages = _pages(rendering.briefing_pdf(briefing, version=1))
    if printed is None:
        assert not any("OFFICIAL" in page for page in pages)
    else:
        assert all(page.count(printed) >= 2 for page in pages), "at the top and the foot of every page"
        if printed == "OFFICIAL":
            assert not any("OFFICIAL-SENSITIVE" in page for page in pages)


def test_the_contact_line_and_the_rounds_theme_are_printed(make_briefing, administrator):
    services.branding_set_contact(actor=administrator, contact_line="Ask the partnership team: team@example.org")
    content = rendering.briefing_pdf(make_briefing("by_theme"))
    pages = _pages(content)
    first = pages[0]
    assert first.index("Neglect audit briefing") < first.index("Neglect and the voice of the child")
    assert "Ask the partnership team" in pages[-1]
    assert "mailto:team@example.org" in _links(content)


def test_a_by_theme_briefing_prints_themes_in_the_authors_order_with_findings_and_key_messages(
    make_briefing, coordinator
):
    briefing = make_briefing("by_theme")
    voice = PracticeTheme.objects.get(name="Voice of the child")
    services.briefing_compose(
        actor=coordinator,
        briefing=briefing,
        included_ids=briefing.items.values_list("pk", flat=True),
        command=f"theme-up:{voice.pk}",
    )
    text = " ".join(_pages(rendering.briefing_pdf(briefing)))
    start = text.index("Strengths across the cases")
    assert start < text.index("Voice of the child", start) < text.index("Information sharing", start)
    assert text.index("Findings across the cases") < text.index("Finding A one")
    assert text.index("Key messages") < text.index("Key message one")


RICH = (
    "The school **noticed first** and *acted*.\n\n"
    "- Ask who lives in the home\n  - and who visits\n- Record the child's words\n\n"
    "Read the [escalation policy](https://example.test/escalation) or call 020 7946 0000.\n\n"
    "<script>alert('x')</script> [bad](javascript:alert(1)) <img src=x onerror=alert(1)>"
)


def test_rich_text_survives_into_the_pdf_and_scripts_never_do(make_briefing, client, coordinator):
    point = LearningPoint.objects.get(heading="Strength A one")
    point.text = RICH
    point.save()
    briefing = make_briefing()
    content = rendering.briefing_pdf(briefing)
    text = " ".join(_pages(content))
    assert "noticed first" in text and "Ask who lives in the home" in text and "and who visits" in text
    links = _links(content)
    assert "https://example.test/escalation" in links and "tel:02079460000" in links
    assert not any("javascript" in link.lower() for link in links)
    client.force_login(coordinator)
    preview = client.get(f"/briefings/{briefing.pk}/preview/").text
    assert "<strong>noticed first</strong>" in preview
    assert (
        "<script>alert" not in preview
        and 'href="javascript' not in preview
        and "onerror=" not in preview.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    )
