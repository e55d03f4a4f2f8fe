"""Draft -> waiting for approval -> approved -> published; published versions never change; the
PDF is made by a task and downloaded from private storage; the logo upload. (The sign-off rules
themselves: test_sign_off.py.)"""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from briefings import rendering, services, workflow
from briefings.models import Branding, Briefing, BriefingRender, PublishedVersion
from lib.storage import private_storage

PNG = b"\x89PNG\r\n\x1a\n" + bytes.fromhex(
    "0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201"
    "a5f2c1e60000000049454e44ae426082"
)


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def sign_off(briefing, *, coordinator, approver) -> Briefing:
    """The coordinator sends the briefing for approval and a board approver approves it."""
    workflow.briefing_submit(actor=coordinator, briefing=briefing)
    return workflow.briefing_approve(actor=approver, briefing=briefing)


def test_publishing_keeps_versions_that_never_change(make_briefing, coordinator, board_approver):
    briefing = make_briefing()
    with pytest.raises(ValidationError):
        workflow.briefing_publish(actor=coordinator, briefing=briefing)  # a draft cannot be published
    sign_off(briefing, coordinator=coordinator, approver=board_approver)
    with pytest.raises(ValidationError):
        workflow.briefing_approve(actor=board_approver, briefing=briefing)  # approved already
    first = workflow.briefing_publish(actor=coordinator, briefing=briefing)
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.PUBLISHED
    assert (first.number, first.published_by) == (1, coordinator)
    stored = private_storage.read_bytes(first.stored_file)
    assert hashlib.sha256(stored).hexdigest() == first.sha256
    assert "Neglect audit briefing" in text_of(stored)

    workflow.briefing_reopen(actor=coordinator, briefing=briefing)
    briefing.refresh_from_db()
    assert (briefing.status, briefing.approved_by) == (Briefing.Status.DRAFT, None)
    services.briefing_update(
        actor=coordinator, briefing=briefing, title="Neglect audit, revised", introduction="", marking="none"
    )
    sign_off(briefing, coordinator=coordinator, approver=board_approver)
    second = workflow.briefing_publish(actor=board_approver, briefing=briefing)
    assert (second.number, second.published_by) == (2, board_approver)
    assert private_storage.read_bytes(first.stored_file) == stored  # version 1 untouched
    assert "Neglect audit, revised" in text_of(private_storage.read_bytes(second.stored_file))
    assert list(briefing.versions.values_list("number", flat=True)) == [2, 1]
    with pytest.raises(ValidationError):
        workflow.briefing_publish(actor=coordinator, briefing=briefing)  # published: approve again first


def test_make_changes_on_a_draft_is_refused(make_briefing, coordinator):
    with pytest.raises(ValidationError, match="already a draft"):
        workflow.briefing_reopen(actor=coordinator, briefing=make_briefing())


def test_make_the_pdf_runs_the_task_and_offers_the_download(
    client, coordinator, make_briefing, django_capture_on_commit_callbacks
):
    briefing = make_briefing()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/briefings/{briefing.pk}/pdf/")
    assert response.status_code == 302
    render = BriefingRender.objects.get()
    assert render.state == BriefingRender.State.DONE and render.task_id
    content = private_storage.read_bytes(render.stored_file)
    assert hashlib.sha256(content).hexdigest() == render.sha256
    page = client.get(briefing.get_absolute_url()).text
    assert "Ready" in page and f"/briefings/{briefing.pk}/pdf/{render.pk}/" in page
    download = client.get(f"/briefings/{briefing.pk}/pdf/{render.pk}/")
    assert download["Content-Type"] == "application/pdf" and download.content == content


