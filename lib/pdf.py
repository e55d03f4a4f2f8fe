"""The one place PDFs are made (STYLE.md 11).

``render_html`` renders a print template (``templates/print/``, which never extend the web base)
and is quick to test; ``render_pdf`` turns that HTML into an accessible A4 PDF with WeasyPrint.
WeasyPrint only ever reads our own static files: every other URL (the web, ``file://`` outside
the static folders, ``data:``) is refused, so text in a document can never make the server fetch
anything.
"""

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from pydyf import PDF
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# PDF/UA-1: tagged, with the document's language and title, for screen readers.
PDF_VARIANT = "pdf/ua-1"


def _page_references(pdf: PDF) -> tuple[bytes, ...]:
    """pydyf's ``PDF.page_references``, kept until a page is added. pydyf rebuilds the tuple of
    every page's reference on each read, and WeasyPrint's tagging reads it for every tagged line
    of text, which made a long document's tags quadratic (about 1.5 s of a 2,000-entry integrated
    chronology). The same references, so the same PDF bytes."""
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf.__dict__["_page_references"] = cached
    return cached[1]


if isinstance(getattr(PDF, "page_references", None), property):
    PDF.page_references = property(_page_references)


def render_html(template_name: str, context: dict) -> str:
    """The print template as HTML, with the partnership's name and colour for its header."""
    return render_to_string(
        template_name,
        {
            "partnership_name": settings.PARTNERSHIP_NAME,
            "brand_colour": settings.PARTNERSHIP_BRAND_COLOUR,
            "service_name": settings.SERVICE_NAME,
            **context,
        },
    )


def _static_roots() -> list[Path]:
    roots = [Path(directory) for directory in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


def static_base_url() -> str:
    """Relative links in print templates resolve against the first static folder."""
    return _static_roots()[0].as_uri() + "/"


def static_file_for_url(url: str) -> Path | None:
    """The static file a URL names, or None if it names anything else.

    Accepts ``file://`` URLs of files inside the static folders (relative links resolved
    against ``static_base_url``) and ``/static/...`` paths, which WeasyPrint sees as
    ``file:///static/...`` and which are looked up through the staticfiles finders."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = unquote(parts.path)
    if "\x00" in path:
        return None
    candidate = Path(posixpath.normpath(path))
    for root in _static_roots():
        if candidate.is_relative_to(root) and candidate.resolve().is_relative_to(root) and candidate.is_file():
            return candidate.resolve()
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    normalised = posixpath.normpath(path)
    if normalised.startswith(prefix):
        relative = normalised.removeprefix(prefix)
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:
            return None
        if found:
            found = Path(found).resolve()
            if any(found.is_relative_to(root) for root in _static_roots()) and found.is_file():
                return found
    return None


class StaticFilesFetcher(URLFetcher):
    """WeasyPrint's URL fetcher, limited to our own static files (and to the few resources the
    caller hands over by exact URL, such as the partnership's logo from private storage)."""

    def __init__(self, *args, resources: dict[str, tuple[bytes, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.resources = dict(resources or {})

    def fetch(self, url, headers=None):
        if url in self.resources:
            content, content_type = self.resources[url]
            return URLFetcherResponse(url, content, {"Content-Type": content_type})
        path = static_file_for_url(url)
        if path is None:
            # WeasyPrint reports this as a warning and leaves the resource out.
            raise ValueError("only the service's own static files may be used in a PDF")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})


def render_pdf(
    template_name: str, context: dict, *, title: str, resources: dict[str, tuple[bytes, str]] | None = None
) -> bytes:
    """An A4, tagged (PDF/UA-1) PDF of a print template, titled ``title``. ``resources`` maps exact
    URLs to (content, content type) the document may use besides the static files."""
    html = render_html(template_name, {**context, "title": title})
    fetcher = StaticFilesFetcher(resources=resources)
    document = HTML(string=html, base_url=static_base_url(), url_fetcher=fetcher)
    return document.write_pdf(pdf_variant=PDF_VARIANT)
