"""Reads for audit tool templates: what the versioning rule and the pages depend on."""

from django.db.models import Count, Max, Prefetch

from audits.models import GradeDescriptor, TemplateQuestion, TemplateSection, TemplateVersion, ToolTemplate
from audits.tool_templates.descriptors import DEFAULT_DESCRIPTORS


def version_is_frozen(version: TemplateVersion) -> bool:
    """Frozen once a round pins it or an audit tool is built from it."""
    return version.rounds.exists() or version.tools.exists()


def template_version_problems(version: TemplateVersion | None) -> list[str]:
    """Why a version cannot be the default or be pinned by a round (empty when it can)."""
    if version is None:
        return ["The template has no content yet. Add a section and a question."]
    if not TemplateQuestion.objects.filter(section__version=version).exists():
        return ["The template needs at least one section with at least one question."]
    return []


def templates_listed():
    """Every template by name, with its current version number and how many rounds use it."""
    return ToolTemplate.objects.annotate(
        version_number=Max("versions__number"), round_count=Count("rounds", distinct=True)
    ).order_by("name")


def template_versions(template: ToolTemplate) -> list[TemplateVersion]:
    """A template's versions, newest (the current one) first, with how many rounds pinned each."""
    return list(
        template.versions.select_related("created_by")
        .annotate(round_count=Count("rounds", distinct=True))
        .order_by("-number")
    )


def sections_of(version: TemplateVersion | None) -> list[TemplateSection]:
    """A version's sections in order, each with its questions in order (``ordered_questions``),
    in two queries."""
    if version is None:
        return []
    questions = Prefetch(
        "questions", queryset=TemplateQuestion.objects.order_by("position"), to_attr="ordered_questions"
    )
    return list(version.sections.order_by("position").prefetch_related(questions))


def latest_version_number(template: ToolTemplate) -> int | None:
    return template.versions.aggregate(latest=Max("number"))["latest"]


def grade_descriptors(version_id: int | None) -> dict[str, str]:
    """What each grade means in a version, by grade value, in the scale's order (one query).

    A version made before templates had descriptors has none of its own and shows the general
    ones (``DEFAULT_DESCRIPTORS``); a descriptor its editors left blank is not shown (absent)."""
    if version_id is None:
        return {}
    saved = dict(GradeDescriptor.objects.filter(version_id=version_id).values_list("grade", "text"))
    source = saved if saved else DEFAULT_DESCRIPTORS
    return {grade: source[grade].strip() for grade in TemplateQuestion.Grade.values if source.get(grade, "").strip()}


def grade_descriptor_rows(version_id: int | None) -> list[dict]:
    """The descriptors for a page: each grade's ``grade``, ``label`` and ``text`` ("" when none)."""
    texts = grade_descriptors(version_id)
    return [
        {"grade": grade, "label": label, "text": texts.get(grade, "")}
        for grade, label in TemplateQuestion.Grade.choices
    ]
