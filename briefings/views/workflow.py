"""The briefing's page and its workflow: the published list, a briefing's page, sending for
approval, approving, publishing, "Make changes", and the published versions' downloads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.access_log.downloads import attachment
from audits.models import AuditRound
from audits.rounds.selectors import moves_on_publication
from briefings import workflow
from briefings.permissions import (
    can_manage_briefings,
    get_briefing_for_user,
    get_version_for_user,
    require_published_access,
)
from briefings.selectors import (
    briefing_rounds,
    briefings_for_user,
    items_with_points,
    latest_render,
)
from lib.storage import private_storage
from lib.views import refuse


def _pdf(request, content: bytes, file_name: str, *, what: str) -> HttpResponse:
    return attachment(request, content, "application/pdf", file_name, what=what)


@require_GET
def briefing_list(request):
    require_published_access(request.user)
    briefings = briefings_for_user(request.user)
    return render(
        request,
        "briefings/briefing_list.html",
        {"briefings": briefings, "can_manage": can_manage_briefings(request.user)},
    )


def _detail(request, briefing, *, problems=None, status=200):
    manage = can_manage_briefings(request.user)
    context = {
        "briefing": briefing,
        "can_manage": manage,
        "versions": briefing.versions.select_related("published_by"),
        "problems": problems or [],
    }
    if manage:
        context["render"] = latest_render(briefing)
        items = items_with_points(briefing)
        context["included_count"] = sum(1 for item in items if item.included)
        context["item_count"] = len(items)
    return render(request, "briefings/briefing_detail.html", context, status=status)


@require_GET
def briefing_detail(request, pk):
    briefing = get_briefing_for_user(request.user, pk)
    return _detail(request, briefing)


def _workflow(request, briefing, service, success):
    try:
        service(actor=request.user, briefing=briefing)
    except ValidationError as exc:
        if getattr(exc, "code", None) == "identifiers" or (exc.error_list and exc.error_list[0].code == "identifiers"):
            return _detail(request, briefing, problems=exc.messages, status=400)
        refuse(request, exc)
    else:
        for message in success if isinstance(success, list) else [success]:
            messages.success(request, message)
    return redirect(briefing)


def _confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get("confirm") == "yes"


@require_http_methods(["GET", "POST"])
def briefing_approve(request, pk):
    """GET: what approving does, and "Yes, approve"; POST with confirm: approve."""
    briefing = get_briefing_for_user(request.user, pk, manage=True)
    if request.method == "POST" and not _confirmed(request):
        return redirect("briefings:briefing-approve", pk=briefing.pk)
    if _confirmed(request):
        return _workflow(request, briefing, workflow.briefing_approve, "Briefing approved")
    items = items_with_points(briefing)
    return render(
        request,
        "briefings/briefing_approve.html",
        {
            "briefing": briefing,
            "included_count": sum(1 for item in items if item.included),
            "can_approve": briefing.is_draft,
        },
    )


def _round_moves(briefing) -> list[dict]:
    """Each round of the briefing, and whether publishing moves it to "Briefing published"."""
    return [
        {"round": audit_round, "moves": moves_on_publication(audit_round)} for audit_round in briefing_rounds(briefing)
    ]


@require_http_methods(["GET", "POST"])
def briefing_publish(request, pk):
    """GET: what publishing does (the version kept, who can read it, which rounds move on and why
    others do not), and "Yes, publish"; POST with confirm: publish."""
    briefing = get_briefing_for_user(request.user, pk, manage=True)
    if request.method == "POST" and not _confirmed(request):
        return redirect("briefings:briefing-publish", pk=briefing.pk)
    rounds = _round_moves(briefing)
    if _confirmed(request):
        success = ["Briefing published"] + [
            f"{row['round'].title} is now at the stage: {AuditRound.Status.PUBLISHED.label}."
            for row in rounds
            if row["moves"]
        ]
        return _workflow(request, briefing, workflow.briefing_publish, success)
    return render(
        request,
        "briefings/briefing_publish.html",
        {
            "briefing": briefing,
            "rounds": rounds,
            "next_version": briefing.versions.count() + 1,
            "can_publish": briefing.is_approved,
            "published_label": AuditRound.Status.PUBLISHED.label,
        },
    )


@require_POST
def briefing_reopen(request, pk):
    briefing = get_briefing_for_user(request.user, pk, manage=True)
    return _workflow(request, briefing, workflow.briefing_reopen, "The briefing is a draft again")


@require_GET
def version_download(request, pk, number):
    version = get_version_for_user(request.user, pk, number)
    return _pdf(
        request,
        private_storage.read_bytes(version.stored_file),
        f"briefing-{pk}-version-{number}.pdf",
        what=f"Briefing PDF, briefing {version.briefing_id} version {version.number}",
    )
