"""Filling in an audit tool (GOV.UK task list pattern) and deciding on it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits.models import WorkStatus
from audits.returns import lifecycle as returns
from audits.returns import services as tool_services
from audits.returns.forms import ReturnCommentForm, SectionForm, answer_field_names
from audits.returns.permissions import get_tool_for_user
from lib.forms import add_service_errors, form_data


def _sections_with_status(tool, answers):
    rows = []
    for section in tool_services.sections_of(tool):
        questions = list(section.questions.all())
        answered = [q for q in questions if (a := answers.get(q.pk)) and a.is_answered]
        required_missing = [q for q in questions if q.required and q not in answered]
        if not answered:
            status = "Not yet started"
        elif required_missing:
            status = "In progress"
        else:
            status = "Completed"
        rows.append({"section": section, "questions": questions, "status": status})
    return rows


def _can_edit(user, tool) -> bool:
    membership = user.membership
    return tool.is_editable and membership is not None and membership.agency_id == tool.agency_id


def _can_submit(user, tool) -> bool:
    return _can_edit(user, tool) and user.is_agency_lead


@require_GET
def tool_detail(request, pk):
    tool = get_tool_for_user(request.user, pk)
    answers = tool_services.answers_by_question(tool)
    return render(
        request,
        "returns/tools/tool_detail.html",
        {
            "tool": tool,
            "case": tool.case,
            "round": tool.case.round,
            "sections": _sections_with_status(tool, answers),
            "can_edit": _can_edit(request.user, tool),
            "can_decide": request.user.has_perm("audits.manage_rounds") and tool.status == WorkStatus.SUBMITTED,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def tool_section(request, pk, section_pk):
    tool = get_tool_for_user(request.user, pk, edit=True)
    section = get_object_or_404(tool.template_version.sections, pk=section_pk)
    if not tool.is_editable:
        messages.error(request, "This audit tool has been submitted and can no longer be changed.")
        return redirect(tool)
    questions = list(section.questions.all())
    answers = tool_services.answers_by_question(tool)
    initial = {"revision": tool_services.section_revision(tool, section)}
    for question in questions:
        choice_name, text_name = answer_field_names(question)
        if answer := answers.get(question.pk):
            initial[choice_name], initial[text_name] = answer.choice, answer.text
    form = SectionForm(form_data(request), initial=initial, questions=questions)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            tool_services.tool_section_save(
                actor=request.user,
                tool=tool,
                section=section,
                revision=form.cleaned_data["revision"],
                answers=form.answers(),
            )
        except tool_services.SectionConflictError as exc:
            # Nothing was saved: show what the other person saved beside what this person typed,
            # and let them save again from the new revision.
            current = tool_services.answers_by_question(tool)
            conflict = {
                "saved_by": exc.state.updated_by,
                "saved_at": exc.state.updated_at,
                "answers": [(q, current.get(q.pk)) for q in questions],
            }
            data = request.POST.copy()
            data["revision"] = exc.state.revision
            form = SectionForm(data, initial=initial, questions=questions)
            form.is_valid()
            form.add_error(
                None,
                "Someone else saved this section while you were editing it. Nothing you typed has been "
                "saved yet: compare your answers with theirs below, then save again.",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if "save-draft" in request.POST:
                messages.success(request, f"{section.title}: saved as draft.")
                return redirect(tool)
            sections = tool_services.sections_of(tool)
            following = [s for s in sections if s.position > section.position]
            if following:
                return redirect("audits:tool-section", pk=tool.pk, section_pk=following[0].pk)
            return redirect("audits:tool-check", pk=tool.pk)
    return render(
        request,
        "returns/tools/tool_section.html",
        {"tool": tool, "case": tool.case, "section": section, "form": form, "conflict": conflict},
    )


def _check_context(request, tool, missing=None):
    answers = tool_services.answers_by_question(tool)
    sections = []
    for row in _sections_with_status(tool, answers):
        row["answers"] = [(q, answers.get(q.pk)) for q in row["questions"]]
        sections.append(row)
    return {
        "tool": tool,
        "case": tool.case,
        "round": tool.case.round,
        "sections": sections,
        "missing": missing or [],
        "can_edit": _can_edit(request.user, tool),
        "can_submit": _can_submit(request.user, tool),
        "can_decide": request.user.has_perm("audits.manage_rounds") and tool.status == WorkStatus.SUBMITTED,
        "today": timezone.localdate(),
    }


@require_GET
def tool_check(request, pk):
    tool = get_tool_for_user(request.user, pk)
    return render(request, "returns/tools/tool_check.html", _check_context(request, tool))


@require_POST
def tool_submit(request, pk):
    tool = get_tool_for_user(request.user, pk, submit=True)
    missing = tool_services.tool_missing_answers(tool)
    if missing:
        return render(request, "returns/tools/tool_check.html", _check_context(request, tool, missing), status=200)
    try:
        tool_services.tool_submit(actor=request.user, tool=tool)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(tool)
    messages.success(request, "Audit tool submitted. The audit coordinator has been told.")
    return redirect(tool)


def decide_return(request, item, *, template_back):
    """Shared by tools and chronologies: a coordinator returns submitted work with a comment."""
    form = ReturnCommentForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            returns.return_send_back(actor=request.user, item=item, comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Returned to the agency with your comment.")
            return redirect(item)
    return render(request, "returns/tools/return_form.html", {"form": form, "item": item, "back": template_back})


def decide_accept(request, item):
    try:
        returns.return_accept(actor=request.user, item=item)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", ["You cannot accept this."])))
    else:
        messages.success(request, "Accepted.")
    return redirect(item)


@require_http_methods(["GET", "POST"])
def tool_return(request, pk):
    tool = get_tool_for_user(request.user, pk, decide=True)
    return decide_return(request, tool, template_back=reverse("audits:tool-check", args=[tool.pk]))


@require_POST
def tool_accept(request, pk):
    tool = get_tool_for_user(request.user, pk, decide=True)
    return decide_accept(request, tool)
