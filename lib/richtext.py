"""Rich text: the small Markdown subset authors may type in learning, summaries and call-outs.

Text is stored as typed (Markdown source) and rendered here, the one place, for the pages, the PDF
and the DOCX export:

- paragraphs, and a single line break inside one (as people type in a textarea);
- ``**bold**`` and ``*italic*``;
- bullet (``- ``) and numbered (``1. ``) lists two levels deep (a deeper level joins the second);
- inline links ``[title](https://...)``; bare web addresses, e-mail addresses and UK phone numbers
  become links too.

Everything else stays text: a typed ``#`` or ``>`` is not a heading or a quotation, HTML is shown
as typed. The HTML markdown-it-py produces then passes nh3 with an allow-list of tags, attributes
and link schemes, so nothing an author types can run or link to anything but the web, mail or a
phone.
"""

import functools
import html
import re
from urllib.parse import unquote

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

HINT = (
    "You can use **bold**, *italic*, lists with each item on its own line starting with - or 1. "
    "(indent by 2 spaces for a second level) and links like [Safeguarding partnership](https://www.example.org). "
    "Web addresses, e-mail addresses and phone numbers become links."
)

SCHEMES = frozenset({"http", "https", "mailto", "tel"})
MAX_LIST_DEPTH = 2
# How many renderings each process keeps (see _rendered).
RENDERED_KEPT = 4096

_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a"}
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
_CLASSES = {
    "a": {"class": "govuk-link"},
    "p": {"class": "govuk-body"},
    "ul": {"class": "govuk-list govuk-list--bullet"},
    "ol": {"class": "govuk-list govuk-list--number"},
}
_ONE_PARAGRAPH = re.compile(r'<p class="govuk-body">(.*)</p>', re.DOTALL)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)

# A UK number: +44 (optionally "(0)") or a leading 0, then 9 or 10 more digits, single spaces or
# hyphens between them and brackets round the area code allowed. Checked again in _phone_href.
_PHONE = re.compile(
    r"(?<![\w+/.@-])"
    r"(?:\+44[ -]?(?:\(0\)[ -]?)?|\(0?|0)"
    r"[1-9](?:\)?[ -]?\d){8,9}"
    r"(?![\w@/]|-\d)"
)


def _valid_link(url):
    """Only absolute web, mail and phone links that the sanitiser keeps (markdown-it's own check,
    narrowed), so that every link made is one the page shows and ``link_urls`` lists."""
    match = _SCHEME.match(url.strip())
    if not match or match.group(1).lower() not in SCHEMES:
        return False
    kept = nh3.clean(
        f'<a href="{html.escape(url, quote=True)}"></a>',
        tags={"a"},
        attributes={"a": {"href"}},
        url_schemes=set(SCHEMES),
        url_relative="deny",
        link_rel=None,
    )
    return "href=" in kept


def _phone_href(text):
    digits = re.sub(r"\D", "", text.replace("(0)", ""))
    if text.lstrip().startswith("+"):
        national = "0" + digits[2:]
        href = "tel:+" + digits
    else:
        national = digits if digits.startswith("0") else "0" + digits
        href = "tel:" + national
    if len(national) not in (10, 11) or national[1] not in "1235789":
        return None
    return href


