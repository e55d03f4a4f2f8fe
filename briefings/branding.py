"""The partnership's logo for briefings: the checks an upload must pass, and the logo as a
resource only WeasyPrint may fetch (it is never served by URL)."""

from django.core.exceptions import ValidationError

from audits.storage import private_storage
from briefings.models import Branding

LOGO_URL = "file:///private/branding/logo"
MAX_BYTES = 512 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# What an SVG must not contain: scripts, event handlers, or references to anything outside it.
SVG_REFUSED = (
    b"<script",
    b"javascript:",
    b"<foreignobject",
    b"<!entity",
    b"<!doctype",
    b'xlink:href="http',
    b'href="http',
)


def check_logo(content: bytes, content_type: str = "") -> str:
    """The logo's content type if it is a PNG or a script-free SVG within the size limit."""
    if not content:
        raise ValidationError({"logo": "The selected file is empty"})
    if len(content) > MAX_BYTES:
        raise ValidationError({"logo": "The logo must be smaller than 512 KB"})
    if content.startswith(PNG_MAGIC):
        return "image/png"
    head = content[:2048].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in content.lower():
        lowered = content.lower()
        import re

        if any(marker in lowered for marker in SVG_REFUSED) or re.search(rb"\son[a-z]+\s*=", lowered):
            raise ValidationError({"logo": "The SVG must not contain scripts, event handlers or outside links"})
        return "image/svg+xml"
    raise ValidationError({"logo": "The logo must be a PNG or an SVG file"})


def logo_resource() -> tuple[str, tuple[bytes, str]] | None:
    """(URL, (content, type)) of the uploaded logo, for the PDF's URL fetcher; None without one."""
    branding = Branding.objects.filter(pk=1).first()
    if branding is None or not branding.logo_file or not private_storage.exists(branding.logo_file):
        return None
    return LOGO_URL, (private_storage.read_bytes(branding.logo_file), branding.logo_content_type)
