"""Agencies (with their leads), areas and needs: lists, adding and changing. Administrators only.
Practice themes have their own pages (audits.learning), linked from the administration page."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from agencies.administration import selectors, services
from agencies.administration.forms import AgencyForm, AreaForm, NeedForm
from agencies.administration.permissions import require_administrator
from agencies.models import Agency, Area
from audits.models import Need
from lib.forms import form_data
from lib.views import save_form


@require_GET
def agency_list(request):
    require_administrator(request.user)
    return render(request, "administration/agency_list.html", {"agencies": selectors.agencies_with_leads()})


def _form_page(request, *, form, call, success, thing, back, obj=None):
    if save_form(request, form, lambda: call(**form.cleaned_data), success=success):
        return redirect(back)
    return render(
        request,
        "administration/organisation_form.html",
        {
            "form": form,
            "thing": thing,
            "article": "an" if thing[0] in "aeiou" else "a",
            "obj": obj,
            "back_url": reverse(back),
        },
    )


@require_http_methods(["GET", "POST"])
def agency_add(request):
    require_administrator(request.user)
    return _form_page(
        request,
        form=AgencyForm(form_data(request), initial={"is_active": True}),
        call=lambda **data: services.agency_create(actor=request.user, **data),
        success=lambda agency: f"Agency added: {agency.name}.",
        thing="agency",
        back="administration:agency-list",
    )


@require_http_methods(["GET", "POST"])
def agency_edit(request, pk):
    require_administrator(request.user)
    agency = get_object_or_404(Agency, pk=pk)
    return _form_page(
        request,
        form=AgencyForm(form_data(request), instance=Agency.objects.get(pk=agency.pk)),
        call=lambda **data: services.agency_update(actor=request.user, agency=agency, **data),
        success=lambda agency: f"Agency saved: {agency.name}.",
        thing="agency",
        back="administration:agency-list",
        obj=agency,
    )


@require_GET
def area_list(request):
    require_administrator(request.user)
    return render(request, "administration/area_list.html", {"areas": Area.objects.order_by("name")})


@require_http_methods(["GET", "POST"])
def area_add(request):
    require_administrator(request.user)
    return _form_page(
        request,
        form=AreaForm(form_data(request)),
        call=lambda **data: services.area_create(actor=request.user, **data),
        success=lambda area: f"Area added: {area.name}.",
        thing="area",
        back="administration:area-list",
    )


@require_http_methods(["GET", "POST"])
def area_edit(request, pk):
    require_administrator(request.user)
    area = get_object_or_404(Area, pk=pk)
    return _form_page(
        request,
        form=AreaForm(form_data(request), instance=Area.objects.get(pk=area.pk)),
        call=lambda **data: services.area_update(actor=request.user, area=area, **data),
        success=lambda area: f"Area saved: {area.name}.",
        thing="area",
        back="administration:area-list",
        obj=area,
    )


@require_GET
def need_list(request):
    require_administrator(request.user)
    return render(request, "administration/need_list.html", {"needs": Need.objects.order_by("name")})


@require_http_methods(["GET", "POST"])
def need_add(request):
    require_administrator(request.user)
    return _form_page(
        request,
        form=NeedForm(form_data(request)),
        call=lambda **data: services.need_create(actor=request.user, **data),
        success=lambda need: f"Need added: {need.name}.",
        thing="need",
        back="administration:need-list",
    )


@require_http_methods(["GET", "POST"])
def need_edit(request, pk):
    require_administrator(request.user)
    need = get_object_or_404(Need, pk=pk)
    return _form_page(
        request,
        form=NeedForm(form_data(request), instance=Need.objects.get(pk=need.pk)),
        call=lambda **data: services.need_update(actor=request.user, need=need, **data),
        success=lambda need: f"Need saved: {need.name}.",
        thing="need",
        back="administration:need-list",
        obj=need,
    )