def _link_phones(state):
    """Core rule: UK phone numbers in text, outside links, become ``tel:`` links."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = []
        in_link = 0
        for token in block.children:
            if token.type == "link_open":
                in_link += 1
            elif token.type == "link_close":
                in_link -= 1
            if token.type != "text" or in_link or not _PHONE.search(token.content):
                children.append(token)
                continue
            text, position = token.content, 0
            for match in _PHONE.finditer(text):
                href = _phone_href(match.group())
                if href is None:
                    continue
                if match.start() > position:
                    children.append(_text(text[position : match.start()], token.level))
                opening = Token("link_open", "a", 1, attrs={"href": href}, level=token.level)
                opening.markup, opening.info = "phone", "auto"
                children.append(opening)
                children.append(_text(match.group(), token.level + 1))
                closing = Token("link_close", "a", -1, level=token.level)
                closing.markup, closing.info = "phone", "auto"
                children.append(closing)
                position = match.end()
            if position < len(text):
                children.append(_text(text[position:], token.level))
        block.children = children


def _text(content, level):
    return Token("text", "", 0, content=content, level=level)


def _flatten_lists(state):
    """Core rule: a list deeper than two levels joins the second level.

    The item holding the too-deep list is closed where that list starts, the deep items follow as
    its siblings, and the item reopens after them only if it has more to say."""
    tokens = []
    kept = []  # per open list: True if kept, False if flattened away
    depth = 0
    reopened = []  # the list_item_open tokens added after a flattened list
    for token in state.tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            if depth >= MAX_LIST_DEPTH:
                kept.append(False)
                _close_item(tokens)
                continue
            kept.append(True)
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            if not kept.pop():
                item = Token("list_item_open", "li", 1, level=token.level, block=True)
                reopened.append(item)
                tokens.append(item)
                continue
            depth -= 1
        elif token.type == "list_item_close" and tokens and tokens[-1] in reopened:
            tokens.pop()  # an item reopened with nothing more in it
            continue
        tokens.append(token)
    state.tokens = tokens


def _close_item(tokens):
    """Close the innermost open list item (or drop it if nothing was written in it yet)."""
    for index in range(len(tokens) - 1, -1, -1):
        if tokens[index].type == "list_item_open":
            if index == len(tokens) - 1:
                tokens.pop()
            else:
                tokens.append(Token("list_item_close", "li", -1, level=tokens[index].level, block=True))
            return


def _parser():
    md = MarkdownIt("zero", {"breaks": True, "linkify": True, "html": False, "typographer": False})
    md.enable(["list", "emphasis", "link", "newline", "escape", "entity", "autolink", "linkify"])
    md.validateLink = _valid_link
    md.linkify.set({"fuzzy_email": True, "fuzzy_link": True})
    md.core.ruler.push("flatten_lists", _flatten_lists)
    md.core.ruler.push("link_phones", _link_phones)
    return md


_md = _parser()


def _sanitise(markup):
    return nh3.clean(
        markup,
        tags=_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        link_rel="noreferrer noopener",
        url_schemes=set(SCHEMES),
        url_relative="deny",
        set_tag_attribute_values=_CLASSES,
        strip_comments=True,
    )


def render(source):
    """The sanitised HTML of ``source`` (Markdown), safe to output; "" for empty or None."""
    if not source or not str(source).strip():
        return SafeString("")
    return mark_safe(_rendered(str(source)))  # noqa: S308  (nh3 produced it)


@functools.lru_cache(maxsize=RENDERED_KEPT)
def _rendered(source: str) -> str:
    """The rendering is a function of the text alone, and pages show the same texts again and
    again (the library's points, a round's learning), so each process keeps its last few thousand:
    a page reads them instead of parsing and sanitising each text on every view."""
    return _sanitise(_md.render(source)).strip()


def render_inline(source):
    """``render``, without the paragraph round text that renders as one paragraph (for a place
    inside a line, a list item or a table cell); text of several blocks renders as ``render``."""
    html = render(source)
    match = _ONE_PARAGRAPH.fullmatch(html)
    if match and "<p" not in match.group(1):
        return mark_safe(match.group(1))  # noqa: S308  (part of nh3's output, cut at its own tags)
    return html


def link_urls(source):
    """Every link address the rendering of ``source`` contains, in order, percent-decoded (so a
    guard reads ``?name=Chloé`` however it was typed)."""
    if not source:
        return []
    urls = []
    for block in _md.parse(str(source)):
        for token in block.children or ():
            if token.type == "link_open":
                urls.append(unquote(str(token.attrGet("href") or "")))
    return urls
