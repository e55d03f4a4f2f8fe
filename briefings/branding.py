"""The partnership's logo for briefings: the checks an upload must pass, and the logo as a
resource only WeasyPrint may fetch (it is never served by URL).

A PNG must be built like one (not just start like one). An SVG is parsed as XML and accepted
only if it is made of drawing elements alone: no scripts, event handlers, style sheets, embedded
HTML, entities, or references to anything outside the file.

Attribute values are CSS to the renderer (``style``, and presentation attributes such as
``fill``), and CSS reads an escape as the letter it stands for: ``\\75 rl(`` and ``u\\rl(`` are both
``url(``. So a check on the text alone can be bypassed. Two checks close it: a backslash in any
attribute the renderer reads is refused outright (a logo never needs a CSS escape), and every
attribute value is also read as CSS tokens by tinycss2, the parser WeasyPrint itself uses, escapes
decoded, refusing any ``url()`` that is not a reference inside the file, any other function that
fetches (``image()``, ``image-set()``, ...) and any at-rule (``@import``)."""

import re
from xml.etree import ElementTree

import tinycss2
from django.core.exceptions import ValidationError

from briefings.models import Branding
from lib.storage import private_storage

LOGO_URL = "file:///private/branding/logo"
MAX_BYTES = 512 * 1024
MAX_PIXELS = 4096 * 4096
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_NS = "{http://www.w3.org/1999/xlink}"
XHTML_NS = "{http://www.w3.org/1999/xhtml}"
# What an SVG must not contain anywhere: document type declarations (and so entities), and
# style sheets linked by a processing instruction.
SVG_REFUSED = (b"<!entity", b"<!doctype", b"<?xml-stylesheet")
# The SVG elements a logo may use: shapes, text, groups, gradients, clipping and metadata.
SVG_ELEMENTS = {
    "svg",
    "g",
    "defs",
    "title",
    "desc",
    "metadata",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "lineargradient",
    "radialgradient",
    "stop",
    "clippath",
    "mask",
    "symbol",
    "use",
    "pattern",
    "marker",
}
SVG_REFUSAL = "The SVG must not contain scripts, event handlers, style sheets or outside links"
SVG_ESCAPE_REFUSAL = "The SVG must not contain backslashes (CSS escapes) in its attributes: save it again"
# Attributes in these namespaces (or in none) are what the renderer reads; an editor's own
# (Inkscape's export file name, say, which may be a Windows path) it ignores.
RENDERED_NAMESPACES = ("", SVG_NS, XLINK_NS, "{http://www.w3.org/XML/1998/namespace}")
# CSS functions that would fetch something.
FETCHING_FUNCTIONS = {"url", "image", "image-set", "-webkit-image-set", "cross-fade", "element", "src"}


def check_logo(content: bytes, content_type: str = "") -> str:
    """The logo's content type if it is a real PNG or a script-free SVG within the size limit."""
    if not content:
        raise ValidationError({"logo": "The selected file is empty"})
    if len(content) > MAX_BYTES:
        raise ValidationError({"logo": "The logo must be smaller than 512 KB"})
    if content.startswith(PNG_MAGIC):
        _check_png(content)
        return "image/png"
    head = content[:2048].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in content.lower():
        _check_svg(content)
        return "image/svg+xml"
    raise ValidationError({"logo": "The logo must be a PNG or an SVG file"})


def _check_png(content: bytes) -> None:
    """A PNG's structure: chunks from an image header (of a logo's size) through image data to
    the end chunk, and nothing after it."""
    damaged = ValidationError({"logo": "The PNG file is damaged or too large: save it again"})
    position, kinds = len(PNG_MAGIC), []
    while position < len(content):
        if position + 12 > len(content):
            raise damaged
        length = int.from_bytes(content[position : position + 4], "big")
        kind = content[position + 4 : position + 8]
        if not kind.isalpha() or position + 12 + length > len(content):
            raise damaged
        if not kinds:
            if kind != b"IHDR" or length != 13:
                raise damaged
            width = int.from_bytes(content[position + 8 : position + 12], "big")
            height = int.from_bytes(content[position + 12 : position + 16], "big")
            if not (width > 0 and height > 0 and width * height <= MAX_PIXELS):
                raise damaged
        kinds.append(kind)
        position += 12 + length
        if kind == b"IEND":
            break
    if kinds[-1:] != [b"IEND"] or b"IDAT" not in kinds or position != len(content):
        raise damaged


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _allowed_element(tag: str) -> bool:
    """An SVG drawing element, or an editor's metadata in its own namespace (Inkscape's, RDF's),
    which renderers ignore; never HTML."""
    if tag.startswith(SVG_NS) or not tag.startswith("{"):
        return _local_name(tag) in SVG_ELEMENTS
    return not tag.startswith(XHTML_NS)


def _check_svg(content: bytes) -> None:
    lowered = content.lower()
    if any(marker in lowered for marker in SVG_REFUSED):
        raise ValidationError({"logo": SVG_REFUSAL})
    try:
        root = ElementTree.fromstring(content)  # noqa: S314  (no DTD allowed above, so no entities)
    except ElementTree.ParseError as exc:
        raise ValidationError({"logo": "The SVG file could not be read: save it again"}) from exc
    if root.tag not in (f"{SVG_NS}svg", "svg"):
        raise ValidationError({"logo": "The logo must be a PNG or an SVG file"})
    for element in root.iter():
        if not isinstance(element.tag, str) or not _allowed_element(element.tag):
            raise ValidationError({"logo": SVG_REFUSAL})
        for name, value in element.attrib.items():
            local = _local_name(name)
            if local.startswith("on"):
                raise ValidationError({"logo": SVG_REFUSAL})
            if local == "href" and not value.strip().startswith("#"):
                raise ValidationError({"logo": SVG_REFUSAL})
            if re.search(r"url\(\s*['\"]?\s*(?!#)", value, re.IGNORECASE):
                raise ValidationError({"logo": SVG_REFUSAL})
            if "\\" in value and _namespace(name) in RENDERED_NAMESPACES:
                raise ValidationError({"logo": SVG_ESCAPE_REFUSAL})
            if _css_fetches(tinycss2.parse_component_value_list(value)):
                raise ValidationError({"logo": SVG_REFUSAL})


def _namespace(name: str) -> str:
    return name[: name.index("}") + 1] if name.startswith("{") else ""


def _css_fetches(tokens) -> bool:
    """Whether CSS tokens (escapes already decoded by tinycss2) hold an at-rule, a url() to
    anything but an element of the file itself, or another function that fetches."""
    for token in tokens:
        if token.type == "at-keyword":
            return True
        if token.type == "url" and not token.value.strip().startswith("#"):
            return True
        # A url() read as a function holds a quoted string: like the check on the text above, only
        # the bare url(#id) form is a logo's.
        if token.type == "function" and (token.lower_name in FETCHING_FUNCTIONS or _css_fetches(token.arguments)):
            return True
        if token.type in ("() block", "[] block", "{} block") and _css_fetches(token.content):
            return True
    return False


def logo_resource() -> tuple[str, tuple[bytes, str]] | None:
    """(URL, (content, type)) of the uploaded logo, for the PDF's URL fetcher; None without one."""
    branding = Branding.objects.filter(pk=1).first()
    if branding is None or not branding.logo_file or not private_storage.exists(branding.logo_file):
        return None
    return LOGO_URL, (private_storage.read_bytes(branding.logo_file), branding.logo_content_type)
