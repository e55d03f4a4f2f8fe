"""Making a briefing's PDF: the print template around the same content as the preview, and the
task body that makes a queued render. Services (publishing) and tasks (rendering) both import
this module; it imports neither."""

import hashlib
import uuid

from django.db import transaction
from django.utils import timezone

from briefings.branding import logo_resource
from briefings.models import Briefing, BriefingRender
from briefings.selectors import briefing_content
from lib.pdf import render_pdf
from lib.storage import private_storage


def stored_name(briefing: Briefing, what: str) -> str:
    """A new, unguessable name in private storage for one of the briefing's PDFs."""
    return f"briefings/{briefing.pk}/{what}-{uuid.uuid4().hex}.pdf"


def briefing_pdf(briefing: Briefing) -> bytes:
    """The briefing as a PDF (the print template around the same content as the preview)."""
    logo = logo_resource()
    context = {"content": briefing_content(briefing), "print": True, "logo_url": logo[0] if logo else ""}
    return render_pdf("print/briefing.html", context, title=briefing.title, resources=dict([logo]) if logo else None)


def render_run(render_pk: int) -> BriefingRender:
    """Make a queued render's PDF and store it (done), or mark it failed."""
    with transaction.atomic():
        render = BriefingRender.objects.select_for_update().select_related("briefing").get(pk=render_pk)
        if not render.is_pending:
            return render
        render.state = BriefingRender.State.RUNNING
        render.save(update_fields=["state"])
    try:
        content = briefing_pdf(render.briefing)
        name = stored_name(render.briefing, f"render-{render.pk}")
        private_storage.write(name, content)
    except Exception:
        render.state = BriefingRender.State.FAILED
        render.finished_at = timezone.now()
        render.save(update_fields=["state", "finished_at"])
        raise
    render.stored_file = name
    render.sha256 = hashlib.sha256(content).hexdigest()
    render.state = BriefingRender.State.DONE
    render.finished_at = timezone.now()
    render.save(update_fields=["stored_file", "sha256", "state", "finished_at"])
    return render
