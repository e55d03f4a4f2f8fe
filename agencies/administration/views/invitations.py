"""The invited person's pages: the link from the e-mail, then setting a password, then (as the
next page) two-factor sign-in. Open to anyone with the link, and to no one once it is used.

The link carries its token in the query string (``/invitation/?t=...``), which neither gunicorn's
access log (``%(U)s``, the path) nor nginx's (``$uri``, deploy/nginx.conf.example) nor Django's
own log lines write. It then leaves the address bar at once: it is kept, hashed, in the session,
and the browser is sent to a page whose address carries nothing (as Django's password reset
does), so it never reaches a Referer header or the browser's history beyond that first hop.

Nobody is signed out by the link: a GET changes nothing for whoever is signed in (an ``<img>`` on
any page could send one), it only says to sign out first."""

from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from agencies.access_log.services import client_ip
from agencies.administration import invitations
from agencies.administration.forms import SetPasswordFromInvitationForm
from lib.forms import form_data
from lib.views import save_form

SESSION_KEY = "invitation"
BACKEND = "agencies.accounts.backends.Backend"


def _signed_in(request):
    """Someone is signed in on this browser: the link is for a new person, so it says to sign out
    first (a button, with its CSRF token) and signs nobody out by itself."""
    return render(request, "administration/invitation_signed_in.html", {"signed_in_as": request.user})


@login_not_required
@never_cache
@require_GET
def invitation(request):
    if request.user.is_authenticated:
        return _signed_in(request)
    request.session[SESSION_KEY] = invitations.token_hash(request.GET.get(invitations.LINK_PARAMETER, ""))
    return redirect("administration:invitation-accept")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request):
    if request.user.is_authenticated:
        return _signed_in(request)
    hashed = request.session.get(SESSION_KEY)
    found = invitations.usable_invitation(hashed)
    if found is None:
        return render(request, "administration/invitation_expired.html")
    form = SetPasswordFromInvitationForm(found.user, form_data(request))
    if saved := save_form(
        request,
        form,
        lambda: invitations.invitation_accept(
            hashed=hashed, password=form.cleaned_data["new_password1"], origin=client_ip(request)
        ),
    ):
        request.session.pop(SESSION_KEY, None)
        login(request, saved.result, backend=BACKEND)
        return redirect("two-factor-set-up")
    return render(request, "administration/invitation_accept.html", {"form": form, "person": found.user})
