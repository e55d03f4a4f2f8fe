"""Managing audit tool templates (coordinators and administrators).

Pages show a template's current version; editing goes through ``audits.tool_templates.services``,
which copies a version that rounds or tools already use instead of changing it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits.models import TemplateVersion, ToolTemplate
from audits.tool_templates import selectors, services
from audits.tool_templates.forms import (
    GradeDescriptorsForm,
    MoveForm,
    NewTemplateForm,
    QuestionForm,
    SectionForm,
    TemplateForm,
)
from audits.tool_templates.permissions import (
    get_question_for_user,
    get_section_for_user,
    get_template_for_user,
    get_version_for_user,
    require_template_management,
)
from lib.forms import form_data
from lib.views import run, save_form


def _to_template(template: ToolTemplate, anchor: str = ""):
    return redirect(template.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def _saved(before: TemplateVersion, after: TemplateVersion, text: str) -> str:
    """What to tell the user, including when their change started a new version."""
    if after.pk != before.pk:
        text += (
            f" Rounds or audit tools use version {before.number}, so the change was made in a new "
            f"version {after.number}; they keep version {before.number}."
        )
    return text


# Templates ------------------------------------------------------------------------------------


@require_GET
def template_list(request):
    require_template_management(request.user)
    return render(request, "tool_templates/template_list.html", {"templates": selectors.templates_listed()})


@require_http_methods(["GET", "POST"])
def template_add(request):
    require_template_management(request.user)
    form = NewTemplateForm(form_data(request), templates=list(ToolTemplate.objects.order_by("name")))
    if saved := save_form(
        request,
        form,
        lambda: services.template_create(
            actor=request.user,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            copy_from=form.cleaned_data["start"],
        ),
        success=lambda template: f"Template created: {template.name}.",
    ):
        return redirect(saved.result)
    return render(request, "tool_templates/template_form.html", {"form": form, "adding": True})


@require_GET
def template_detail(request, pk):
    template = get_template_for_user(request.user, pk)
    versions = selectors.template_versions(template)
    current = versions[0] if versions else None
    return render(
        request,
        "tool_templates/template_detail.html",
        {
            "template": template,
            "version": current,
            "sections": selectors.sections_of(current),
            "versions": versions,
            "frozen": current is not None and selectors.version_is_frozen(current),
            "problems": selectors.template_version_problems(current),
            "round_count": template.rounds.count(),
            "descriptors": selectors.grade_descriptor_rows(current.pk if current else None),
        },
    )


@require_http_methods(["GET", "POST"])
def template_edit(request, pk):
    template = get_template_for_user(request.user, pk)
    form = TemplateForm(form_data(request), initial={"name": template.name, "description": template.description})
    if saved := save_form(
        request,
        form,
        lambda: services.template_update(actor=request.user, template=template, **form.cleaned_data),
        success="Template name and description saved.",
    ):
        return redirect(saved.result)
    return render(request, "tool_templates/template_form.html", {"form": form, "template": template})


@require_POST
def template_make_default(request, pk):
    template = get_template_for_user(request.user, pk)
    run(
        request,
        lambda: services.template_make_default(actor=request.user, template=template),
        success=f"{template.name} is now the default template for new rounds.",
    )
    return redirect(template)


@require_GET
def template_version(request, pk, number):
    version = get_version_for_user(request.user, pk, number)
    return render(
        request,
        "tool_templates/template_version.html",
        {
            "template": version.template,
            "version": version,
            "sections": selectors.sections_of(version),
            "is_current": version.number == selectors.latest_version_number(version.template),
            "round_count": version.rounds.count(),
            "descriptors": selectors.grade_descriptor_rows(version.pk),
        },
    )


# Grade descriptors ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def template_descriptors(request, pk):
    """Change what each grade means in the template (its current version, or a new one)."""
    template = get_template_for_user(request.user, pk)
    before = template.current_version
    form = GradeDescriptorsForm(
        form_data(request),
        initial={"version": before.pk if before else None},
        descriptors=selectors.grade_descriptors(before.pk if before else None),
    )
    if save_form(
        request,
        form,
        lambda: services.template_descriptors_change(
            actor=request.user,
            template=template,
            expected_version_id=form.cleaned_data["version"],
            descriptors=form.descriptors(),
        ),
        success=lambda version: _saved(before, version, "Grade descriptors saved."),
    ):
        return _to_template(template, "grade-descriptors")
    return render(request, "tool_templates/descriptors_form.html", {"form": form, "template": template})


# Sections -------------------------------------------------------------------------------------


def _confirm_remove(request, template: ToolTemplate, section, *, thing: str, name: str, caption: str, **extra):
    return render(
        request,
        "tool_templates/confirm_remove.html",
        {
            "template": template,
            "thing": thing,
            "name": name,
            "caption": caption,
            "back_url": f"{template.get_absolute_url()}#section-{section.position}",
            **extra,
        },
    )


@require_http_methods(["GET", "POST"])
def section_add(request, pk):
    template = get_template_for_user(request.user, pk)
    form = SectionForm(form_data(request))
    before = template.current_version
    if saved := save_form(
        request,
        form,
        lambda: services.template_section_add(actor=request.user, template=template, **form.cleaned_data),
        success=lambda section: _saved(before, section.version, f"Section added: {section.title}."),
    ):
        return _to_template(template, f"section-{saved.result.position}")
    return render(request, "tool_templates/section_form.html", {"form": form, "template": template})


@require_http_methods(["GET", "POST"])
def section_edit(request, pk, section_pk):
    section = get_section_for_user(request.user, pk, section_pk)
    template = section.version.template
    form = SectionForm(form_data(request), initial={"title": section.title, "guidance": section.guidance})
    if saved := save_form(
        request,
        form,
        lambda: services.template_section_change(actor=request.user, section=section, **form.cleaned_data),
        success=lambda changed: _saved(section.version, changed.version, "Section saved."),
    ):
        return _to_template(template, f"section-{saved.result.position}")
    return render(request, "tool_templates/section_form.html", {"form": form, "template": template, "section": section})


@require_http_methods(["GET", "POST"])
def section_remove(request, pk, section_pk):
    section = get_section_for_user(request.user, pk, section_pk)
    template = section.version.template
    if request.method == "POST":
        run(
            request,
            lambda: services.template_section_remove(actor=request.user, section=section),
            success=lambda version: _saved(section.version, version, f"Section removed: {section.title}."),
        )
        return _to_template(template)
    return _confirm_remove(
        request,
        template,
        section,
        thing="section",
        name=section.title,
        caption=template.name,
        question_count=section.questions.count(),
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
    if moved := run(
        request,
        lambda: services.template_section_move(actor=request.user, section=section, direction=direction),
        success=lambda moved: _saved(section.version, moved.version, f"Section moved {direction}: {moved.title}."),
    ):
        return _to_template(template, f"section-{moved.result.position}")
    return _to_template(template, f"section-{section.position}")


# Questions ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def question_add(request, pk, section_pk):
    section = get_section_for_user(request.user, pk, section_pk)
    template = section.version.template
    form = QuestionForm(form_data(request), initial={"required": "yes"})
    if saved := save_form(
        request,
        form,
        lambda: services.template_question_add(actor=request.user, section=section, **form.cleaned_data),
        success=lambda question: _saved(section.version, question.section.version, "Question added."),
    ):
        question = saved.result
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
    if saved := save_form(
        request,
        form,
        lambda: services.template_question_change(actor=request.user, question=question, **form.cleaned_data),
        success=lambda changed: _saved(section.version, changed.section.version, "Question saved."),
    ):
        return _to_template(template, f"question-{section.position}-{saved.result.position}")
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
        run(
            request,
            lambda: services.template_question_remove(actor=request.user, question=question),
            success=lambda version: _saved(section.version, version, "Question removed."),
        )
        return _to_template(template, f"section-{section.position}")
    return _confirm_remove(
        request,
        template,
        section,
        thing="question",
        name=question.prompt,
        caption=f"{template.name}: section {section.position}, {section.title}",
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
    if moved := run(
        request,
        lambda: services.template_question_move(actor=request.user, question=question, direction=direction),
        success=lambda moved: _saved(section.version, moved.section.version, f"Question moved {direction}."),
    ):
        return _to_template(template, f"question-{section.position}-{moved.result.position}")
    return _to_template(template, f"question-{section.position}-{question.position}")
