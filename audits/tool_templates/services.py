"""Writes to audit tool templates: the template itself, its sections and its questions.

The versioning rule: a version that a round has pinned, or that any audit tool is built from, is
frozen. Every editing service first asks for an editable version: the current one if nothing uses
it yet, otherwise a copy of it (sections and questions) numbered one higher, where the change is
then made. So an edit never changes a tool that agencies have already begun, and a round always
shows the questions it opened with.

Positions of sections in a version, and of questions in a section, always run 1..N with no gaps.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from audits.models import GradeDescriptor, TemplateQuestion, TemplateSection, TemplateVersion, ToolTemplate
from audits.tool_templates.descriptors import DEFAULT_DESCRIPTORS
from audits.tool_templates.permissions import require_template_management
from audits.tool_templates.selectors import grade_descriptors, template_version_problems, version_is_frozen
from lib.models import delete_by, locked

UP, DOWN = "up", "down"
STALE = "This template has changed since you opened the page. Check it and try again."
# Positions start at 1; a swap parks one item here so the (version, position) and
# (section, position) unique constraints hold at every step.
_PARKED = 0


# Templates ------------------------------------------------------------------------------------


def _check_name_free(name: str, *, exclude_pk=None) -> None:
    others = ToolTemplate.objects.filter(name__iexact=name.strip())
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError({"name": f"There is already a template called {name.strip()}. Choose another name."})


@transaction.atomic
def template_create(*, actor, name: str, description: str = "", copy_from: ToolTemplate | None = None) -> ToolTemplate:
    """A new template at version 1: a copy of another template's current version, or one empty
    section to start from. It is never the default until someone makes it so."""
    require_template_management(actor)
    _check_name_free(name)
    template = ToolTemplate(name=name.strip(), description=description)
    template.full_clean()
    template.save_by(actor)
    source = copy_from.current_version if copy_from is not None else None
    if source is not None:
        _copy_version(actor=actor, source=source, template=template, number=1)
    else:
        version = TemplateVersion(template=template, number=1, created_by=actor)
        version.full_clean()
        version.save()
        section = TemplateSection(version=version, position=1, title="Section 1")
        section.full_clean()
        section.save()
        _write_descriptors(version, DEFAULT_DESCRIPTORS)
    return template


@transaction.atomic
def template_update(*, actor, template: ToolTemplate, name: str, description: str) -> ToolTemplate:
    """Name and description belong to the template, not a version: rounds show the new name."""
    require_template_management(actor)
    # Editors of one template queue here, so two edits never both copy the same frozen version.
    template = locked(template)
    _check_name_free(name, exclude_pk=template.pk)
    template.name = name.strip()
    template.description = description
    template.full_clean()
    template.save_by(actor)
    return template


@transaction.atomic
def template_make_default(*, actor, template: ToolTemplate) -> ToolTemplate:
    """The default is proposed for new rounds, so it must have at least one question."""
    require_template_management(actor)
    # Every template row, in a fixed order: two people choosing different defaults at once then
    # take turns instead of both passing the checks and colliding on the one-default constraint.
    list(ToolTemplate.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    template = locked(template)
    problems = template_version_problems(template.current_version)
    if problems:
        raise ValidationError(problems)
    if template.is_default:
        return template
    # One default at a time (a partial unique constraint): clear the old one first.
    for old in ToolTemplate.objects.select_for_update().filter(is_default=True):
        old.is_default = False
        old.save_by(actor, update_fields=["is_default"])
    template.is_default = True
    template.full_clean()
    template.save_by(actor)
    return template


# Versions -------------------------------------------------------------------------------------


def _copy_version(*, actor, source: TemplateVersion, template: ToolTemplate, number: int) -> TemplateVersion:
    version = TemplateVersion(template=template, number=number, created_by=actor)
    version.full_clean()
    version.save()
    sections = list(source.sections.prefetch_related("questions"))
    for old in sections:
        section = TemplateSection.objects.create(
            version=version, position=old.position, title=old.title, guidance=old.guidance
        )
        TemplateQuestion.objects.bulk_create(
            TemplateQuestion(
                section=section,
                position=q.position,
                prompt=q.prompt,
                guidance=q.guidance,
                kind=q.kind,
                required=q.required,
            )
            for q in old.questions.all()
        )
    # The descriptors the source shows (its own, or the general ones if it predates them).
    _write_descriptors(version, grade_descriptors(source.pk))
    return version


def _write_descriptors(version: TemplateVersion, texts: dict) -> None:
    """One row per grade (blank where ``texts`` has none): the version then has its own."""
    GradeDescriptor.objects.bulk_create(
        GradeDescriptor(version=version, grade=grade, text=texts.get(grade, "")) for grade in TemplateQuestion.Grade
    )


def _editable_version(
    *, actor, template_id: int, expected_version_id: int | None
) -> tuple[ToolTemplate, TemplateVersion]:
    """Lock the template, check the page was built from its current version (when it matters),
    and return the version to change: the current one, or a new copy of it when that is frozen."""
    # Editors of one template queue here, so two edits never both copy the same frozen version.
    template = locked(ToolTemplate(pk=template_id))
    current = template.current_version
    if current is None or (expected_version_id is not None and current.pk != expected_version_id):
        raise ValidationError(STALE)
    template.save_by(actor, update_fields=())
    if not version_is_frozen(current):
        return template, current
    return template, _copy_version(actor=actor, source=current, template=template, number=current.number + 1)


def _refetch(model, pk):
    try:
        return model.objects.select_related("version" if model is TemplateSection else "section__version").get(pk=pk)
    except model.DoesNotExist as exc:
        raise ValidationError(STALE) from exc


def _section_in(version: TemplateVersion, section: TemplateSection) -> TemplateSection:
    """The section itself, or its copy in a newer version (copies keep positions)."""
    if section.version_id == version.pk:
        return section
    return version.sections.get(position=section.position)


def _question_in(version: TemplateVersion, question: TemplateQuestion) -> TemplateQuestion:
    if question.section.version_id == version.pk:
        return question
    return TemplateQuestion.objects.get(
        section__version=version, section__position=question.section.position, position=question.position
    )


def _require_usable_default(template: ToolTemplate, version: TemplateVersion) -> None:
    if template.is_default and template_version_problems(version):
        raise ValidationError(
            "The default template must keep at least one question. Make another template the default first."
        )


def _move(item, siblings, direction: str, noun: str):
    """Swap an item with its neighbour, parking it first so positions stay unique throughout."""
    if direction not in (UP, DOWN):
        raise ValidationError("Choose whether to move up or down.")
    target = item.position - 1 if direction == UP else item.position + 1
    neighbour = siblings.filter(position=target).first()
    if neighbour is None:
        raise ValidationError(f"The {noun} is already {'first' if direction == UP else 'last'}.")
    old = item.position
    item.position = _PARKED
    item.save(update_fields=["position"])
    neighbour.position = old
    neighbour.full_clean()
    neighbour.save(update_fields=["position"])
    item.position = target
    item.full_clean()
    item.save(update_fields=["position"])
    return item


def _close_gap(siblings, removed_position: int) -> None:
    # Lowest first: each item moves into the slot just freed, so no two ever share a position.
    for item in siblings.filter(position__gt=removed_position).order_by("position"):
        item.position -= 1
        item.save(update_fields=["position"])


# Grade descriptors ----------------------------------------------------------------------------


@transaction.atomic
def template_descriptors_change(
    *, actor, template: ToolTemplate, expected_version_id: int, descriptors: dict
) -> TemplateVersion:
    """Set what each grade means (``descriptors``: grade value to text; blank shows none) in the
    template's current version, or in a new version when that one is frozen. Saving the same
    text again changes nothing and starts no version. Returns the version that holds them."""
    require_template_management(actor)
    texts = {grade: (descriptors.get(grade) or "").strip() for grade in TemplateQuestion.Grade.values}
    for grade, text in texts.items():
        GradeDescriptor(grade=grade, text=text).clean_fields(exclude=["version"])
    current = locked(template).current_version
    if current is not None and current.pk == expected_version_id:
        shown = grade_descriptors(current.pk)
        if all(shown.get(grade, "") == text for grade, text in texts.items()):
            return current
    _, editable = _editable_version(actor=actor, template_id=template.pk, expected_version_id=expected_version_id)
    editable.grade_descriptors.all().delete()
    _write_descriptors(editable, texts)
    return editable


# Sections -------------------------------------------------------------------------------------


@transaction.atomic
def template_section_add(*, actor, template: ToolTemplate, title: str, guidance: str = "") -> TemplateSection:
    """Add a section at the end of the template's current version."""
    require_template_management(actor)
    _, editable = _editable_version(actor=actor, template_id=template.pk, expected_version_id=None)
    position = editable.sections.count() + 1
    section = TemplateSection(version=editable, position=position, title=title, guidance=guidance)
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def template_section_change(*, actor, section: TemplateSection, title: str, guidance: str) -> TemplateSection:
    """Change a section's title and guidance."""
    require_template_management(actor)
    section = _refetch(TemplateSection, section.pk)
    _, editable = _editable_version(
        actor=actor, template_id=section.version.template_id, expected_version_id=section.version_id
    )
    section = _section_in(editable, section)
    section.title = title
    section.guidance = guidance
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def template_section_remove(*, actor, section: TemplateSection) -> TemplateVersion:
    """Remove a section and its questions; the sections after it move up one place."""
    require_template_management(actor)
    section = _refetch(TemplateSection, section.pk)
    template, editable = _editable_version(
        actor=actor, template_id=section.version.template_id, expected_version_id=section.version_id
    )
    section = _section_in(editable, section)
    position = section.position
    delete_by(section, actor)
    _close_gap(editable.sections.all(), position)
    _require_usable_default(template, editable)
    return editable


