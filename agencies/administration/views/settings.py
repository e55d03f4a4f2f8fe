"""The settings page: one navigation item for the pages that set the service up, listing those
the person may manage (the navigation's own predicates decide which)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from agencies.permissions import (
    can_manage_templates,
    can_manage_themes,
    can_use_admin_site,
    can_view_access_log,
    is_administrator,
    require_settings,
)


@require_GET
def settings_index(request):
    require_settings(request.user)
    user = request.user
    return render(
        request,
        "administration/settings.html",
        {
            "may_manage_templates": can_manage_templates(user),
            "may_manage_themes": can_manage_themes(user),
            "may_administer": is_administrator(user),
            "may_view_access_log": can_view_access_log(user),
            "may_use_admin_site": can_use_admin_site(user),
        },
    )
