"""Filling in an audit tool (GOV.UK task list pattern) and deciding on it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits.returns import selectors
from audits.returns import services as tool_services
from audits.returns.forms import SectionForm, answer_field_names
from audits.returns.permissions import can_edit, can_print_tool, can_submit, get_tool_for_print, get_tool_for_user
from audits.returns.selectors import is_overdue
from audits.returns.views.decisions import decide_accept, decide_return
from audits.tool_templates.selectors import grade_descriptors
from exports.models import Export
from exports.services import export_request
from lib.forms import form_data
from lib.views import run, save_form


def _sections(tool):
    """The tool's sections with their progress, the tag a section still to do shows, and what the
    coordinator said about it when returning the tool (until it is submitted again)."""
    rows = selectors.tool_progress(tool)
    states = selectors.section_states(tool)
    for row in rows:
        row.tag = "" if row.is_complete else "govuk-tag--light-blue" if row.answered else "govuk-tag--blue"
        state = states.get(row.section.pk)
        row.return_comment = state.return_comment if state and tool.is_returned else ""
    return rows


def _context(request, tool, **extra):
    today = timezone.localdate()
    sections = _sections(tool)
    return {
        "tool": tool,
        "case": tool.case,
        "round": tool.case.round,
        "sections": sections,
        # "You have completed n of m sections": each section's own rule (``SectionProgress.is_complete``).
        "sections_completed": sum(1 for row in sections if row.is_complete),
        "can_edit": can_edit(request.user, tool),
        "can_print": can_print_tool(request.user, tool),
        "overdue": is_overdue(tool, today),
        "today": today,
        **extra,
    }


@require_GET
def tool_detail(request, pk):
    tool = get_tool_for_user(request.user, pk)
    return render(request, "returns/tools/tool_detail.html", _context(request, tool))


@require_POST
def tool_pdf(request, pk):
    """Ask for the tool as a PDF (made in the background: ``audits.returns.exports``), and go to its
    status page."""
    tool = get_tool_for_print(request.user, pk)
    export = export_request(actor=request.user, kind=Export.Kind.AUDIT_TOOL, params={"tool": tool.pk})
    return redirect(export)


@require_http_methods(["GET", "POST"])
def tool_section(request, pk, section_pk):
    tool = get_tool_for_user(request.user, pk, edit=True)
    section = get_object_or_404(tool.template_version.sections, pk=section_pk)
    if not can_edit(request.user, tool):
        messages.error(request, "This audit tool has been submitted and can no longer be changed.")
        return redirect(tool)
    questions = list(section.questions.all())
    answers = selectors.answers_by_question(tool)
    initial = {"revision": selectors.section_revision(tool, section)}
    for question in questions:
        choice_name, text_name = answer_field_names(question)
        if answer := answers.get(question.pk):
            initial[choice_name], initial[text_name] = answer.choice, answer.text
    descriptors = grade_descriptors(tool.template_version_id)
    form = SectionForm(form_data(request), initial=initial, questions=questions, descriptors=descriptors)
    conflict = None
    try:
        saved = save_form(
            request,
            form,
            lambda: tool_services.tool_section_save(
                actor=request.user,
                tool=tool,
                section=section,
                revision=form.cleaned_data["revision"],
                answers=form.answers(),
            ),
            success=f"{section.title}: saved as draft." if "save-draft" in request.POST else None,
        )
    except tool_services.SectionConflictError as exc:
        # Nothing was saved: show what the other person saved beside what this person typed,
        # and let them save again from the new revision.
        current = selectors.answers_by_question(tool)
        conflict = {
            "saved_by": exc.state.updated_by,
            "saved_at": exc.state.updated_at,
            "answers": [(q, current.get(q.pk)) for q in questions],
        }
        data = request.POST.copy()
        data["revision"] = exc.state.revision
        form = SectionForm(data, initial=initial, questions=questions, descriptors=descriptors)
        form.is_valid()
        form.add_error(
            None,
            "Someone else saved this section while you were editing it. Nothing you typed has been "
            "saved yet: compare your answers with theirs below, then save again.",
        )
    else:
        if saved:
            if "save-draft" in request.POST:
                return redirect(tool)
            following = [s for s in selectors.sections_of(tool) if s.position > section.position]
            if following:
                return redirect("audits:tool-section", pk=tool.pk, section_pk=following[0].pk)
            return redirect("audits:tool-check", pk=tool.pk)
    state = selectors.section_states(tool).get(section.pk)
    return render(
        request,
        "returns/tools/tool_section.html",
        {
            "tool": tool,
            "case": tool.case,
            "section": section,
            "form": form,
            "conflict": conflict,
            "return_comment": state.return_comment if state and tool.is_returned else "",
        },
    )


def _check_context(request, tool, missing=None):
    return _context(request, tool, missing=missing or [], can_submit=can_submit(request.user, tool))


@require_GET
def tool_check(request, pk):
    tool = get_tool_for_user(request.user, pk)
    return render(request, "returns/tools/tool_check.html", _check_context(request, tool))


@require_POST
def tool_submit(request, pk):
    tool = get_tool_for_user(request.user, pk, submit=True)
    missing = selectors.tool_missing_answers(tool)
    if missing:
        return render(request, "returns/tools/tool_check.html", _check_context(request, tool, missing), status=200)
    if run(request, lambda: tool_services.tool_submit(actor=request.user, tool=tool)):
        return redirect("audits:return-submitted", kind="tools", pk=tool.pk)
    return redirect(tool)


@require_http_methods(["GET", "POST"])
def tool_return(request, pk):
    tool = get_tool_for_user(request.user, pk, decide=True)
    return decide_return(request, tool, template_back=reverse("audits:tool-check", args=[tool.pk]))


@require_POST
def tool_accept(request, pk):
    """The old one-click Accept: it leads to the confirmation page now."""
    tool = get_tool_for_user(request.user, pk, decide=True)
    return decide_accept(request, tool)
