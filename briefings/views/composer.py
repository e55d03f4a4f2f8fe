"""Composing a briefing: create it for a round (or several), its title, introduction and
marking, its sections, themes and learning in order, the preview, the PDF and DOCX of the
draft; and the partnership's logo and contact line."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.access_log.downloads import attachment
from briefings import services
from briefings.forms import BriefingCreateForm, BriefingEditForm, ContactForm, LogoForm
from briefings.models import Branding
from briefings.permissions import (
    get_briefing_for_user,
    get_render_for_user,
    get_round_for_briefing,
    require_branding_access,
)
from briefings.rendering import DOCX_TYPE, briefing_docx
from briefings.selectors import briefing_content, compose_page
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
            rounds=[audit_round, *form.cleaned_data.get("other_rounds", [])],
            briefing_format=form.cleaned_data["format"],
            title=form.cleaned_data["title"],
            introduction=form.cleaned_data["introduction"],
            marking=form.cleaned_data["marking"],
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
            marking=form.cleaned_data["marking"],
        ),
        success="Title, introduction and marking saved",
    ):
        return redirect(briefing)
    return render(request, "briefings/briefing_edit.html", {"form": form, "briefing": briefing})


def _groupings(post) -> dict[int, str]:
    """Each section's grouping from the composer's selects (``grouping-<section id>``)."""
    groupings = {}
    for name, value in post.items():
        if name.startswith("grouping-") and (section_id := as_id(name.removeprefix("grouping-"))) is not None:
            groupings[section_id] = value
    return groupings


@require_http_methods(["GET", "POST"])
def briefing_items(request, pk):
    """The composer: sections (add, remove, group, order), the practice themes' order, every item
    (include, order within its group), and what the briefing leaves out. Every button saves the
    ticks and groupings as well, so nothing chosen is lost; a refusal shows above the page."""
    briefing = get_briefing_for_user(request.user, pk, manage=True)
    errors = []
    if request.method == "POST":
        command = request.POST.get("command", "")
        add = "add_kind" if command == "section-add" else ""
        try:
            services.briefing_compose(
                actor=request.user,
                briefing=briefing,
                included_ids=[pk for value in request.POST.getlist("included") if (pk := as_id(value)) is not None],
                groupings=_groupings(request.POST),
                command="" if add else command,
                add_kind=request.POST.get("add_kind", "") if add else "",
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            if not command:
                messages.success(request, "Your choices have been saved")
                return redirect(briefing)
            anchor = command.partition(":")[0].partition("-")[0] or "sections"
            return redirect(reverse("briefings:briefing-items", args=[briefing.pk]) + f"#{anchor}s")
    return render(
        request,
        "briefings/briefing_compose.html",
        {"briefing": briefing, "errors": errors, **compose_page(briefing)},
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
    briefing = get_briefing_for_user(request.user, pk, review=True)
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


@require_GET
def briefing_docx_download(request, pk):
    """The briefing as it stands, as a Word document (marked DRAFT unless it is published)."""
    briefing = get_briefing_for_user(request.user, pk, review=True)
    return attachment(
        request,
        briefing_docx(briefing),
        DOCX_TYPE,
        f"briefing-{pk}.docx",
        what=f"Briefing DOCX, briefing {briefing.pk}",
    )


@require_http_methods(["GET", "POST"])
def branding(request):
    """The partnership's logo and contact line: two forms on one page, each with its own button."""
    require_branding_access(request.user)
    current = Branding.objects.filter(pk=1).first()
    posted = request.POST.get("form") if request.method == "POST" else None
    logo_form = LogoForm(form_data(request) if posted == "logo" else None, request.FILES if posted == "logo" else None)
    contact_form = ContactForm(
        form_data(request) if posted == "contact" else None,
        initial={"contact_line": current.contact_line if current else ""},
    )
    if posted == "logo" and save_form(
        request,
        logo_form,
        lambda: services.branding_set_logo(
            actor=request.user,
            content=logo_form.cleaned_data["logo"].read(),
            content_type=logo_form.cleaned_data["logo"].content_type,
        ),
        success="Logo uploaded",
    ):
        return redirect("briefings:branding")
    if posted == "contact" and save_form(
        request,
        contact_form,
        lambda: services.branding_set_contact(
            actor=request.user, contact_line=contact_form.cleaned_data["contact_line"]
        ),
        success="Contact line saved",
    ):
        return redirect("briefings:branding")
    return render(
        request,
        "briefings/branding.html",
        {"form": logo_form, "contact_form": contact_form, "branding": current},
    )
