"""The practice-theme list that tags strengths, findings and key messages (coordinators and
administrators)."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from audits.learning import services
from audits.learning.forms import ThemeForm
from audits.learning.permissions import get_theme_for_user, require_theme_management
from audits.learning.selectors import themes_with_use
from lib.forms import form_data
from lib.views import save_form


@require_GET
def theme_list(request):
    require_theme_management(request.user)
    return render(request, "learning/themes/theme_list.html", {"themes": themes_with_use()})


@require_http_methods(["GET", "POST"])
def theme_add(request):
    require_theme_management(request.user)
    form = ThemeForm(form_data(request), initial={"is_active": True})
    if save_form(
        request,
        form,
        lambda: services.theme_create(actor=request.user, **form.cleaned_data),
        success=lambda theme: f"Practice theme added: {theme.name}.",
    ):
        return redirect("audits:theme-list")
    return render(request, "learning/themes/theme_form.html", {"form": form, "adding": True})


@require_http_methods(["GET", "POST"])
def theme_edit(request, pk):
    theme = get_theme_for_user(request.user, pk)
    form = ThemeForm(
        form_data(request), initial={"name": theme.name, "description": theme.description, "is_active": theme.is_active}
    )
    if save_form(
        request,
        form,
        lambda: services.theme_update(actor=request.user, theme=theme, **form.cleaned_data),
        success=lambda theme: f"Practice theme saved: {theme.name}.",
    ):
        return redirect("audits:theme-list")
    return render(request, "learning/themes/theme_form.html", {"form": form, "theme": theme})
