"""The invited person's pages: the link from the e-mail, then setting a password, then (as the
next page) two-factor sign-in. Open to anyone with the link, and to no one once it is used.

The link's token leaves the address bar at once: it is kept, hashed, in the session, and the
browser is sent to a page whose address carries nothing (as Django's password reset does), so it
never reaches a Referer header, a 4xx log line or the browser's history beyond that first hop."""

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from agencies.access_log.services import client_ip
from agencies.administration import invitations
from agencies.administration.forms import SetPasswordFromInvitationForm
from lib.forms import form_data
from lib.views import save_form

SESSION_KEY = "invitation"
BACKEND = "agencies.accounts.backends.Backend"


@login_not_required
@csrf_exempt
@never_cache
def invitation(request, token):
    """Any method is answered the same way (the link's token kept, hashed, and the browser sent
    on), so that no refusal (a 405, a CSRF 403) writes the address, token and all, to a log."""
    if request.user.is_authenticated:
        logout(request)  # the link is for a new person, not whoever is signed in on this browser
    request.session[SESSION_KEY] = invitations.token_hash(token)
    return redirect("administration:invitation-accept")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request):
    hashed = request.session.get(SESSION_KEY)
    found = invitations.usable_invitation(hashed) if not request.user.is_authenticated else None
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
