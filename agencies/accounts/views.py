"""Two-factor sign-in pages and "Your account" (password, recovery codes).

Every page here is about the signed-in person's own account: there is no other record to check
access to, so each view starts from ``request.user``. Anonymous people are sent to sign in by
LoginRequiredMiddleware; ``agencies.accounts.middleware.TwoFactorMiddleware`` keeps unverified sessions on
the two-factor pages."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agencies import roles
from agencies.access_log.services import Kind, client_ip, record
from agencies.accounts import forms, throttle
from agencies.accounts import two_factor as services
from agencies.models import normalise_email
from lib.forms import add_service_errors, form_data

logger = logging.getLogger(__name__)

NEXT = "next"


def safe_next(request) -> str:
    """Where to go once verified: the ``next`` asked for, if it is a page of this service."""
    target = request.POST.get(NEXT) or request.GET.get(NEXT) or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _unverified_page(request, template, context):
    # Until the code is checked, the service menu would only lead back here: it is left out, and
    # the page offers its own "Sign out".
    if not request.user.is_verified():
        context["navigation"] = []
    return render(request, template, context)


@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_code(request):
    """ "Enter the code from your authenticator app", after the password."""
    user = request.user
    if user.is_verified():
        return redirect(safe_next(request))
    if not services.has_authenticator(user):
        services.forget_cached_state(request)
        return redirect(_with_next(reverse("two-factor-set-up"), request))
    form = forms.SignInCodeForm(form_data(request))
    if form.is_valid():
        try:
            verified = services.two_factor_verify(
                actor=user,
                request=request,
                code=form.cleaned_data["code"],
                recovery_code=form.cleaned_data["recovery_code"],
            )
        except services.ThrottledError as exc:
            form.add_error(_code_field(form), services.throttle_message(exc.until))
        else:
            if verified:
                return redirect(safe_next(request))
            if form.cleaned_data["recovery_code"]:
                form.add_error("recovery_code", "That recovery code is wrong or has been used: check it and try again")
            else:
                form.add_error("code", "That code is wrong or has expired: enter the code the app shows now")
    return _unverified_page(
        request,
        "registration/two_factor_code.html",
        {"form": form, "next": safe_next(request), "recovery_open": bool(form.data.get("recovery_code"))},
    )


def _code_field(form):
    return "recovery_code" if form.cleaned_data.get("recovery_code") else "code"


def _with_next(url, request):
    target = safe_next(request)
    if target == reverse("home"):
        return url
    return f"{url}?{urlencode({NEXT: target})}"


@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_set_up(request):
    """Set up an authenticator app: scan the QR code (or type the key), then enter the first code.

    Someone who has an authenticator already must verify with it before setting up a new one, so
    that a password alone never replaces the second factor."""
    user = request.user
    if services.has_authenticator(user) and not user.is_verified():
        return redirect(_with_next(reverse("two-factor-code"), request))
    if services.needs_confirmation(request):
        return _confirm_first(request, doing="set up a new authenticator app")
    device = services.pending_authenticator(request)
    form = forms.SetUpCodeForm(form_data(request))
    if form.is_valid():
        try:
            codes = services.two_factor_set_up(
                actor=user, request=request, device=device, code=form.cleaned_data["code"]
            )
        except services.ThrottledError as exc:
            form.add_error("code", services.throttle_message(exc.until))
        else:
            if codes is not None:
                request.session[services.SESSION_NEW_CODES] = {"codes": codes, "next": safe_next(request)}
                return redirect("two-factor-recovery-codes")
            form.add_error("code", "That code is wrong or has expired: enter the code the app shows now")
    return _unverified_page(
        request,
        "registration/two_factor_set_up.html",
        {
            "form": form,
            "next": safe_next(request),
            "qr_code": services.qr_code_svg(device),
            "text_key": services.text_key(device),
            "replacing": services.has_authenticator(user),
        },
    )


def _confirm_first(request, *, doing: str):
    """ "Confirm it's you": the password and a current code, asked on the page of the change
    (``doing``) before it is shown. Right, and the same page is shown again, now for the change
    (for CONFIRM_SECONDS); wrong, and the error summary says which (the password is not shown again)."""
    form = forms.ConfirmIdentityForm(form_data(request))
    if form.is_valid():
        try:
            services.two_factor_confirm(
                actor=request.user,
                request=request,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except services.ThrottledError as exc:
            form.add_error("code", services.throttle_message(exc.until))
        else:
            return redirect(request.get_full_path())
    return render(
        request,
        "registration/confirm_identity.html",
        {"form": form, "doing": doing, "back_url": reverse("account"), "minutes": services.CONFIRM_SECONDS // 60},
    )


@require_safe
def two_factor_recovery_codes(request):
    """The recovery codes just made, shown once: they leave the session as the page is made (by
    a GET: a HEAD, which shows nothing, leaves them)."""
    new = request.session.get(services.SESSION_NEW_CODES)
    if request.method == "GET":
        request.session.pop(services.SESSION_NEW_CODES, None)
    if not new:
        messages.info(request, "Recovery codes are shown only once. You can get new ones from this page.")
        return redirect("account")
    return render(
        request,
        "registration/two_factor_recovery_codes.html",
        {"codes": new["codes"], "continue_url": new.get("next") or reverse("home")},
    )


@require_safe
def account(request):
    """ "Your account": who you are, your role, two-factor sign-in and your password."""
    user = request.user
    authenticator = services.authenticator_for(user)
    membership = user.membership
    roles_held = roles.role_names(user)
    if membership is not None:
        roles_held.append(f"{membership.get_role_display()}, {membership.agency.name}")
    return render(
        request,
        "registration/account.html",
        {
            "account_user": user,
            "roles_held": roles_held,
            "authenticator": authenticator,
            "recovery_codes_left": services.recovery_codes_left(user) if authenticator else 0,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def recovery_codes_new(request):
    """ "Get new recovery codes": a confirmation page, then 10 new codes shown once."""
    user = request.user
    if not services.has_authenticator(user):
        return redirect("two-factor-set-up")
    if not user.is_verified():
        return redirect(_with_next(reverse("two-factor-code"), request))
    if services.needs_confirmation(request):
        return _confirm_first(request, doing="get new recovery codes")
    if request.method == "POST":
        codes = services.recovery_codes_replace(actor=user, request=request)
        request.session[services.SESSION_NEW_CODES] = {"codes": codes, "next": reverse("account")}
        return redirect("two-factor-recovery-codes")
    return render(request, "registration/recovery_codes_new.html", {"back_url": reverse("account")})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change: the session that changed it stays signed in (the auth hash is
    updated); every other session of the account is signed out, as its hash no longer matches."""

    template_name = "registration/password_change.html"
    # Not PUT, which Django's form views treat as POST.
    http_method_names = ["get", "head", "post"]
    form_class = forms.ChangePasswordForm
    success_url = reverse_lazy("account")

    def get_context_data(self, **kwargs):
        return super().get_context_data(back_url=reverse("account"), **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        record(Kind.PASSWORD_CHANGED, request=self.request, user=self.request.user)
        messages.success(self.request, "Your password has been changed. You have been signed out everywhere else.")
        return response


password_change = PasswordChangeView.as_view()


@require_POST
def keep_alive(request):
    """Extend the session (the timeout warning's "Stay signed in"). Needs a signed-in user, like
    every view; saving the session on each request is what extends it."""
    request.session.modified = True
    return HttpResponse(status=204)


class PasswordResetView(auth_views.PasswordResetView):
    """ "Forgotten your password?": the e-mail with a link is sent at most
    PASSWORD_RESET_PER_ADDRESS times an hour to one address and PASSWORD_RESET_PER_CLIENT times an
    hour for one client's address. Over either, nothing is sent, and the page says what it says
    every time ("if the address belongs to an account, we have sent it a link"), so that it
    tells nobody whether an address has an account or has been throttled."""

    def form_valid(self, form):
        email = normalise_email(form.cleaned_data["email"])
        # Both are counted on every request, so that one cannot be worked around by the other.
        by_address = throttle.within_limit(
            "password-reset-address", email, limit=settings.PASSWORD_RESET_PER_ADDRESS, window_seconds=3600
        )
        by_client = throttle.within_limit(
            "password-reset-client",
            client_ip(self.request) or "unknown",
            limit=settings.PASSWORD_RESET_PER_CLIENT,
            window_seconds=3600,
        )
        if by_address and by_client:
            return super().form_valid(form)
        logger.warning(
            "Password reset over the limit for %s: no e-mail sent", "an address" if by_client else "a client"
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset page, with the new password recorded in the access log (every other
    session of the person ends, as their password hash has changed)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        record(Kind.PASSWORD_CHANGED, request=self.request, user=form.user, what="Password reset by e-mail link")
        return response
