"""The PDF module: HTML rendering, an accessible A4 PDF, and a URL fetcher limited to our static files."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from audits.models import Chronology, ChronologyEntry
from lib.pdf import StaticFilesFetcher, render_html, render_pdf, static_base_url, static_file_for_url

STATIC = Path(settings.STATICFILES_DIRS[0]).resolve()


def _entries():
    agency = type("Agency", (), {"name": "Agency Z Health"})
    chronology = Chronology(agency_id=1)
    chronology.__dict__["_state"].fields_cache["agency"] = agency
    days = [datetime.date(2026, 5, 2), datetime.date(2025, 12, 24), datetime.date(2026, 1, 9)]
    entries = [
        ChronologyEntry(
            chronology=chronology, date=day, event_type="contact", what_happened=f"Happened on {day:%d %B %Y}"
        )
        for day in sorted(days)
    ]
    return entries


def _context():
    return {
        "case": "Case 3",
        "round": {"title": "Test round", "period_label": "2026/27 round 1"},
        "entries": _entries(),
        "included": [],
        "not_included": [],
        "produced_on": datetime.date(2026, 11, 23),
    }


def test_render_html_is_a_print_page_with_the_partnership_header():
    html = render_html("print/integrated_chronology.html", {**_context(), "title": "Integrated chronology: Case 3"})
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in html
    assert "<title>Integrated chronology: Case 3</title>" in html
    assert settings.PARTNERSHIP_NAME in html and settings.PARTNERSHIP_BRAND_COLOUR in html
    assert 'counter(page) " of " counter(pages)' in html
    assert "govuk-header" not in html and "app.js" not in html  # not the web base


def test_render_pdf_is_a_tagged_a4_pdf_listing_entries_in_date_order():
    content = render_pdf("print/integrated_chronology.html", _context(), title="Integrated chronology: Case 3")
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    assert reader.metadata.title == "Integrated chronology: Case 3"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
    text = "\n".join(page.extract_text() for page in reader.pages)
    order = ["Happened on 24 December 2025", "Happened on 09 January 2026", "Happened on 02 May 2026"]
    assert [text.index(t) for t in order] == sorted(text.index(t) for t in order)
    pieces = []
    reader.pages[0].extract_text(visitor_text=lambda t, *args: pieces.append(t))
    assert settings.PARTNERSHIP_NAME in pieces and "Page 1 of 1" in pieces


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/logo.png",
        "http://127.0.0.1:8000/static/govuk/application.css",
        "ftp://example.com/file",
        "data:text/plain,hello",
        "file:///etc/passwd",
        "file://remote-host" + str(STATIC / "govuk" / "VERSION"),
        "file:///static/../../etc/passwd",
        "file:///static/%2e%2e/%2e%2e/etc/passwd",
        (STATIC / "govuk" / ".." / ".." / "manage.py").as_uri(),
        "file:///static/does-not-exist.css",
    ],
)
def test_fetcher_refuses_everything_but_our_static_files(url):
    assert static_file_for_url(url) is None
    with pytest.raises(ValueError, match="only the service's own static files"):
        StaticFilesFetcher().fetch(url)


def test_fetcher_serves_static_files_by_path_or_relative_url():
    fetched = StaticFilesFetcher().fetch("file:///static/govuk/VERSION")
    assert fetched.read() == (STATIC / "govuk" / "VERSION").read_bytes()
    fetched.close()
    relative = static_base_url() + "images/favicon.svg"
    assert static_file_for_url(relative) == STATIC / "images" / "favicon.svg"
    assert StaticFilesFetcher().fetch(relative).content_type == "image/svg+xml"


def test_an_external_image_in_a_document_is_never_fetched(monkeypatch, tmp_path, settings):
    """A template that names an outside URL still renders; the URL is refused, not opened."""
    opened = []
    monkeypatch.setattr("urllib.request.OpenerDirector.open", lambda *args, **kwargs: opened.append(args))
    (tmp_path / "print").mkdir()
    (tmp_path / "print" / "external.html").write_text(
        '{% extends "print/base.html" %}{% block content %}<h1>{{ title }}</h1>'
        '<img src="https://example.com/tracker.png" alt="">'
        '<img src="/static/images/favicon.svg" alt="Logo">{% endblock %}'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    content = render_pdf("print/external.html", {}, title="External")
    assert content.startswith(b"%PDF-")
    assert opened == []
