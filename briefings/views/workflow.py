"""The briefing's page and its workflow: the published list, a briefing's page, "Send for
approval", "Approve", "Publish" (each asking first), "Make changes" / "Send back", and the
published versions' downloads. What each page offers comes from ``briefings.permissions``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.access_log.downloads import attachment
from agencies.access_log.services import client_ip
from audits.models import AuditRound
from audits.rounds.selectors import moves_on_publication
from briefings import workflow
from briefings.models import Briefing
from briefings.permissions import (
    approval_refusal,
    can_manage_briefings,
    can_review,
    can_review_briefings,
    four_eyes,
    get_briefing_for_user,
    get_version_for_user,
    publish_refusal,
    require_published_access,
    submit_refusal,
    workflow_actions,
)
from briefings.selectors import briefing_rounds, briefings_for_user, items_with_points, latest_render
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
        {
            "briefings": briefings,
            "can_manage": can_manage_briefings(request.user),
            "can_review": can_review_briefings(request.user),
        },
    )


def _status_history(briefing) -> list:
    """Each change of the briefing's status, oldest first: when, to what, by whom."""
    changes, previous = [], None
    for record in briefing.history.select_related("history_user").order_by("history_date", "history_id"):
        if record.status != previous:
            changes.append(
                {
                    "when": record.history_date,
                    "status": Briefing.Status(record.status).label,
                    "who": record.history_user,
                }
            )
            previous = record.status
    return changes


def _included_count(briefing) -> tuple[int, int]:
    items = items_with_points(briefing)
    return sum(1 for item in items if item.included), len(items)


def _detail(request, briefing, *, problems=None, status=200):
    user = request.user
    review = can_review(user, briefing)
    manage = can_manage_briefings(user)
    context = {
        "briefing": briefing,
        "can_review": review,
        "can_manage": manage,
        "can_edit": manage and briefing.is_draft,
        "four_eyes": four_eyes(),
        "versions": briefing.versions.select_related("published_by"),
        "problems": problems or [],
        **workflow_actions(user, briefing),
    }
    if review:
        context["render"] = latest_render(briefing)
        context["included_count"], context["item_count"] = _included_count(briefing)
        context["history"] = _status_history(briefing)
    return render(request, "briefings/briefing_detail.html", context, status=status)


@require_GET
def briefing_detail(request, pk):
    briefing = get_briefing_for_user(request.user, pk)
    return _detail(request, briefing)


def _workflow(request, briefing, call, success):
    """Run a workflow service: its refusal as error messages, or the identifiers it found on the
    briefing's page (where, never what), or the success messages."""
    try:
        call()
    except ValidationError as exc:
        if any(error.code == "identifiers" for error in exc.error_list):
            return _detail(request, briefing, problems=exc.messages, status=400)
        refuse(request, exc)
    else:
        for message in success if isinstance(success, list) else [success]:
            messages.success(request, message)
    return redirect(briefing)


def _confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get("confirm") == "yes"


def _confirm_step(request, briefing, *, url_name, template, refusal, call, success, context):
    """A workflow step that asks first: GET shows what will happen and "Yes, ..." (or why it
    cannot be done); a POST without the confirmation comes back here; with it, the service."""
    if request.method == "POST" and not _confirmed(request):
        return redirect(url_name, pk=briefing.pk)
    if _confirmed(request):
        return _workflow(request, briefing, call, success)
    return render(request, template, {"briefing": briefing, "refusal": refusal, **context})


@require_http_methods(["GET", "POST"])
def briefing_submit(request, pk):
    """Sending for approval: what happens next, and "Yes, send for approval"."""
    briefing = get_briefing_for_user(request.user, pk, manage=True)
    included, _total = _included_count(briefing)
    return _confirm_step(
        request,
        briefing,
        url_name="briefings:briefing-submit",
        template="briefings/briefing_submit.html",
        refusal=submit_refusal(request.user, briefing),
        call=lambda: workflow.briefing_submit(actor=request.user, briefing=briefing),
        success="Briefing sent for approval",
        context={"included_count": included, "four_eyes": four_eyes()},
    )


@require_http_methods(["GET", "POST"])
def briefing_approve(request, pk):
    """Approving: what approving does, and "Yes, approve the briefing" (or why this user may not)."""
    briefing = get_briefing_for_user(request.user, pk, review=True)
    included, _total = _included_count(briefing)
    return _confirm_step(
        request,
        briefing,
        url_name="briefings:briefing-approve",
        template="briefings/briefing_approve.html",
        refusal=approval_refusal(request.user, briefing),
        call=lambda: workflow.briefing_approve(actor=request.user, briefing=briefing, origin=client_ip(request)),
        success="Briefing approved",
        context={"included_count": included},
    )


def _round_moves(briefing) -> list[dict]:
    """Each round of the briefing, and whether publishing moves it to "Briefing published"."""
    return [
        {"round": audit_round, "moves": moves_on_publication(audit_round)} for audit_round in briefing_rounds(briefing)
    ]


@require_http_methods(["GET", "POST"])
def briefing_publish(request, pk):
    """Publishing: what publishing does (the version kept, who can read it, which rounds move on
    and why others do not), and "Yes, publish the briefing"."""
    briefing = get_briefing_for_user(request.user, pk, review=True)
    rounds = _round_moves(briefing)
    success = ["Briefing published"] + [
        f"{row['round'].title} is now at the stage: {AuditRound.Status.PUBLISHED.label}."
        for row in rounds
        if row["moves"]
    ]
    return _confirm_step(
        request,
        briefing,
        url_name="briefings:briefing-publish",
        template="briefings/briefing_publish.html",
        refusal=publish_refusal(request.user, briefing),
        call=lambda: workflow.briefing_publish(actor=request.user, briefing=briefing, origin=client_ip(request)),
        success=success,
        context={
            "rounds": rounds,
            "next_version": briefing.versions.count() + 1,
            "published_label": AuditRound.Status.PUBLISHED.label,
            "can_manage": can_manage_briefings(request.user),
        },
    )


@require_POST
def briefing_reopen(request, pk):
    """Back to a draft: "Make changes" (a coordinator) or "Send back" (a board approver)."""
    briefing = get_briefing_for_user(request.user, pk, review=True)
    success = (
        "The briefing is a draft again"
        if can_manage_briefings(request.user)
        else "The briefing was sent back to the coordinator as a draft"
    )
    return _workflow(
        request, briefing, lambda: workflow.briefing_reopen(actor=request.user, briefing=briefing), success
    )


@require_GET
def version_download(request, pk, number):
    version = get_version_for_user(request.user, pk, number)
    return _pdf(
        request,
        private_storage.read_bytes(version.stored_file),
        f"briefing-{pk}-version-{number}.pdf",
        what=f"Briefing PDF, briefing {version.briefing_id} version {version.number}",
    )
