"""Submitted work and the coordinator's decision on it, shared by audit tools and chronologies:
the review page (the answers first, Accept and Return at the end), a confirmation before
accepting or returning (both e-mail the agency's leads), and the page after a submission."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audits.models import AuditTool
from audits.returns import lifecycle, selectors
from audits.returns.forms import ReturnForm
from audits.returns.permissions import can_review, get_return_for_user, is_lead, url_kind
from lib.forms import form_data
from lib.views import run, save_form

NOT_WAITING = "This is not waiting for review: only submitted work can be accepted or returned."


def _urls(item) -> dict:
    args = [url_kind(item), item.pk]
    name = "tool" if isinstance(item, AuditTool) else "chronology"
    return {
        "review_url": reverse("audits:return-review", args=args),
        "accept_url": reverse("audits:return-accept", args=args),
        "return_url": reverse(f"audits:{name}-return", args=[item.pk]),
    }


def _decision_context(item, **extra) -> dict:
    return {
        "item": item,
        "case": item.case,
        "label": selectors.kind_label(item),
        "leads": selectors.agency_leads(item),
        **_urls(item),
        **extra,
    }


@require_GET
def return_review(request, kind, pk):
    """A submitted audit tool or chronology for the coordinator: every answer or entry, then
    Accept and Return."""
    item = get_return_for_user(request.user, kind, pk, decide=True)
    context = _decision_context(item, can_review=can_review(request.user, item))
    if isinstance(item, AuditTool):
        context["is_tool"] = True
        context["sections"] = selectors.tool_progress(item)
    else:
        context["entries"] = list(item.entries.all())
    if item.submitted_at:
        context["waited"] = max((timezone.localdate() - timezone.localdate(item.submitted_at)).days, 0)
    return render(request, "returns/review/review.html", context)


@require_http_methods(["GET", "POST"])
def return_accept(request, kind, pk):
    """Are you sure? (GET), then accept (POST)."""
    item = get_return_for_user(request.user, kind, pk, decide=True)
    if not can_review(request.user, item):
        messages.error(request, NOT_WAITING)
        return redirect(item)
    if request.method == "POST":
        if run(
            request,
            lambda: lifecycle.return_accept(actor=request.user, item=item),
            success=f"{item.agency.short_name}'s {selectors.kind_label(item)} accepted. Their lead has been e-mailed.",
        ):
            return redirect("home")
        return redirect(item)
    return render(request, "returns/review/accept_confirm.html", _decision_context(item))


def decide_accept(request, item):
    """The old one-click Accept button: it now leads to the confirmation page."""
    return redirect("audits:return-accept", kind=url_kind(item), pk=item.pk)


def decide_return(request, item, *, template_back=None):
    """Return submitted work: the comments (one per section of an audit tool, and one overall),
    then a check of what will happen, then the return itself, which e-mails the agency's leads.
    "Change the comments" on the check page brings the form back with everything typed."""
    sections = selectors.sections_of(item) if isinstance(item, AuditTool) else []
    form = ReturnForm(form_data(request), sections=sections)
    context = _decision_context(item, form=form, back=_urls(item)["review_url"])
    if request.method == "POST" and "change" not in request.POST and form.is_valid():
        if "confirmed" not in request.POST:
            rows = [(s, form.cleaned_data[form.section_field(s)].strip()) for s in sections]
            context["section_comments"] = [(s, text) for s, text in rows if text]
            return render(request, "returns/review/return_confirm.html", context)
        if save_form(
            request,
            form,
            lambda: lifecycle.return_send_back(
                actor=request.user,
                item=item,
                comment=form.cleaned_data["comment"],
                section_comments=form.section_comments(),
            ),
            success=(
                f"{item.agency.short_name}'s {selectors.kind_label(item)} returned for changes. "
                "Their lead has been e-mailed."
            ),
        ):
            return redirect("home")
    return render(request, "returns/review/return_form.html", context)


@require_GET
def return_submitted(request, kind, pk):
    """After the lead submits: what happens next, and a link to their next task."""
    item = get_return_for_user(request.user, kind, pk, edit=True)
    if not item.is_submitted:
        return redirect(item)
    next_task = next(
        (t for t in selectors.agency_tasks(request.user, today=timezone.localdate()) if t.item != item), None
    )
    return render(
        request,
        "returns/review/submitted.html",
        {
            "item": item,
            "case": item.case,
            "label": selectors.kind_label(item),
            "next_task": next_task,
            "is_lead": is_lead(request.user, item),
        },
    )
