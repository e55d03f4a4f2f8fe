"""People: the list, inviting someone, their page, and the changes to their access (each with a
confirmation step). Administrators only, except confirming a new coordinator, which confirmed
coordinators may do too."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from agencies import roles
from agencies.access_log.services import client_ip
from agencies.administration import permissions, selectors, services
from agencies.administration.forms import AccessForm, InviteForm
from agencies.models import Membership
from lib.forms import form_data
from lib.pagination import pagination
from lib.views import run, save_form

CONFIRMED = "confirmed"


@require_GET
def administration(request):
    permissions.require_administrator(request.user)
    return render(request, "administration/index.html")


@require_GET
def person_list(request):
    permissions.require_administrator(request.user)
    page = selectors.people_page(request.GET.get("page"))
    return render(request, "administration/person_list.html", {"page": page, "pages": pagination(request, page)})


@require_http_methods(["GET", "POST"])
def person_invite(request):
    permissions.require_administrator(request.user)
    form = InviteForm(form_data(request))
    if saved := save_form(
        request,
        form,
        lambda: services.person_invite(actor=request.user, origin=client_ip(request), **form.service_kwargs()),
        success=lambda person: f"Invitation sent to {person.email}. The link works once, for a limited time.",
    ):
        return redirect("administration:person-detail", saved.result.pk)
    return render(
        request,
        "administration/person_invite.html",
        {"form": form, "back_url": reverse("administration:person-list"), "invitation_days": settings.INVITATION_DAYS},
    )


def _held(person) -> list[str]:
    held = [group.name for group in person.groups.all()]
    membership = person.membership
    if membership is not None:
        held.append(f"{membership.get_role_display()}, {membership.agency.name}")
    return held


@require_GET
def person_detail(request, pk):
    person = permissions.get_person_for_user(request.user, pk)
    changeable = permissions.can_change_person(request.user, person)
    coordinator = permissions.holds_coordinator_role(person)
    return render(
        request,
        "administration/person_detail.html",
        {
            "person": person,
            "held": _held(person),
            "changeable": changeable,
            "coordinator": coordinator,
            "confirmable": coordinator and not permissions.confirmation_refusal(request.user, person),
            "confirmation_refusal": permissions.confirmation_refusal(request.user, person) if coordinator else "",
            "invite_again": changeable and services.can_invite_again(person),
        },
    )


def _access_initial(person) -> dict:
    membership = person.membership
    return {
        "roles": [group.name for group in person.groups.all() if group.name in roles.ROLE_PERMISSIONS],
        "agency": membership.agency if membership else None,
        "agency_role": membership.role if membership else "",
    }


@require_http_methods(["GET", "POST"])
def person_access(request, pk):
    """Change a person's roles and agency: the form, then a page that says what will change and
    asks to confirm it (the form's answers carried in hidden fields), then the change."""
    person = permissions.get_person_for_user(request.user, pk)
    permissions.require_change_person(request.user, person)
    form = AccessForm(form_data(request), initial=_access_initial(person))
    back_url = reverse("administration:person-detail", args=[person.pk])
    if request.method == "POST" and form.is_valid() and request.POST.get(CONFIRMED) != "yes":
        return render(
            request,
            "administration/person_access_confirm.html",
            {
                "person": person,
                "form": form,
                "back_url": back_url,
                "hidden": _carried(request.POST),
                "agency_role_label": Membership.Role(form.cleaned_data["agency_role"]).label
                if form.cleaned_data["agency_role"]
                else "",
            },
        )
    if save_form(
        request,
        form,
        lambda: services.person_access_change(
            actor=request.user, person=person, origin=client_ip(request), **form.service_kwargs()
        ),
        success=f"Access changed for {person}. The administrators and coordinators have been told.",
    ):
        return redirect(back_url)
    return render(request, "administration/person_access.html", {"person": person, "form": form, "back_url": back_url})


def _carried(post) -> list[tuple[str, str]]:
    return [
        (name, value) for name in post if name not in ("csrfmiddlewaretoken", CONFIRMED) for value in post.getlist(name)
    ]


def _action_page(request, pk, *, template, call, success):
    """A one-button action on a person: GET shows the confirmation page, POST does it."""
    person = permissions.get_person_for_user(request.user, pk)
    permissions.require_change_person(request.user, person)
    back_url = reverse("administration:person-detail", args=[person.pk])
    if request.method == "POST":
        run(
            request, lambda: call(actor=request.user, person=person, origin=client_ip(request)), success=success(person)
        )
        return redirect(back_url)
    return render(request, template, {"person": person, "back_url": back_url})


@require_http_methods(["GET", "POST"])
def person_deactivate(request, pk):
    return _action_page(
        request,
        pk,
        template="administration/person_deactivate.html",
        call=services.person_deactivate,
        success=lambda person: f"{person}'s account has been deactivated.",
    )


@require_http_methods(["GET", "POST"])
def person_reactivate(request, pk):
    return _action_page(
        request,
        pk,
        template="administration/person_reactivate.html",
        call=services.person_reactivate,
        success=lambda person: f"{person}'s account has been reactivated.",
    )


@require_http_methods(["GET", "POST"])
def person_two_factor_reset(request, pk):
    return _action_page(
        request,
        pk,
        template="administration/person_two_factor_reset.html",
        call=services.person_two_factor_reset,
        success=lambda person: (
            f"Two-factor sign-in reset for {person}. They will set it up again when they next sign in."
        ),
    )


@require_http_methods(["GET", "POST"])
def person_invite_again(request, pk):
    return _action_page(
        request,
        pk,
        template="administration/person_invite_again.html",
        call=services.invitation_resend,
        success=lambda person: f"A new invitation has been sent to {person.email}. Older links no longer work.",
    )


@require_http_methods(["GET", "POST"])
def coordinator_confirm(request, pk):
    """Confirm a new coordinator, so that they may see children's identifiers: the page says who
    they are and who gave them the role, or why they cannot be confirmed yet."""
    person = permissions.get_person_to_confirm(request.user, pk)
    refusal = permissions.confirmation_refusal(request.user, person)
    back_url = (
        reverse("administration:person-detail", args=[person.pk])
        if permissions.is_administrator(request.user)
        else reverse("home")
    )
    if request.method == "POST":
        if run(
            request,
            lambda: services.coordinator_confirm(actor=request.user, person=person, origin=client_ip(request)),
            success=f"{person} is confirmed and can now see children's identifiers.",
        ):
            return redirect(back_url)
        refusal = permissions.confirmation_refusal(request.user, person)
    return render(
        request,
        "administration/coordinator_confirm.html",
        {"person": person, "refusal": refusal, "back_url": back_url, "granted_by": person.coordinator_granted_by},
    )
