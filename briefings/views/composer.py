"""Composing a briefing: create it for a round (or several), its title, introduction and
marking, its sections, themes and learning in order, the preview, the PDF and DOCX of the
draft; and the partnership's logo and contact line."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.access_log.downloads import attachment
from briefings import services
from briefings.forms import BriefingCreateForm, BriefingEditForm, LogoForm
from briefings.models import Branding
from briefings.permissions import (
    get_briefing_for_user,
    get_render_for_user,
    get_round_for_briefing,
    require_branding_access,
)
from briefings.selectors import (
    briefing_cases,
    briefing_content,
    briefing_rounds,
    items_with_points,
)
from lib.forms import as_id, form_data
from lib.storage import private_storage
from lib.views import run, save_form


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
    return attachment(
        request,
        private_storage.read_bytes(render_record.stored_file),
        "application/pdf",
        f"briefing-{pk}-draft-{render_record.pk}.pdf",
        what=f"Briefing draft PDF, briefing {render_record.briefing_id} draft {render_record.pk}",
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
