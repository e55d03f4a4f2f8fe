"""lib.docx: a content partial's HTML as a Word document, read back with python-docx."""

import io

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.shared import Pt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.docx import html_to_docx
from lib.richtext import render

BRIEFING = f"""
<div class="briefing-content">
<span class="govuk-caption-l">Learning summary, Northtown, April to June 2026</span>
<h1 class="govuk-heading-l">Neglect in the early years</h1>
<p class="govuk-body">An introduction with <strong>key phrase</strong> and <em>emphasis</em>.<br>A second line.</p>
<script>alert("script text")</script><style>.x {{ color: red }}</style>
<h2 class="govuk-heading-m">Findings</h2>
<h3 class="govuk-heading-s">Case 1</h3>
{render("Agencies shared **concerns** early. Read [the procedures](https://www.example.org/procedures).")}
{render("- First bullet\n  - Nested *bullet*\n- Second bullet")}
<h4>Questions</h4>
{render("1. First question\n2. Second question\n   1. Part of it")}
<div class="govuk-inset-text briefing-callout">{render("Call the front door on 020 8356 4458")}</div>
<ol class="govuk-list govuk-list--number"><li>Again from one</li></ol>
<p>A <a href="javascript:alert(1)">bad link</a> and <a href="mailto:team@example.org">mail</a>.</p>
</div>
"""


def read(data):
    return docx.Document(io.BytesIO(data))


@pytest.fixture
def document():
    return read(html_to_docx(BRIEFING, title="Neglect in the early years"))


def paragraphs(document):
    return [(p.style.name, p.text) for p in document.paragraphs]


def test_returns_docx_bytes_with_the_title():
    data = html_to_docx("<p>Hello</p>", title="A briefing")
    assert data[:2] == b"PK"
    document = read(data)
    assert document.core_properties.title == "A briefing"
    assert paragraphs(document) == [("Normal", "Hello")]


def test_headings_become_word_headings(document):
    headings = [(style, text) for style, text in paragraphs(document) if style.startswith("Heading")]
    assert headings == [
        ("Heading 1", "Neglect in the early years"),
        ("Heading 2", "Findings"),
        ("Heading 3", "Case 1"),
        ("Heading 4", "Questions"),
    ]


def test_list_items_get_list_styles_two_levels_deep(document):
    items = [(style, text) for style, text in paragraphs(document) if style.startswith("List")]
    assert items == [
        ("List Bullet", "First bullet"),
        ("List Bullet 2", "Nested bullet"),
        ("List Bullet", "Second bullet"),
        ("List Number", "First question"),
        ("List Number", "Second question"),
        ("List Number 2", "Part of it"),
        ("List Number", "Again from one"),
    ]


def num_id(paragraph):
    return paragraph._p.pPr.numPr.numId.val


def test_each_numbered_list_counts_from_its_own_start(document):
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert num_id(numbered[0]) == num_id(numbered[1])
    assert num_id(numbered[2]) != num_id(numbered[0])
    numbering = document.part.numbering_part.numbering_definitions._numbering
    for paragraph in (numbered[0], numbered[2]):
        num = numbering.num_having_numId(num_id(paragraph))
        assert num.xpath("./w:lvlOverride/w:startOverride/@w:val") == ["1"]


def test_links_are_word_hyperlinks_with_their_addresses(document):
    links = [(link.text, link.address) for p in document.paragraphs for link in p.hyperlinks]
    assert links == [
        ("the procedures", "https://www.example.org/procedures"),
        ("020 8356 4458", "tel:02083564458"),
        ("mail", "mailto:team@example.org"),
    ]
    targets = {r.target_ref for r in document.part.rels.values() if r.reltype == RELATIONSHIP_TYPE.HYPERLINK}
    assert targets == {"https://www.example.org/procedures", "tel:02083564458", "mailto:team@example.org"}
    finding = next(p for p in document.paragraphs if p.text.startswith("Agencies"))
    run = finding.hyperlinks[0].runs[0]
    assert run.font.underline is True and run.font.color.rgb is not None


def test_a_javascript_link_is_only_text(document):
    paragraph = next(p for p in document.paragraphs if "bad link" in p.text)
    assert paragraph.text == "A bad link and mail."
    assert [link.address for link in paragraph.hyperlinks] == ["mailto:team@example.org"]
    assert "javascript" not in document.element.xml
    assert not [r for r in document.part.rels.values() if r.is_external and "javascript" in r.target_ref]


def test_bold_and_italic_runs(document):
    intro = document.paragraphs[2]
    assert [(r.text, r.bold, r.italic) for r in intro.runs if r.bold or r.italic] == [
        ("key phrase", True, None),
        ("emphasis", None, True),
    ]
    assert intro.text == "An introduction with key phrase and emphasis.\nA second line."
    finding = next(p for p in document.paragraphs if p.text.startswith("Agencies"))
    assert [r.text for r in finding.runs if r.bold] == ["concerns"]


