"""The one place Word documents are made: ``html_to_docx`` turns the HTML of a content partial
(the same HTML the preview page and the PDF print) into a .docx with real Word headings, lists,
bold and italic runs and hyperlinks, for boards that finish the layout in Word.

Only what the HTML says is written: script and style content is dropped, and a link becomes a
Word hyperlink only if its address is a web, e-mail or phone address (anything else stays text).
"""

import io
import re

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.run import Run
from lxml import html as lxml_html

LINK_SCHEMES = ("http:", "https:", "mailto:", "tel:")
LINK_COLOUR = RGBColor(0x1D, 0x70, 0xB8)  # GOV.UK link blue
CAPTION_COLOUR = RGBColor(0x50, 0x5A, 0x5F)  # GOV.UK secondary text
WATERMARK_COLOUR = RGBColor(0xB1, 0xB4, 0xB6)

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_DROPPED = {"script", "style", "template", "noscript", "head", "title", "meta", "link", "img", "svg", "iframe"}
_BLOCKS = {
    *_HEADINGS,
    "p",
    "ul",
    "ol",
    "li",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "blockquote",
    "figure",
    "figcaption",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "hr",
    "pre",
    "form",
    "fieldset",
    "address",
    "details",
    "summary",
    "body",
    "html",
}
_BOLD = {"strong", "b"}
_ITALIC = {"em", "i", "cite", "dfn"}
_CAPTIONS = {"govuk-caption-xl", "govuk-caption-l", "govuk-caption-m"}
_INSETS = {"govuk-inset-text", "govuk-warning-text", "govuk-panel"}
_SPACE = re.compile(r"\s+")
# Characters XML 1.0 cannot hold (python-docx refuses them): control characters, lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text):
    return _NOT_XML.sub("", text or "")


def _classes(element):
    return set((element.get("class") or "").split())


class _Context:
    """What an element inherits: the lists it is in, and whether it is a call-out or caption."""

    __slots__ = ("caption", "inset", "lists")

    def __init__(self, lists=(), inset=False, caption=False):
        self.lists, self.inset, self.caption = lists, inset, caption

    def but(self, **changes):
        values = {name: getattr(self, name) for name in self.__slots__}
        values.update(changes)
        return _Context(**values)


class _List:
    """A list being written: bullets or numbers, and (numbered) the numbering it counts with."""

    __slots__ = ("kind", "num_id", "start")

    def __init__(self, tag, start=None):
        self.kind = "Number" if tag == "ol" else "Bullet"
        self.num_id = None
        try:
            self.start = max(int(start or 1), 1)
        except ValueError:
            self.start = 1


class _Format:
    __slots__ = ("bold", "italic", "link")

    def __init__(self, bold=False, italic=False, link=None):
        self.bold, self.italic, self.link = bold, italic, link

    def but(self, **changes):
        values = {name: getattr(self, name) for name in self.__slots__}
        values.update(changes)
        return _Format(**values)


