"""Who may manage audit tool templates: whoever holds ``audits.manage_templates`` (coordinators
and administrators); 403 for everyone else."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from audits.models import TemplateQuestion, TemplateSection, TemplateVersion, ToolTemplate


def can_manage_templates(user) -> bool:
    """Coordinators and administrators manage templates."""
    return user.has_perm("audits.manage_templates")


def require_template_management(user) -> None:
    if not can_manage_templates(user):
        raise PermissionDenied


def get_template_for_user(user, pk) -> ToolTemplate:
    require_template_management(user)
    return get_object_or_404(ToolTemplate, pk=pk)


def get_version_for_user(user, template_pk, number) -> TemplateVersion:
    require_template_management(user)
    return get_object_or_404(
        TemplateVersion.objects.select_related("template", "created_by"), template_id=template_pk, number=number
    )


def _current_version_id(template_pk):
    return TemplateVersion.objects.filter(template_id=template_pk).order_by("-number").values("pk")[:1]


def get_section_for_user(user, template_pk, section_pk) -> TemplateSection:
    """A section of the template's current version: older versions are read-only (404)."""
    require_template_management(user)
    return get_object_or_404(
        TemplateSection.objects.select_related("version__template"),
        pk=section_pk,
        version__template_id=template_pk,
        version_id__in=_current_version_id(template_pk),
    )


def get_question_for_user(user, template_pk, question_pk) -> TemplateQuestion:
    """A question of the template's current version: older versions are read-only (404)."""
    require_template_management(user)
    return get_object_or_404(
        TemplateQuestion.objects.select_related("section__version__template"),
        pk=question_pk,
        section__version__template_id=template_pk,
        section__version_id__in=_current_version_id(template_pk),
    )