def test_a_failed_render_is_marked_failed(make_briefing, coordinator, monkeypatch):
    briefing = make_briefing()
    render = BriefingRender.objects.create(briefing=briefing, requested_by=coordinator)

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(rendering, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        rendering.render_run(render.pk)
    render.refresh_from_db()
    assert render.state == BriefingRender.State.FAILED and not render.stored_file


def test_a_queued_render_is_not_downloadable(client, coordinator, make_briefing):
    briefing = make_briefing()
    render = BriefingRender.objects.create(briefing=briefing, requested_by=coordinator)
    client.force_login(coordinator)
    assert client.get(f"/briefings/{briefing.pk}/pdf/{render.pk}/").status_code == 404
    assert "Waiting to start" in client.get(briefing.get_absolute_url()).text


def test_board_viewer_downloads_published_versions_but_never_sees_drafts(
    client, coordinator, board_viewer, board_approver, make_briefing
):
    briefing = make_briefing()
    client.force_login(board_viewer)
    assert client.get(briefing.get_absolute_url()).status_code == 404
    assert "Neglect audit briefing" not in client.get("/briefings/").text
    sign_off(briefing, coordinator=coordinator, approver=board_approver)
    assert client.get(briefing.get_absolute_url()).status_code == 404  # approved is not published
    version = workflow.briefing_publish(actor=coordinator, briefing=briefing)
    workflow.briefing_reopen(actor=coordinator, briefing=briefing)
    listing = client.get("/briefings/").text
    assert "Neglect audit briefing" in listing and f"/briefings/{briefing.pk}/versions/1/" in listing
    page = client.get(briefing.get_absolute_url())
    assert page.status_code == 200 and "Approve" not in page.text and "Preview" not in page.text
    download = client.get(f"/briefings/{briefing.pk}/versions/1/")
    assert download.content == private_storage.read_bytes(version.stored_file)
    assert client.get(f"/briefings/{briefing.pk}/preview/").status_code == 403


def test_the_workflow_through_the_pages(client, coordinator, board_approver, make_briefing):
    briefing = make_briefing()
    client.force_login(coordinator)
    client.post(f"/briefings/{briefing.pk}/send/", {"confirm": "yes"})
    assert Briefing.objects.get(pk=briefing.pk).status == "awaiting"
    assert client.get(f"/briefings/{briefing.pk}/edit/").status_code == 200
    response = client.post(
        f"/briefings/{briefing.pk}/edit/", {"title": "Changed", "introduction": "", "marking": "none"}
    )
    assert response.status_code == 200 and "Make changes" in response.text
    client.force_login(board_approver)
    client.post(f"/briefings/{briefing.pk}/approve/", {"confirm": "yes"})
    assert Briefing.objects.get(pk=briefing.pk).status == "approved"
    client.post(f"/briefings/{briefing.pk}/publish/", {"confirm": "yes"})
    assert PublishedVersion.objects.filter(briefing=briefing, number=1, published_by=board_approver).exists()
    client.force_login(coordinator)
    client.post(f"/briefings/{briefing.pk}/make-changes/")
    assert Briefing.objects.get(pk=briefing.pk).status == "draft"


@pytest.mark.parametrize(
    ("content", "accepted"),
    [
        (PNG, True),
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>', True),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', False),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', False),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.com/x.png"/></svg>', False),
        (b"GIF89a....", False),
        (PNG + b"\0" * (600 * 1024), False),
    ],
)
def test_logo_upload_is_checked(client, administrator, content, accepted):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(administrator)
    upload = SimpleUploadedFile("logo.bin", content, content_type="image/png")
    response = client.post("/briefings/branding/", {"form": "logo", "logo": upload})
    branding = Branding.objects.filter(pk=1).first()
    if accepted:
        assert response.status_code == 302
        assert private_storage.read_bytes(branding.logo_file) == content
        assert branding.updated_by == administrator
    else:
        assert response.status_code == 200 and "govuk-error-summary" in response.text
        assert branding is None


def test_the_logo_reaches_the_pdf_only_through_the_fetcher(administrator, make_briefing):
    services.branding_set_logo(actor=administrator, content=PNG, content_type="image/png")
    content = rendering.briefing_pdf(make_briefing())
    reader = PdfReader(io.BytesIO(content))
    images = [image for page in reader.pages for image in page.images]
    assert images, "the logo is drawn"
