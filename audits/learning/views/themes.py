"""The practice-theme list that tags strengths, findings and key messages (coordinators and
administrators)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from audits.learning.forms import ThemeForm
from audits.meetings import services
from audits.meetings.permissions import get_theme_for_user, require_theme_management
from audits.models import PracticeTheme
from lib.forms import add_service_errors, form_data


@require_GET
def theme_list(request):
    require_theme_management(request.user)
    themes = PracticeTheme.objects.annotate(use_count=Count("learning_points")).order_by("-is_active", "name")
    return render(request, "learning/themes/theme_list.html", {"themes": themes})


@require_http_methods(["GET", "POST"])
def theme_add(request):
    require_theme_management(request.user)
    form = ThemeForm(form_data(request), initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Practice theme added: {theme.name}.")
            return redirect("audits:theme-list")
    return render(request, "learning/themes/theme_form.html", {"form": form, "adding": True})


@require_http_methods(["GET", "POST"])
def theme_edit(request, pk):
    theme = get_theme_for_user(request.user, pk)
    form = ThemeForm(
        form_data(request), initial={"name": theme.name, "description": theme.description, "is_active": theme.is_active}
    )
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_update(actor=request.user, theme=theme, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Practice theme saved: {theme.name}.")
            return redirect("audits:theme-list")
    return render(request, "learning/themes/theme_form.html", {"form": form, "theme": theme})
