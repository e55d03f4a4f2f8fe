"""Briefings: create a briefing for a round, choose and order its learning, preview it, make its
PDF, approve and publish it; the published list and downloads; the partnership's logo."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.access_log.downloads import attachment
from audits.models import AuditRound
from audits.rounds.selectors import moves_on_publication
from briefings import services
from briefings.forms import BriefingCreateForm, BriefingEditForm, LogoForm
from briefings.models import Branding
from briefings.permissions import (
    can_manage_briefings,
    get_briefing_for_user,
    get_render_for_user,
    get_round_for_briefing,
    get_version_for_user,
    require_branding_access,
    require_published_access,
)
from briefings.selectors import (
    briefing_cases,
    briefing_content,
    briefing_rounds,
    briefings_for_user,
    items_with_points,
    latest_render,
)
from lib.forms import as_id, form_data
from lib.storage import private_storage
from lib.views import refuse, run, save_form


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


@require_http_methods(["GET", "POST"])
def briefing_create(request, pk):
    audit_round = get_round_for_briefing(request.user, pk)
    form = BriefingCreateForm(form_data(request), audit_round=audit_round, initial={"title": audit_round.title})
    if saved := save_form(
        request,
        form,
        lambda: services.briefing_create(
            actor=request.user,
            audit_round=audit_round,
            briefing_format=form.cleaned_data["format"],
            title=form.cleaned_data["title"],
            introduction=form.cleaned_data["introduction"],
            second_round=form.cleaned_data["second_round"],
        ),
        success="Briefing created",
    ):
        return redirect(saved.result)
    return render(request, "briefings/briefing_create.html", {"form": form, "round": audit_round})


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


@require_http_methods(["GET", "POST"])
def briefing_edit(request, pk):
    briefing = get_briefing_for_user(request.user, pk, manage=True)
    form = BriefingEditForm(form_data(request), instance=briefing)
    if save_form(
        request,
        form,
        lambda: services.briefing_update(
            actor=request.user,
            briefing=briefing,
            title=form.cleaned_data["title"],
            introduction=form.cleaned_data["introduction"],
        ),
        success="Title and introduction saved",
    ):
        return redirect(briefing)
    return render(request, "briefings/briefing_edit.html", {"form": form, "briefing": briefing})


@require_http_methods(["GET", "POST"])
def briefing_items(request, pk):
    briefing = get_briefing_for_user(request.user, pk, manage=True)
    errors = []
    if request.method == "POST":
        move = request.POST.get("move", "")
        move_id, direction = None, ""
        if move:
            direction, _, raw = move.partition(":")
            move_id = as_id(raw)
            move_id = -1 if move_id is None else move_id
        # A refusal is shown above the list (status 400), not as a message, so the choices stay.
        try:
            services.briefing_items_update(
                actor=request.user,
                briefing=briefing,
                included_ids=[pk for value in request.POST.getlist("included") if (pk := as_id(value)) is not None],
                move_id=move_id,
                direction=direction,
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            if not move:
                messages.success(request, "Your choices have been saved")
                return redirect(briefing)
            return redirect("briefings:briefing-items", briefing.pk)
    items = items_with_points(briefing)
    return render(
        request,
        "briefings/briefing_items.html",
        {"briefing": briefing, "items": items, "errors": errors, "cases": briefing_cases(briefing_rounds(briefing))},
        status=400 if errors else 200,
    )


@require_POST
def briefing_refresh(request, pk):
    briefing = get_briefing_for_user(request.user, pk, manage=True)
    run(
        request,
        lambda: services.briefing_refresh_items(actor=request.user, briefing=briefing),
        success=lambda added: f"{added} new points of learning added",
    )
    return redirect("briefings:briefing-items", briefing.pk)


@require_GET
def briefing_preview(request, pk):
    briefing = get_briefing_for_user(request.user, pk, manage=True)
    return render(
        request, "briefings/briefing_preview.html", {"briefing": briefing, "content": briefing_content(briefing)}
    )


@require_POST
def briefing_render(request, pk):
    briefing = get_briefing_for_user(request.user, pk, manage=True)
    services.render_request(actor=request.user, briefing=briefing)
    messages.success(request, "The PDF is being made")
    return redirect(briefing)


@require_GET
def render_download(request, pk, render_pk):
    render_record = get_render_for_user(request.user, pk, render_pk)
    if not render_record.is_done:
        raise Http404
    return _pdf(
        request,
        private_storage.read_bytes(render_record.stored_file),
        f"briefing-{pk}-draft-{render_record.pk}.pdf",
        what=f"Briefing draft PDF, briefing {render_record.briefing_id} draft {render_record.pk}",
    )


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
        return _workflow(request, briefing, services.briefing_approve, "Briefing approved")
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
        return _workflow(request, briefing, services.briefing_publish, success)
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
    return _workflow(request, briefing, services.briefing_reopen, "The briefing is a draft again")


@require_GET
def version_download(request, pk, number):
    version = get_version_for_user(request.user, pk, number)
    return _pdf(
        request,
        private_storage.read_bytes(version.stored_file),
        f"briefing-{pk}-version-{number}.pdf",
        what=f"Briefing PDF, briefing {version.briefing_id} version {version.number}",
    )


@require_http_methods(["GET", "POST"])
def branding(request):
    require_branding_access(request.user)
    form = LogoForm(form_data(request), request.FILES if request.method == "POST" else None)
    if save_form(
        request,
        form,
        lambda: services.branding_set_logo(
            actor=request.user,
            content=form.cleaned_data["logo"].read(),
            content_type=form.cleaned_data["logo"].content_type,
        ),
        success="Logo uploaded",
    ):
        return redirect("briefings:branding")
    current = Branding.objects.filter(pk=1).first()
    return render(request, "briefings/branding.html", {"form": form, "branding": current})
