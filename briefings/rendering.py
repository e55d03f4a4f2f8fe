"""Making a briefing's PDF and DOCX: the print template (or the Word document) around the same
content as the preview, and the task body that makes a queued render. Services (publishing)
and tasks (rendering) both import this module; it imports neither."""

import hashlib
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from briefings.branding import logo_resource
from briefings.models import Branding, Briefing, BriefingRender
from briefings.selectors import briefing_content
from lib.docx import html_to_docx
from lib.pdf import render_html, render_pdf
from lib.richtext import render
from lib.storage import private_storage

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def stored_name(briefing: Briefing, what: str) -> str:
    """A new, unguessable name in private storage for one of the briefing's PDFs."""
    return f"briefings/{briefing.pk}/{what}-{uuid.uuid4().hex}.pdf"


def _details(briefing: Briefing, version: int | None, published_on) -> dict:
    """What the document says about itself: draft or version, its date, the marking, the contact."""
    branding = Branding.objects.filter(pk=1).first()
    day = published_on or timezone.localdate()
    return {
        "draft": version is None,
        "version": version,
        "date": day,
        "status_line": f"Version {version}, published {day:%-d %B %Y}"
        if version is not None
        else f"DRAFT, made {day:%-d %B %Y}: not published",
        "marking": briefing.marking_text,
        "contact_line": branding.contact_line if branding else "",
    }


def briefing_pdf(briefing: Briefing, *, version: int | None = None, published_on=None) -> bytes:
    """The briefing as a PDF (the print template around the same content as the preview). A
    version number makes the published document; without one it is a draft, marked DRAFT on
    every page."""
    logo = logo_resource()
    context = {
        "content": briefing_content(briefing),
        "print": True,
        "logo_url": logo[0] if logo else "",
        **_details(briefing, version, published_on),
    }
    return render_pdf("print/briefing.html", context, title=briefing.title, resources=dict([logo]) if logo else None)


def briefing_docx(briefing: Briefing) -> bytes:
    """The briefing as it stands as a Word document, from the same content partial: marked DRAFT
    unless it is published (then it is the latest version's content)."""
    latest = briefing.versions.order_by("-number").first() if briefing.is_published else None
    details = _details(briefing, latest.number if latest else None, latest.published_at.date() if latest else None)
    html = render_html("briefings/_content.html", {"content": briefing_content(briefing), **details})
    contact = strip_tags(render(details["contact_line"])).strip()
    footer = " · ".join(part for part in (details["status_line"], contact) if part)
    return html_to_docx(
        html,
        title=briefing.title,
        header_text=details["marking"],
        footer_text=footer,
        watermark="DRAFT" if details["draft"] else "",
    )


def render_run(render_pk: int) -> BriefingRender:
    """Make a queued render's PDF and store it (done), or mark it failed. A render left "being
    made" by a worker that stopped is made again when its task is queued again."""
    with transaction.atomic():
        render = BriefingRender.objects.select_for_update().select_related("briefing").get(pk=render_pk)
        if not render.may_run:
            return render
        render.state = BriefingRender.State.RUNNING
        render.started_at = timezone.now()
        render.save(update_fields=["state", "started_at"])
    try:
        content = briefing_pdf(render.briefing)
        name = stored_name(render.briefing, f"render-{render.pk}")
        private_storage.write(name, content)
    except Exception:
        render.state = BriefingRender.State.FAILED
        render.failure = "It could not be made."
        render.finished_at = timezone.now()
        render.save(update_fields=["state", "failure", "finished_at"])
        raise
    render.stored_file = name
    render.sha256 = hashlib.sha256(content).hexdigest()
    render.state = BriefingRender.State.DONE
    render.finished_at = timezone.now()
    render.save(update_fields=["stored_file", "sha256", "state", "finished_at"])
    return render


def renders_give_up(task_ids: list[str], reason: str) -> int:
    """Mark failed, with ``reason``, the renders still waiting on tasks that were given up on
    (``lib.task_recovery``); returns how many."""
    if not task_ids:
        return 0
    return BriefingRender.objects.filter(
        task_id__in=task_ids, state__in=[BriefingRender.State.QUEUED, BriefingRender.State.RUNNING]
    ).update(state=BriefingRender.State.FAILED, failure=reason[:200], finished_at=timezone.now())
