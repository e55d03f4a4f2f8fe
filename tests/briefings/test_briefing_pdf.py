"""The briefing PDF: tagged (PDF/UA-1), titled, in English, A4, with the partnership's header, and
its text in the same order as the preview page."""

import io
import re

import pytest
from django.conf import settings
from pypdf import PdfReader

from briefings import services
from briefings.models import Briefing
from tests.briefings.test_formats import BY_CASE_ORDER, BY_THEME_ORDER, SIX_STEP_ORDER

ORDERS = {"six_step": SIX_STEP_ORDER, "by_theme": BY_THEME_ORDER, "by_case": BY_CASE_ORDER}


def _text_pieces(order):
    """The plain-text pieces of an expected order (markup left out)."""
    return [re.sub(r"[()]", "", piece) for piece in order if "<" not in piece and "=" not in piece]


@pytest.mark.parametrize("briefing_format", [f.value for f in Briefing.Format])
def test_pdf_is_tagged_and_follows_the_preview_order(client, coordinator, make_briefing, briefing_format):
    briefing = make_briefing(briefing_format)
    content = services.briefing_pdf(briefing)
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
    reader = PdfReader(io.BytesIO(services.briefing_pdf(make_briefing())))

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
