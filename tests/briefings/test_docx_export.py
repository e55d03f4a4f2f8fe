"""The briefing as a Word document: the same content as the PDF, with real headings, list items
and hyperlinks, marked DRAFT until published, and logged like every export."""

import io

import docx
import pytest
from django.urls import reverse

from agencies.models import AccessEvent
from audits.models import LearningPoint
from briefings import rendering
from tests.briefings.test_briefing_pdf import RICH


def _document(content: bytes):
    return docx.Document(io.BytesIO(content))


def _hyperlinks(document) -> list[str]:
    return [rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")]


def test_headings_lists_and_links_survive_and_scripts_never_do(make_briefing):
    point = LearningPoint.objects.get(heading="Strength A one")
    point.text = RICH
    point.save()
    document = _document(rendering.briefing_docx(make_briefing()))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    headings = [text for style, text in paragraphs if style.startswith("Heading")]
    assert headings[:3] == ["Neglect audit briefing", "1. Theme and cases", "2. Process"]
    assert "6. Good practice" in headings and "Case 1" in headings
    bullets = {text for style, text in paragraphs if style.startswith("List Bullet")}
    assert any(text.startswith("Ask who lives in the home") for text in bullets)
    assert any(style == "List Bullet 2" and text == "and who visits" for style, text in paragraphs)
    bold = [run.text for p in document.paragraphs for run in p.runs if run.bold]
    assert "noticed first" in bold
    links = _hyperlinks(document)
    assert "https://example.test/escalation" in links and "tel:02079460000" in links
    assert not any("javascript" in link.lower() for link in links)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "alert(1)" not in links and "<script>" not in "".join(links)
    assert "Strength A one" in text
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    assert "DRAFT" in header and "OFFICIAL-SENSITIVE" in header


@pytest.mark.parametrize("marking", ["none", "official"])
def test_the_marking_heads_the_document(make_briefing, marking):
    briefing = make_briefing()
    briefing.marking = marking
    briefing.save()
    header = "\n".join(p.text for p in _document(rendering.briefing_docx(briefing)).sections[0].header.paragraphs)
    assert ("OFFICIAL" in header) == (marking == "official")


def test_the_download_is_logged(client, coordinator, make_briefing):
    briefing = make_briefing()
    client.force_login(coordinator)
    response = client.get(reverse("briefings:briefing-docx", args=[briefing.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == rendering.DOCX_TYPE
    assert response["Content-Disposition"].startswith("attachment")
    assert AccessEvent.objects.filter(what=f"Briefing DOCX, briefing {briefing.pk}").count() == 1
    _document(b"".join(response.streaming_content) if response.streaming else response.content)
