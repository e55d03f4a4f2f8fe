"""The help pages: thin views over audits/help/content.py and the partnership's settings."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from audits.help.content import GLOSSARY, GRADES, GUIDES, GUIDES_BY_SLUG, guides_for
from audits.help.permissions import require_help_access


@require_safe
def help_index(request):
    require_help_access(request.user)
    yours = guides_for(request.user)
    return render(
        request,
        "help/help_index.html",
        {"guides": [{"guide": guide, "yours": guide.slug in yours} for guide in GUIDES]},
    )


@require_safe
def glossary(request):
    require_help_access(request.user)
    return render(request, "help/glossary.html", {"terms": GLOSSARY})


@require_safe
def grades(request):
    require_help_access(request.user)
    return render(request, "help/grades.html", {"grades": GRADES})


@require_safe
def round_guide(request, role):
    require_help_access(request.user)
    guide = GUIDES_BY_SLUG.get(role)
    if guide is None:
        raise Http404
    milestones = settings.ROUND_MILESTONE_OFFSETS
    return render(
        request,
        guide.template,
        {
            "guide": guide,
            "guides": GUIDES,
            "weeks": {name: days // 7 if days % 7 == 0 else None for name, days in milestones.items()},
            "days": milestones,
            "reminder_days": settings.REMINDER_DAYS_BEFORE,
            "retention_days": settings.RETENTION_DAYS_AFTER_CLOSE,
            "four_eyes": settings.BRIEFING_FOUR_EYES,
            "invitation_days": settings.INVITATION_DAYS,
        },
    )


def _partnership():
    """The partnership-specific wording of the statement and the notice (config/settings.py)."""
    return {
        "controller": settings.DATA_CONTROLLER,
        "dpo_email": settings.DATA_PROTECTION_EMAIL,
        "support_email": settings.SUPPORT_EMAIL,
    }


@login_not_required  # published for everyone, signed in or not
@require_safe
def accessibility_statement(request):
    return render(
        request,
        "help/accessibility_statement.html",
        {
            **_partnership(),
            "prepared": settings.ACCESSIBILITY_STATEMENT_PREPARED,
            "reviewed": settings.ACCESSIBILITY_STATEMENT_REVIEWED,
            "session_minutes": settings.SESSION_COOKIE_AGE // 60,
        },
    )


@login_not_required  # published for everyone, signed in or not
@require_safe
def privacy_notice(request):
    return render(
        request,
        "help/privacy_notice.html",
        {
            **_partnership(),
            "updated": settings.PRIVACY_NOTICE_UPDATED,
            "retention_days": settings.RETENTION_DAYS_AFTER_CLOSE,
            "export_hours": settings.EXPORT_KEEP_HOURS,
            "session_minutes": settings.SESSION_COOKIE_AGE // 60,
        },
    )