def test_caption_is_a_small_grey_paragraph(document):
    caption = document.paragraphs[0]
    assert caption.text == "Learning summary, Northtown, April to June 2026"
    assert caption.runs[0].font.size == Pt(10)
    assert caption.runs[0].font.color.rgb is not None


def test_callout_is_an_indented_bold_paragraph(document):
    callout = next(p for p in document.paragraphs if p.text.startswith("Call the front door"))
    assert callout.paragraph_format.left_indent is not None
    assert all(run.bold for run in callout.runs)
    assert all(run.bold for link in callout.hyperlinks for run in link.runs)


def test_script_and_style_content_never_reach_the_document(document):
    text = "\n".join(p.text for p in document.paragraphs)
    assert "script text" not in text and "alert" not in text and "color: red" not in text


def test_nothing_from_user_script_survives_richtext_into_the_document():
    html = render('<script>alert("x")</script> [click](javascript:alert(1)) **ok**')
    document = read(html_to_docx(html, title="T"))
    assert document.paragraphs[0].text == '<script>alert("x")</script> [click](javascript:alert(1)) ok'
    assert [link for p in document.paragraphs for link in p.hyperlinks] == []


def test_header_footer_and_watermark():
    document = read(
        html_to_docx(
            "<p>Body</p>", title="T", header_text="OFFICIAL", footer_text="Northtown partnership", watermark="DRAFT"
        )
    )
    section = document.sections[0]
    assert [p.text for p in section.header.paragraphs] == ["OFFICIAL", "DRAFT"]
    assert [p.text for p in section.footer.paragraphs] == ["Northtown partnership"]


def test_no_header_text_when_none_given():
    document = read(html_to_docx("<p>Body</p>", title="T"))
    assert [p.text for p in document.sections[0].header.paragraphs] == [""]


def test_deeper_lists_use_the_second_level_and_loose_items_continue():
    html = "<ul><li><p>one</p><p>more about one</p><ul><li>two<ul><li>three</li></ul></li></ul></li></ul>"
    assert paragraphs(read(html_to_docx(html, title="T"))) == [
        ("List Bullet", "one"),
        ("List Continue", "more about one"),
        ("List Bullet 2", "two"),
        ("List Bullet 2", "three"),
    ]


def test_whitespace_is_collapsed_and_loose_text_kept():
    html = "<div>  Loose   text\n here <span>and <b>bold</b></span> </div><div></div><p>  </p>"
    assert paragraphs(read(html_to_docx(html, title="T"))) == [("Normal", "Loose text here and bold")]


def test_empty_html_gives_an_empty_document():
    assert paragraphs(read(html_to_docx("", title="T"))) == []


def test_many_numbered_lists_each_restart_and_start_is_kept():
    html = "".join(f"<ol><li>a{n}</li><li>b{n}</li></ol><p>between</p>" for n in range(30)) + (
        '<ol start="4"><li>fourth</li></ol>'
    )
    document = read(html_to_docx(html, title="T"))
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    ids = [num_id(p) for p in numbered]
    assert len(set(ids)) == 31 and all(ids[i] == ids[i + 1] for i in range(0, 60, 2))
    numbering = document.part.numbering_part.numbering_definitions._numbering
    assert numbering.num_having_numId(ids[-1]).xpath("./w:lvlOverride/w:startOverride/@w:val") == ["4"]


def test_a_list_item_with_a_label_and_a_rendered_paragraph_is_one_item():
    html = f"<ul><li><strong>(Case 1)</strong> {render('A **short** summary.')}</li></ul>"
    document = read(html_to_docx(html, title="T"))
    assert paragraphs(document) == [("List Bullet", "(Case 1) A short summary.")]
    assert [r.text for r in document.paragraphs[0].runs if r.bold] == ["(Case 1)", "short"]


def test_characters_xml_cannot_hold_are_dropped():
    document = read(html_to_docx("<p>a\x00b\x0bc\ud800d</p>", title="T\x01", header_text="O\x02", footer_text="F\x1f"))
    assert paragraphs(document) == [("Normal", "abcd")]
    assert document.core_properties.title == "T"


HTMLISH = st.lists(
    st.sampled_from(
        [
            *"ab <>/\"'=&;\n\x00\x0b\u202e",
            "<p>",
            "</p>",
            "<ul>",
            "<ol>",
            "<li>",
            "</li>",
            "</ul>",
            "<br>",
            "<a href=",
            "https://x.org",
            "javascript:",
            "<strong>",
            "</em>",
            "<script>",
            "<h2>",
            "<div class=govuk-inset-text>",
            "<span class=govuk-caption-l>",
            "<table><tr><td>",
            "<!--",
            "-->",
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(HTMLISH, st.text(max_size=100), st.text(max_size=60).map(render)))
def test_fuzz_any_html_makes_a_document_without_script_links(html):
    document = read(html_to_docx(html, title="T"))
    for paragraph in document.paragraphs:
        for link in paragraph.hyperlinks:
            assert link.address.split(":", 1)[0].lower() in {"http", "https", "mailto", "tel"}
