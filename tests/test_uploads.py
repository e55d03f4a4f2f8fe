"""Every upload is checked by its content (not its name or the browser's content type), limited in
size, and kept in private storage that nothing serves by URL.

The uploads: a candidate list for a draw (CSV or XLSX), a chronology import (CSV or XLSX), and
the partnership's logo for briefings (PNG or SVG)."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse
from openpyxl import Workbook

from audits.models import CaseDraw
from briefings.models import Branding
from lib.storage import private_storage
from tests.audits.returns.test_chronology_file_views import confirm, import_file, upload

SAMPLES = Path(__file__).resolve().parents[1] / "static" / "samples"
CHRONOLOGY_HEADER = ["date", "event_type", "what_happened"]
CHRONOLOGY_ROW = ["31/01/2026", "Home visit", "Child 1 seen alone."]
CANDIDATE_CSV = (SAMPLES / "candidate-list-sample.csv").read_bytes()


def workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one of its parts replaced."""
    with zipfile.ZipFile(io.BytesIO(data)) as real:
        parts = {info.filename: real.read(info.filename) for info in real.infolist()}
    return zip_of({**parts, name: content})


GOOD_XLSX = workbook([CHRONOLOGY_HEADER, CHRONOLOGY_ROW])
# Files whose name says one thing and whose content another, or whose content is broken.
NOT_SPREADSHEETS = {
    "png named csv": ("list.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
    "workbook named csv": ("list.csv", GOOD_XLSX),
    "text named xlsx": ("list.xlsx", b"date,event_type,what_happened\n31/01/2026,Home visit,x\n"),
    "zip without workbook parts": ("list.xlsx", zip_of({"readme.txt": b"hello"})),
    "zip with junk parts": ("list.xlsx", zip_of({"[Content_Types].xml": b"", "xl/workbook.xml": b"\x01"})),
    "workbook with a broken manifest": ("list.xlsx", with_part(GOOD_XLSX, "[Content_Types].xml", b"\x01")),
    "workbook with a broken sheet": ("list.xlsx", with_part(GOOD_XLSX, "xl/worksheets/sheet1.xml", b"<x")),
    "workbook without its sheet": (
        "list.xlsx",
        zip_of(
            {
                name: content
                for name, content in (
                    (info.filename, zipfile.ZipFile(io.BytesIO(GOOD_XLSX)).read(info.filename))
                    for info in zipfile.ZipFile(io.BytesIO(GOOD_XLSX)).infolist()
                )
                if name != "xl/worksheets/sheet1.xml"
            }
        ),
    ),
    "truncated workbook": ("list.xlsx", GOOD_XLSX[: len(GOOD_XLSX) // 2]),
    "binary named csv": ("list.csv", b"date,event_type\x00\x01\x02,what_happened\n"),
    "control characters named csv": ("list.csv", b"date,event_type,what_happened\n\x01\x02\x1b[2J,Home visit,x\n"),
    "exe named csv": ("list.csv", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"),
    "pdf": ("list.pdf", b"%PDF-1.7\n"),
}


def stored_files():
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()) if root.exists() else []


def _error_summary(response):
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    return response


# --- Chronology import ---


@pytest.fixture
def import_url(chronology_a, client, lead_a):
    client.force_login(lead_a)
    return reverse("audits:chronology-import", kwargs={"pk": chronology_a.pk})


@pytest.mark.parametrize("kind", sorted(NOT_SPREADSHEETS))
def test_chronology_import_refuses_content_that_is_not_its_name(client, import_url, chronology_a, kind):
    name, content = NOT_SPREADSHEETS[kind]
    response = client.post(import_url, {"entries_file": SimpleUploadedFile(name, content, "text/csv")})
    _error_summary(response)
    assert chronology_a.entries.count() == 0


def test_chronology_import_reads_a_real_workbook_and_csv(client, import_url, chronology_a):
    # Each good file goes to the preview (nothing stored yet), and is imported once confirmed there.
    preview = upload(client, chronology_a, GOOD_XLSX, "a.xlsx")
    assert preview.redirect_chain[-1][0] == reverse("audits:chronology-import-preview", kwargs={"pk": chronology_a.pk})
    assert chronology_a.entries.count() == 0
    confirm(client, chronology_a, preview.text)
    csv = b"date,event_type,what_happened\n01/02/2026,Referral,Referral to early help.\n"
    import_file(client, chronology_a, csv, "b.csv")
    assert chronology_a.entries.count() == 2


def test_chronology_import_is_limited_in_size(client, import_url, chronology_a, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    big = b"date,event_type,what_happened\n" + b"01/02/2026,Referral,x\n" * 60000
    assert len(big) > settings.MAX_UPLOAD_BYTES
    response = _error_summary(client.post(import_url, {"entries_file": SimpleUploadedFile("big.csv", big)}))
    assert "smaller than 1 MB" in response.text
    assert chronology_a.entries.count() == 0


def test_chronology_import_keeps_no_copy_of_the_file(client, import_url, chronology_a):
    preview = upload(client, chronology_a, GOOD_XLSX, "a.xlsx")
    assert stored_files() == []
    confirm(client, chronology_a, preview.text)
    assert chronology_a.entries.count() == 1
    assert stored_files() == []


# --- Candidate lists ---


@pytest.fixture
def draw_url(client, audit_round, coordinator):
    client.force_login(coordinator)
    return reverse("audits:draw-start", kwargs={"pk": audit_round.pk})


def _draw(client, url, name, content):
    return client.post(url, {"candidate_file": SimpleUploadedFile(name, content, "text/csv"), "number_of_cases": 2})


@pytest.mark.parametrize("kind", sorted(NOT_SPREADSHEETS))
def test_candidate_list_refuses_content_that_is_not_its_name(client, draw_url, kind):
    name, content = NOT_SPREADSHEETS[kind]
    _error_summary(_draw(client, draw_url, name, content))
    assert not CaseDraw.objects.exists()
    assert stored_files() == []


def test_candidate_list_is_limited_in_size(client, draw_url, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    big = CANDIDATE_CSV + b"\n" * (settings.MAX_UPLOAD_BYTES + 1)
    response = _error_summary(_draw(client, draw_url, "big.csv", big))
    assert "smaller than 1 MB" in response.text
    assert not CaseDraw.objects.exists()


def test_a_candidate_list_is_kept_encrypted_under_a_random_name_and_never_served(client, draw_url):
    response = _draw(client, draw_url, "candidates.csv", CANDIDATE_CSV)
    assert response.status_code == 302
    draw = CaseDraw.objects.get()
    # Private storage, outside the static and media roots, under a name nobody can guess.
    stored = Path(settings.PRIVATE_STORAGE_ROOT) / draw.stored_file
    assert stored.is_file()
    assert len(Path(draw.stored_file).name) >= 32
    assert "candidates" not in draw.stored_file
    for public in (settings.STATIC_ROOT, getattr(settings, "MEDIA_ROOT", "") or None):
        if public:
            assert not stored.resolve().is_relative_to(Path(public).resolve())
    assert private_storage.read_bytes(draw.stored_file) == CANDIDATE_CSV
    # Encrypted at rest: the children's names are not on disk.
    assert b"reference" not in stored.read_bytes()
    _never_served(client, draw.stored_file)


def _never_served(client, stored_file):
    """No URL of the service serves the file, by its storage name or any prefix of a media URL."""
    for path in (f"/{stored_file}", f"/private/{stored_file}", f"/media/{stored_file}", f"/static/{stored_file}"):
        with pytest.raises(Resolver404):
            resolve(path)
        assert client.get(path).status_code == 404
    from config import urls

    routed = {str(pattern.pattern) for pattern in urls.urlpatterns}
    assert not any("media" in route or "private" in route for route in routed)


# --- The briefing logo ---


def _real_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 4), "#1d4f5f").save(buffer, format="PNG")
    return buffer.getvalue()


REAL_PNG = _real_png()
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
SVG_WITH_GRADIENT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    b'<defs><linearGradient id="g"><stop offset="0" stop-color="#1d4f5f"/></linearGradient>'
    b'<path id="p" d="M0 0h10v10z"/></defs><rect fill="url(#g)" width="10" height="10"/>'
    b'<use xlink:href="#p"/><text x="1" y="9">Northvale</text></svg>'
)
BAD_LOGOS = {
    "png magic then junk": b"\x89PNG\r\n\x1a\n" + b"junk" * 20,
    "png without image data": REAL_PNG[:33] + REAL_PNG[-12:],
    "png with trailing data": REAL_PNG + b"<script>alert(1)</script>",
    "png of a huge image": REAL_PNG[:16] + (100000).to_bytes(4, "big") * 2 + REAL_PNG[24:],
    "truncated png": REAL_PNG[:40],
    "gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    "html": b"<html><script>alert(1)</script></html>",
    "svg script": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "svg script upper case": b'<svg xmlns="http://www.w3.org/2000/svg"><SCRIPT>alert(1)</SCRIPT></svg>',
    "svg onload after a slash": b'<svg xmlns="http://www.w3.org/2000/svg"/onload="alert(1)">',
    "svg onload": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
    "svg event on a child": b'<svg xmlns="http://www.w3.org/2000/svg"><rect\nonclick="alert(1)"/></svg>',
    "svg outside image, single quotes": b"<svg xmlns='http://www.w3.org/2000/svg'><image href='https://x.test/a.png'/></svg>",
    "svg local file": b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>',
    "svg xlink outside": (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<use xlink:href = "//x.test/s.svg#a"/></svg>'
    ),
    "svg javascript link": (b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>'),
    "svg style sheet": b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://x.test/a.css);</style></svg>',
    "svg style url": b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://x.test/a)"/></svg>',
    "svg fill url outside": b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url( \'https://x.test/#a\')"/></svg>',
    "svg foreign object": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">'
        b"<iframe/></div></foreignObject></svg>"
    ),
    "svg html inside": b'<svg xmlns="http://www.w3.org/2000/svg"><h:p xmlns:h="http://www.w3.org/1999/xhtml"/></svg>',
    "svg entity": b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
    "svg style sheet instruction": (
        b'<?xml version="1.0"?><?xml-stylesheet href="https://x.test/a.css"?><svg xmlns="http://www.w3.org/2000/svg"/>'
    ),
    "svg not well formed": b'<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>',
    "xml that is not svg": b'<?xml version="1.0"?><html><svg/></html>',
}


def _upload_logo(client, content, name="logo.png", content_type="image/png"):
    return client.post(
        reverse("briefings:branding"), {"form": "logo", "logo": SimpleUploadedFile(name, content, content_type)}
    )


@pytest.mark.parametrize("kind", sorted(BAD_LOGOS))
def test_the_logo_is_refused_unless_a_real_png_or_a_safe_svg(client, administrator, kind):
    client.force_login(administrator)
    _error_summary(_upload_logo(client, BAD_LOGOS[kind]))
    assert not Branding.objects.filter(pk=1).exclude(logo_file="").exists()
    assert stored_files() == []


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(REAL_PNG, "image/png"), (SVG, "image/svg+xml"), (SVG_WITH_GRADIENT, "image/svg+xml")],
)
def test_a_real_png_or_a_safe_svg_is_kept_privately_whatever_its_name(client, administrator, content, content_type):
    client.force_login(administrator)
    # The name and the browser's content type say nothing true; the content decides.
    response = _upload_logo(client, content, name="logo.exe", content_type="application/octet-stream")
    assert response.status_code == 302
    branding = Branding.objects.get(pk=1)
    assert branding.logo_content_type == content_type
    assert private_storage.read_bytes(branding.logo_file) == content
    assert (Path(settings.PRIVATE_STORAGE_ROOT) / branding.logo_file).read_bytes() != content  # encrypted
    _never_served(client, branding.logo_file)


def test_a_large_logo_is_refused_before_it_is_read(client, administrator, monkeypatch):
    from briefings import branding

    def never(*args, **kwargs):  # pragma: no cover - reaching it is the failure
        raise AssertionError("a file over the limit was checked for content")

    monkeypatch.setattr(branding, "check_logo", never)
    client.force_login(administrator)
    response = _error_summary(_upload_logo(client, REAL_PNG + b"\0" * branding.MAX_BYTES))
    assert "smaller than 512 KB" in response.text


def test_the_logo_limit_is_within_the_upload_limit():
    from briefings.branding import MAX_BYTES

    assert MAX_BYTES <= settings.MAX_UPLOAD_BYTES


def test_no_model_keeps_an_upload_in_a_file_field():
    """Uploads go to private storage by the services; no FileField (which would live under
    MEDIA_ROOT and be served from MEDIA_URL by a typical set-up) exists."""
    from django.apps import apps
    from django.db import models

    file_fields = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    assert file_fields == []