@transaction.atomic
def template_section_move(*, actor, section: TemplateSection, direction: str) -> TemplateSection:
    """Move a section up or down."""
    require_template_management(actor)
    section = _refetch(TemplateSection, section.pk)
    _, editable = _editable_version(
        actor=actor, template_id=section.version.template_id, expected_version_id=section.version_id
    )
    section = _section_in(editable, section)
    return _move(section, editable.sections.exclude(pk=section.pk), direction, "section")


# Questions ------------------------------------------------------------------------------------


def _question_fields(prompt: str, guidance: str, kind: str, required: bool) -> dict:
    return {"prompt": prompt, "guidance": guidance, "kind": kind, "required": required}


@transaction.atomic
def template_question_add(
    *, actor, section: TemplateSection, prompt: str, guidance: str = "", kind: str, required: bool = True
) -> TemplateQuestion:
    """Add a question at the end of a section."""
    require_template_management(actor)
    section = _refetch(TemplateSection, section.pk)
    _, editable = _editable_version(
        actor=actor, template_id=section.version.template_id, expected_version_id=section.version_id
    )
    section = _section_in(editable, section)
    question = TemplateQuestion(
        section=section, position=section.questions.count() + 1, **_question_fields(prompt, guidance, kind, required)
    )
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def template_question_change(
    *, actor, question: TemplateQuestion, prompt: str, guidance: str, kind: str, required: bool
) -> TemplateQuestion:
    """Change a question's prompt, guidance, kind of answer and whether it is required."""
    require_template_management(actor)
    question = _refetch(TemplateQuestion, question.pk)
    _, editable = _editable_version(
        actor=actor, template_id=question.section.version.template_id, expected_version_id=question.section.version_id
    )
    question = _question_in(editable, question)
    for name, value in _question_fields(prompt, guidance, kind, required).items():
        setattr(question, name, value)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def template_question_remove(*, actor, question: TemplateQuestion) -> TemplateVersion:
    """Remove a question; the questions after it in its section move up one place."""
    require_template_management(actor)
    question = _refetch(TemplateQuestion, question.pk)
    template, editable = _editable_version(
        actor=actor, template_id=question.section.version.template_id, expected_version_id=question.section.version_id
    )
    question = _question_in(editable, question)
    section, position = question.section, question.position
    delete_by(question, actor)
    _close_gap(section.questions.all(), position)
    _require_usable_default(template, editable)
    return editable


@transaction.atomic
def template_question_move(*, actor, question: TemplateQuestion, direction: str) -> TemplateQuestion:
    """Move a question up or down within its section."""
    require_template_management(actor)
    question = _refetch(TemplateQuestion, question.pk)
    _, editable = _editable_version(
        actor=actor, template_id=question.section.version.template_id, expected_version_id=question.section.version_id
    )
    question = _question_in(editable, question)
    return _move(question, question.section.questions.exclude(pk=question.pk), direction, "question")
