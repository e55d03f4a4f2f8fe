"""Managing audit tool templates (coordinators and administrators).

Pages show a template's current version; editing goes through ``audits.tool_templates.services``,
which copies a version that rounds or tools already use instead of changing it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Prefetch
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits.models import TemplateQuestion, TemplateSection, TemplateVersion, ToolTemplate
from audits.tool_templates import services
from audits.tool_templates.forms import MoveForm, NewTemplateForm, QuestionForm, SectionForm, TemplateForm
from audits.tool_templates.permissions import (
    get_question_for_user,
    get_section_for_user,
    get_template_for_user,
    get_version_for_user,
    require_template_management,
)
from lib.forms import add_service_errors, form_data


def _sections(version: TemplateVersion | None) -> list[TemplateSection]:
    """A version's sections in order, each with its questions, in two queries."""
    if version is None:
        return []
    questions = Prefetch("questions", queryset=TemplateQuestion.objects.order_by("position"))
    return list(version.sections.order_by("position").prefetch_related(questions))


def _to_template(template: ToolTemplate, anchor: str = ""):
    return redirect(template.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def _say_saved(request, before: TemplateVersion, after: TemplateVersion, text: str) -> None:
    """Tell the user what happened, including when their change started a new version."""
    if after.pk != before.pk:
        text += (
            f" Rounds or audit tools use version {before.number}, so the change was made in a new "
            f"version {after.number}; they keep version {before.number}."
        )
    messages.success(request, text)


def _refused(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# Templates ------------------------------------------------------------------------------------


@require_GET
def template_list(request):
    require_template_management(request.user)
    templates = ToolTemplate.objects.annotate(
        version_number=Max("versions__number"), round_count=Count("rounds", distinct=True)
    ).order_by("name")
    return render(request, "tool_templates/template_list.html", {"templates": templates})


@require_http_methods(["GET", "POST"])
def template_add(request):
    require_template_management(request.user)
    form = NewTemplateForm(form_data(request), templates=list(ToolTemplate.objects.order_by("name")))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            template = services.template_create(
                actor=request.user, name=data["name"], description=data["description"], copy_from=data["start"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Template created: {template.name}.")
            return redirect(template)
    return render(request, "tool_templates/template_form.html", {"form": form, "adding": True})


@require_GET
def template_detail(request, pk):
    template = get_template_for_user(request.user, pk)
    versions = list(
        template.versions.select_related("created_by")
        .annotate(round_count=Count("rounds", distinct=True), tool_count=Count("tools", distinct=True))
        .order_by("-number")
    )
    current = versions[0] if versions else None
    return render(
        request,
        "tool_templates/template_detail.html",
        {
            "template": template,
            "version": current,
            "sections": _sections(current),
            "versions": versions,
            "frozen": current is not None and (current.round_count or current.tool_count),
            "problems": services.template_version_problems(current),
            "round_count": template.rounds.count(),
        },
    )


@require_http_methods(["GET", "POST"])
def template_edit(request, pk):
    template = get_template_for_user(request.user, pk)
    form = TemplateForm(form_data(request), initial={"name": template.name, "description": template.description})
    if request.method == "POST" and form.is_valid():
        try:
            template = services.template_update(actor=request.user, template=template, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Template name and description saved.")
            return redirect(template)
    return render(request, "tool_templates/template_form.html", {"form": form, "template": template})


@require_POST
def template_make_default(request, pk):
    template = get_template_for_user(request.user, pk)
    try:
        services.template_make_default(actor=request.user, template=template)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"{template.name} is now the default template for new rounds.")
    return redirect(template)


@require_GET
def template_version(request, pk, number):
    version = get_version_for_user(request.user, pk, number)
    latest = version.template.versions.aggregate(latest=Max("number"))["latest"]
    return render(
        request,
        "tool_templates/template_version.html",
        {
            "template": version.template,
            "version": version,
            "sections": _sections(version),
            "is_current": version.number == latest,
            "round_count": version.rounds.count(),
        },
    )


# Sections -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def section_add(request, pk):
    template = get_template_for_user(request.user, pk)
    form = SectionForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        before = template.current_version
        try:
            section = services.template_section_add(actor=request.user, template=template, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _say_saved(request, before, section.version, f"Section added: {section.title}.")
            return _to_template(template, f"section-{section.position}")
    return render(request, "tool_templates/section_form.html", {"form": form, "template": template})


@require_http_methods(["GET", "POST"])
def section_edit(request, pk, section_pk):
    section = get_section_for_user(request.user, pk, section_pk)
    template = section.version.template
    form = SectionForm(form_data(request), initial={"title": section.title, "guidance": section.guidance})
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.template_section_change(actor=request.user, section=section, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _say_saved(request, section.version, changed.version, "Section saved.")
            return _to_template(template, f"section-{changed.position}")
    return render(request, "tool_templates/section_form.html", {"form": form, "template": template, "section": section})


@require_http_methods(["GET", "POST"])
def section_remove(request, pk, section_pk):
    section = get_section_for_user(request.user, pk, section_pk)
    template = section.version.template
    if request.method == "POST":
        try:
            version = services.template_section_remove(actor=request.user, section=section)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            _say_saved(request, section.version, version, f"Section removed: {section.title}.")
        return _to_template(template)
    return render(
        request,
        "tool_templates/confirm_remove.html",
        {
            "template": template,
            "thing": "section",
            "name": section.title,
            "question_count": section.questions.count(),
            "section": section,
        },
    )


@require_POST
def section_move(request, pk, section_pk):
    section = get_section_for_user(request.user, pk, section_pk)
    template = section.version.template
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether to move the section up or down.")
        return _to_template(template)
    direction = form.cleaned_data["direction"]
    try:
        moved = services.template_section_move(actor=request.user, section=section, direction=direction)
    except ValidationError as exc:
        _refused(request, exc)
        return _to_template(template, f"section-{section.position}")
    _say_saved(request, section.version, moved.version, f"Section moved {direction}: {moved.title}.")
    return _to_template(template, f"section-{moved.position}")


# Questions ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def question_add(request, pk, section_pk):
    section = get_section_for_user(request.user, pk, section_pk)
    template = section.version.template
    form = QuestionForm(form_data(request), initial={"required": "yes"})
    if request.method == "POST" and form.is_valid():
        try:
            question = services.template_question_add(actor=request.user, section=section, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _say_saved(request, section.version, question.section.version, "Question added.")
            return _to_template(template, f"question-{question.section.position}-{question.position}")
    return render(
        request,
        "tool_templates/question_form.html",
        {"form": form, "template": template, "section": section, "adding": True},
    )


@require_http_methods(["GET", "POST"])
def question_edit(request, pk, question_pk):
    question = get_question_for_user(request.user, pk, question_pk)
    section = question.section
    template = section.version.template
    form = QuestionForm(form_data(request), question=question)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.template_question_change(actor=request.user, question=question, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _say_saved(request, section.version, changed.section.version, "Question saved.")
            return _to_template(template, f"question-{section.position}-{changed.position}")
    return render(
        request,
        "tool_templates/question_form.html",
        {"form": form, "template": template, "section": section, "question": question},
    )


@require_http_methods(["GET", "POST"])
def question_remove(request, pk, question_pk):
    question = get_question_for_user(request.user, pk, question_pk)
    section = question.section
    template = section.version.template
    if request.method == "POST":
        try:
            version = services.template_question_remove(actor=request.user, question=question)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            _say_saved(request, section.version, version, "Question removed.")
        return _to_template(template, f"section-{section.position}")
    return render(
        request,
        "tool_templates/confirm_remove.html",
        {"template": template, "thing": "question", "name": question.prompt, "section": section},
    )


@require_POST
def question_move(request, pk, question_pk):
    question = get_question_for_user(request.user, pk, question_pk)
    section = question.section
    template = section.version.template
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether to move the question up or down.")
        return _to_template(template)
    direction = form.cleaned_data["direction"]
    try:
        moved = services.template_question_move(actor=request.user, question=question, direction=direction)
    except ValidationError as exc:
        _refused(request, exc)
        return _to_template(template, f"question-{section.position}-{question.position}")
    _say_saved(request, section.version, moved.section.version, f"Question moved {direction}.")
    return _to_template(template, f"question-{section.position}-{moved.position}")
