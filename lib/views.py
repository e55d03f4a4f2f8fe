"""The step every form view repeats: a bound, valid form goes to a service; a refusal
(``ValidationError``) goes back onto the form, so it reaches the error summary and nothing the
user typed is lost. The view keeps its own permission check, ``render`` and ``redirect``.

    form = RoundForm(form_data(request), instance=audit_round)
    if saved := save_form(request, form, lambda: services.round_update(actor=request.user, ...),
                          success="Round updated"):
        return redirect(saved.result)
    return render(request, "rounds/round_form.html", {"form": form})
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError

from lib.forms import add_service_errors


@dataclass(frozen=True)
class Saved:
    """What the service returned (truthy even when that is None)."""

    result: Any


def save_form(request, form, call, *, success=None) -> Saved | None:
    """For a POST with a valid ``form``, ``call()`` (the service, with the form's cleaned data):
    ``Saved(result)``, with ``success`` (a text, or a function of the result) shown as a
    message. ``None`` for a GET, an invalid form or the service's refusal, which is added to
    the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return Saved(result)


def run(request, call, *, success=None) -> Saved | None:
    """A one-button action (no form to put a refusal on): ``call()``, with ``success`` shown as
    a message, or ``None`` with the refusal shown as error messages."""
    try:
        result = call()
    except ValidationError as exc:
        refuse(request, exc)
        return None
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return Saved(result)


def refuse(request, exc: ValidationError) -> None:
    """Show a service's refusal as error messages."""
    for message in exc.messages:
        messages.error(request, message)