class _Writer:
    def __init__(self, document):
        self.document = document
        self.paragraph = None  # the paragraph inline content goes into, if one is open
        self.at_line_start = True
        self.last_run = None
        self.context = _Context()

    # Blocks

    def blocks(self, element, context):
        """Write ``element``'s content, a block container: loose inline content becomes a
        paragraph, block children their own paragraphs."""
        self.inline_text(element.text, context)
        for child in element:
            if not isinstance(child.tag, str) or child.tag in _DROPPED:
                pass  # comments, processing instructions, scripts: nothing, but keep the tail
            elif child.tag in _BLOCKS or _classes(child) & _CAPTIONS:
                self.close()
                self.block(child, context)
                self.close()
            else:
                self.ensure_paragraph(context)
                self.inline(child, _Format())
            self.inline_text(child.tail, context)

    def block(self, element, context):
        tag, classes = element.tag, _classes(element)
        if classes & _CAPTIONS:
            context = context.but(caption=True)
        if classes & _INSETS:
            context = context.but(inset=True)
        if tag in _HEADINGS:
            self.open(context, style=f"Heading {min(_HEADINGS[tag], 4)}")
            self.inline_children(element, _Format())
        elif tag in ("ul", "ol"):
            inner = context.but(lists=(*context.lists, _List(tag, element.get("start"))))
            for child in element:
                if isinstance(child.tag, str) and child.tag == "li":
                    self.close()
                    self.list_item(child, inner)
                    self.close()
                elif isinstance(child.tag, str) and child.tag not in _DROPPED:
                    self.close()
                    self.block(child, inner)
        elif tag == "li":  # outside a list
            self.list_item(element, context.but(lists=(*context.lists, _List("ul"))))
        elif tag == "hr":
            pass
        elif tag in ("p", "dt", "dd", "figcaption", "summary", "address", "pre", "td", "th"):
            self.open(context)
            if tag in ("dt", "th"):
                self.inline_children(element, _Format(bold=True))
            else:
                self.inline_children(element, _Format())
        else:  # div, section, tables, span captions, ...
            self.blocks(element, context)

    def list_item(self, element, context):
        """A list item: its first paragraph carries the bullet or number; nested lists follow; text
        after them continues the item."""
        self.open(context, list_item=True)
        item, joined = self.paragraph, False
        self.inline_text(element.text, context)
        for child in element:
            if not isinstance(child.tag, str) or child.tag in _DROPPED:
                pass
            elif child.tag in _BLOCKS:
                if child.tag == "p" and self.paragraph is item and not joined:  # its first paragraph
                    if item.text.strip() and not self.ends_with_space:
                        self.write(" ", _Format())
                    self.inline_children(child, _Format())
                    joined = True
                else:
                    self.close()
                    self.block(child, context)
                    self.close()
            else:
                self.ensure_paragraph(context)
                self.inline(child, _Format())
            self.inline_text(child.tail, context)

    # Paragraphs

    def open(self, context, style=None, list_item=False):
        self.close()
        if style is None:
            style = self.list_style(context, list_item) if context.lists else None
        paragraph = self.document.add_paragraph(style=style)
        if list_item:
            self.restart_numbering(paragraph, context)
        if context.caption:
            paragraph.paragraph_format.space_after = Pt(2)
        if context.inset:
            paragraph.paragraph_format.left_indent = Pt(24)
        self.paragraph, self.context = paragraph, context
        self.at_line_start, self.ends_with_space, self.last_run = True, False, None
        return paragraph

    def list_style(self, context, list_item):
        kind = context.lists[-1].kind
        level = min(len(context.lists), 2)
        if not list_item:
            return "List Continue" if level == 1 else "List Continue 2"
        return f"List {kind}" if level == 1 else f"List {kind} 2"

    def restart_numbering(self, paragraph, context):
        """Each numbered list counts from its own start, not on from the document's last list."""
        current = context.lists[-1]
        if current.kind != "Number":
            return
        if current.num_id is None:
            numbering = self.document.part.numbering_part.numbering_definitions._numbering
            style_num = paragraph.style.element.pPr.numPr.numId.val
            abstract = numbering.num_having_numId(style_num).abstractNumId.val
            num = numbering.add_num(abstract)
            num.add_lvlOverride(ilvl=0).add_startOverride(current.start)
            current.num_id = num.numId
        numbering_properties = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numbering_properties.get_or_add_ilvl().val = 0
        numbering_properties.get_or_add_numId().val = current.num_id

    def ensure_paragraph(self, context):
        if self.paragraph is None:
            self.open(context, list_item=False)

    def close(self):
        """End the open paragraph, without the trailing space; drop it if it is empty."""
        if self.paragraph is None:
            return
        self.strip_trailing_space()
        if not self.paragraph.text.strip() and not self.has_break():
            element = self.paragraph._p
            element.getparent().remove(element)
        self.paragraph = None
        self.last_run = None

    def strip_trailing_space(self):
        if self.ends_with_space and self.last_run is not None:
            self.last_run.text = self.last_run.text.rstrip(" ")
            self.ends_with_space = False

    def has_break(self):
        return bool(self.paragraph._p.xpath(".//w:br"))

    # Inline content

    def inline_text(self, text, context):
        if text and (self.paragraph is not None or text.strip()):
            self.ensure_paragraph(context)
            self.write(text, _Format())

    def inline_children(self, element, fmt):
        if element.text:
            self.write(element.text, fmt)
        for child in element:
            if isinstance(child.tag, str) and child.tag not in _DROPPED:
                self.inline(child, fmt)
            if child.tail:
                self.write(child.tail, fmt)

    def inline(self, element, fmt):
        tag = element.tag
        if tag == "br":
            self.strip_trailing_space()
            self.run(fmt).add_break()
            self.at_line_start, self.ends_with_space = True, False
            return
        if tag in _BOLD:
            fmt = fmt.but(bold=True)
        elif tag in _ITALIC:
            fmt = fmt.but(italic=True)
        elif tag == "a" and fmt.link is None:
            href = _xml_text(element.get("href")).strip()
            if href.lower().startswith(LINK_SCHEMES):
                fmt = fmt.but(link=self.hyperlink(href))
        self.inline_children(element, fmt)

    def hyperlink(self, address):
        relationship = self.paragraph.part.relate_to(address, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        element = OxmlElement("w:hyperlink")
        element.set(qn("r:id"), relationship)
        self.paragraph._p.append(element)
        return element

    def write(self, text, fmt):
        text = _SPACE.sub(" ", _xml_text(text))
        if self.at_line_start or self.ends_with_space:
            text = text.lstrip(" ")
        if not text:
            return
        run = self.run(fmt)
        run.text = text
        self.at_line_start = False
        self.ends_with_space = text.endswith(" ")

    def run(self, fmt):
        if fmt.link is not None:
            element = OxmlElement("w:r")
            fmt.link.append(element)
            run = Run(element, self.paragraph)
            run.font.color.rgb = LINK_COLOUR
            run.font.underline = True
        else:
            run = self.paragraph.add_run()
        if fmt.bold or self.context.inset:
            run.bold = True
        if fmt.italic:
            run.italic = True
        if self.context.caption:
            run.font.size = Pt(10)
            run.font.color.rgb = CAPTION_COLOUR
        self.last_run = run
        return run


def _parse(html):
    return lxml_html.fragment_fromstring(_xml_text(html), create_parent="div")


def _header_and_footer(document, header_text, footer_text, watermark):
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if header_text:
        header.add_run(_xml_text(header_text)).bold = True
    if watermark:
        paragraph = section.header.add_paragraph() if header_text else header
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(_xml_text(watermark))
        run.bold = True
        run.font.size = Pt(28)
        run.font.color.rgb = WATERMARK_COLOUR
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if footer_text:
        footer.add_run(_xml_text(footer_text))


def html_to_docx(html: str, *, title: str, header_text: str = "", footer_text: str = "", watermark: str = "") -> bytes:
    """The .docx bytes of ``html`` (a content partial), titled ``title``, with ``header_text``
    (the protective marking) and ``watermark`` (DRAFT) in every page's header and ``footer_text``
    in its footer."""
    document = docx.Document()
    document.core_properties.title = _xml_text(title)
    document.core_properties.language = "en-GB"
    document.core_properties.author = ""
    document.core_properties.comments = ""
    _header_and_footer(document, header_text, footer_text, watermark)
    writer = _Writer(document)
    writer.blocks(_parse(html), _Context())
    writer.close()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
