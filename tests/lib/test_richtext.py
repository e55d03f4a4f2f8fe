"""lib.richtext: the Markdown subset authors type, rendered and sanitised in one place."""

from html.parser import HTMLParser

import pytest
from django.template import engines
from django.utils.safestring import SafeString
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib import richtext
from lib.richtext import HINT, link_urls, render, render_inline

ALLOWED = {
    "p": {"class"},
    "br": set(),
    "strong": set(),
    "em": set(),
    "ul": {"class"},
    "ol": {"class", "start"},
    "li": set(),
    "a": {"href", "title", "class", "rel"},
}


class _Elements(HTMLParser):
    """Every start tag of some HTML, with its attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html):
    parser = _Elements()
    parser.feed(str(html))
    parser.close()
    return parser.elements


def tags(html):
    return [tag for tag, _ in elements(html)]


def hrefs(html):
    return [attrs["href"] for tag, attrs in elements(html) if tag == "a"]


def test_render_returns_safe_html_and_nothing_for_empty_text():
    assert isinstance(render("Some text"), SafeString)
    assert render("") == ""
    assert render(None) == ""
    assert render("  \n ") == ""


def test_plain_text_becomes_paragraphs_with_line_breaks():
    html = render("The meeting agreed.\nEveryone came.\n\nA second paragraph.")
    assert html == (
        '<p class="govuk-body">The meeting agreed.<br>\nEveryone came.</p>\n'
        '<p class="govuk-body">A second paragraph.</p>'
    )


def test_bold_and_italic():
    html = render("Practitioners **must record** the *voice of the child*.")
    assert "<strong>must record</strong>" in html
    assert "<em>voice of the child</em>" in html


def test_bullet_lists_two_levels_deep():
    html = render("- Was the plan clear?\n  - to the family\n  - to the school\n- Who led?")
    assert tags(html) == ["ul", "li", "ul", "li", "li", "li"]
    assert 'class="govuk-list govuk-list--bullet"' in html
    assert "<li>to the family</li>" in html


def test_numbered_lists_two_levels_deep():
    html = render("1. First question\n2. Second question\n   1. a part of it")
    assert tags(html) == ["ol", "li", "li", "ol", "li"]
    assert 'class="govuk-list govuk-list--number"' in html


def test_a_third_level_joins_the_second():
    html = render("- one\n  - two\n    - three\n      - four\n  - five\n- six")
    assert tags(html) == ["ul", "li", "ul", "li", "li", "li", "li", "li"]
    second = html.split("<ul", 2)[2]
    for text in ("two", "three", "four", "five"):
        assert f"<li>{text}</li>" in second
    assert html.count("<ul") == 2 and html.count("</ul>") == 2
    assert html.count("<li>") == html.count("</li>") == 6


def test_a_third_level_with_more_text_after_it_keeps_the_text():
    html = render("- one\n  - two\n    - three\n\n    more about two\n- six")
    assert "more about two" in html
    assert html.count("<li>") == html.count("</li>")


def test_inline_link():
    html = render("Read [the procedures](https://www.example.org/procedures) first.")
    assert elements(html)[1] == (
        "a",
        {"href": "https://www.example.org/procedures", "class": "govuk-link", "rel": "noreferrer noopener"},
    )
    assert ">the procedures</a> first." in html


def test_bare_web_and_email_addresses_become_links():
    html = render("See www.example.org or https://example.org/a?b=1, or write to duty.team@example.org.")
    assert hrefs(html) == ["http://www.example.org", "https://example.org/a?b=1", "mailto:duty.team@example.org"]
    assert ">duty.team@example.org</a>." in html


@pytest.mark.parametrize(
    ("typed", "href"),
    [
        ("020 8356 4458", "tel:02083564458"),
        ("0113 222 3333", "tel:01132223333"),
        ("07700 900123", "tel:07700900123"),
        ("+44 20 7946 0000", "tel:+442079460000"),
        ("+44 (0)20 7946 0000", "tel:+442079460000"),
        ("(020) 7946 0000", "tel:02079460000"),
        ("01632 960123", "tel:01632960123"),
        ("0808-800-5000", "tel:08088005000"),
        ("02079460000", "tel:02079460000"),
    ],
)
def test_uk_phone_numbers_become_tel_links(typed, href):
    html = render(f"Call the front door on {typed}, any time.")
    assert hrefs(html) == [href]
    assert f">{typed}</a>, any time." in html


@pytest.mark.parametrize(
    "text",
    [
        "Seen on 12 05 2024 by 3 agencies.",
        "Reference 123456789012.",
        "Dial 0000 000 0000.",
        "Short 020 8356.",
        "Too long 020835644581234.",
        "Ref-02083564458.",
    ],
)
def test_numbers_that_are_not_phone_numbers_stay_text(text):
    assert "tel:" not in render(text)


def test_phone_numbers_inside_a_link_are_not_linked_again():
    html = render("[Call 020 8356 4458](https://www.example.org/contact) or https://example.org/02083564458")
    assert hrefs(html) == ["https://www.example.org/contact", "https://example.org/02083564458"]


def test_script_never_survives():
    html = render('<script>alert("x")</script> and <b onclick="x()">bold</b>')
    assert "<script" not in html and "<b" not in html
    assert "&lt;script&gt;" in html  # shown as typed
    assert tags(html) == ["p"]


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert(1))",
        "[click](JAVASCRIPT:alert(1))",
        "[click](java\tscript:alert(1))",
        "[click](&#106;avascript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "[click](vbscript:msgbox)",
        "[click](file:///etc/passwd)",
        "[click](ftp://example.org)",
        "[click](/relative/path)",
        "<javascript:alert(1)>",
        '<a href="javascript:alert(1)">click</a>',
        "javascript:alert(1)",
    ],
)
def test_links_other_than_web_mail_and_phone_are_never_made(source):
    html = render(source)
    assert "<a" not in html
    assert link_urls(source) == []


def test_image_with_onerror_is_text():
    source = '<img src=x onerror="alert(1)">'
    html = render(source)
    assert tags(html) == ["p"]
    assert "&lt;img" in html
    assert link_urls(source) == []


def test_markdown_images_are_at_most_links():
    html = render("![a diagram](https://example.org/x.png)")
    assert tags(html) == ["p", "a"]
    assert hrefs(html) == ["https://example.org/x.png"]


def test_raw_html_is_shown_as_typed():
    html = render('<p style="color:red">Hi</p> <iframe src="https://example.org"></iframe>')
    assert tags(html) == ["p", "a"]  # the address in it is a link, the iframe text
    assert "&lt;iframe" in html and "&lt;p style" in html


@pytest.mark.parametrize(
    "source",
    [
        "# Not a heading",
        "## Not a heading either",
        "Not a heading\n===",
        "> not a quotation",
        "    not code",
        "```\nnot code\n```",
        "---",
        "| a | b |\n| - | - |\n| 1 | 2 |",
        "`not code`",
    ],
)
def test_other_markdown_stays_text(source):
    html = render(source)
    assert set(tags(html)) <= {"p", "br"}


def test_typed_hash_and_angle_bracket_are_kept():
    html = render("# 1 priority\n> see above")
    assert "# 1 priority" in html and "&gt; see above" in html


def test_link_urls_lists_every_link_in_order_decoded():
    source = (
        "[Guide](https://www.example.org/guide?name=Chlo%C3%A9&dob=2019-01-01) then www.example.org,\n"
        "- write to team@example.org\n  - or call 020 8356 4458"
    )
    assert link_urls(source) == [
        "https://www.example.org/guide?name=Chloé&dob=2019-01-01",
        "http://www.example.org",
        "mailto:team@example.org",
        "tel:02083564458",
    ]
    assert link_urls("") == [] and link_urls(None) == []


def test_hint_is_plain_text_describing_the_syntax():
    assert "<" not in HINT
    for part in ("**bold**", "*italic*", "- ", "1.", "[", "](https://"):
        assert part in HINT


def test_the_richtext_filter_is_a_builtin():
    template = engines["django"].from_string("{{ text|richtext }}|{{ missing|richtext }}|{{ empty|richtext }}")
    html = template.render({"text": "**Bold** <script>x</script>", "empty": ""})
    assert html == '<p class="govuk-body"><strong>Bold</strong> &lt;script&gt;x&lt;/script&gt;</p>||'


PIECES = [
    *"ab 1.-*_[]()<>\"'`#>!&;:/\\\n\t=+@%0\x00é\u202e",
    "javascript:",
    "data:",
    "https://",
    "www.",
    "<script>",
    "<img onerror=",
    "<a href=",
    "020 8356 4458",
    "  ",
]
MARKDOWNISH = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(MARKDOWNISH, st.text(max_size=200)))
def test_fuzz_output_has_only_allowed_tags_attributes_and_links(source):
    html = render(source)
    for tag, attrs in elements(html):
        assert tag in ALLOWED
        assert set(attrs) <= ALLOWED[tag]
        if tag == "a":
            assert attrs["href"].split(":", 1)[0] in {"http", "https", "mailto", "tel"}
            assert attrs["rel"] == "noreferrer noopener"
    assert "<script" not in html.lower()
    for url in link_urls(source):
        assert url.split(":", 1)[0] in {"http", "https", "mailto", "tel"}


def test_render_inline_drops_the_paragraph_of_one_paragraph_text():
    html = render_inline("A **short** summary\nover two lines")
    assert html == "A <strong>short</strong> summary<br>\nover two lines"
    assert render_inline("One.\n\nTwo.") == render("One.\n\nTwo.")
    assert render_inline("- a list") == render("- a list")
    assert render_inline("") == "" and render_inline(None) == ""
    assert isinstance(render_inline("x"), SafeString)


def test_the_richtext_inline_filter_is_a_builtin():
    template = engines["django"].from_string("<li>{{ text|richtext_inline }}</li>")
    assert template.render({"text": "*Case* <b>"}) == "<li><em>Case</em> &lt;b&gt;</li>"


def test_a_text_is_parsed_and_sanitised_once_per_process(monkeypatch):
    calls = []
    parse = richtext._md.render
    monkeypatch.setattr(richtext._md, "render", lambda source: calls.append(source) or parse(source))
    text = "A text shown on many pages, **once** parsed"
    first, second = richtext.render(text), richtext.render(text)
    assert first == second == '<p class="govuk-body">A text shown on many pages, <strong>once</strong> parsed</p>'
    assert calls == [text]
    assert richtext._rendered.cache_info().maxsize == richtext.RENDERED_KEPT
