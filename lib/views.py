"""The step every form view repeats: a bound, valid form goes to a service; a refusal
(``ValidationError``) goes back onto the form, so it reaches the error summary and nothing the
user typed is lost. The view keeps its own permission check, ``render`` and ``redirect``.

    form = RoundForm(form_data(request), instance=audit_round)
    if saved := save_form(request, form, lambda: services.round_update(actor=request.user, ...),
                          success="Round updated"):
        return redirect(saved.result)
    return render(request, "rounds/round_form.html", {"form": form})

A save that committed is reported as saved whatever fails after it (an e-mail's task not queued,
the next page not built: ``SavedThenFailedMiddleware`` in config/middleware.py shows "saved"); if
the database went away as it committed, the user is told the change may have been saved and to
check before trying again (``OutcomeUnknownError``).
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from lib.forms import add_service_errors

logger = logging.getLogger(__name__)

# Set on the request once a save has committed, for SavedThenFailedMiddleware.
SAVED = "saved_before_failure"


class OutcomeUnknownError(Exception):
    """The database failed while the save was being committed: it may or may not be stored."""


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
        result = committed(request, call)
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
        result = committed(request, call)
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


def committed(request, call):
    """``call()`` in a transaction whose commit is watched: the service's own ``atomic`` becomes
    a savepoint in it, and its ``on_commit`` tasks run after a marker that says the commit
    happened. So a failure after the commit (a task that could not be queued) is logged and the
    save reported as done, and a failure of the commit itself raises ``OutcomeUnknownError``. Any other
    exception (a refusal) is raised as before, with what the service kept outside its own
    transaction kept. Inside a caller's transaction (a test's) the commit is not ours to watch."""
    if connection.in_atomic_block:
        return call()
    done = {"committed": False, "returned": False}
    result = raised = None
    try:
        with transaction.atomic():
            transaction.on_commit(lambda: done.update(committed=True))
            try:
                result = call()
            except DatabaseError:
                raise  # the transaction is broken: rolled back
            except Exception as exc:  # kept, and raised once committed
                raised = exc
            done["returned"] = True
    except Exception as exc:
        if done["committed"]:
            logger.exception("A step after a save failed: the save was kept")
        elif done["returned"] and raised is None and not _commit_refused(exc):
            raise OutcomeUnknownError from exc
        else:
            raise
    if raised is not None:
        raise raised
    setattr(request, SAVED, True)
    return result


def _commit_refused(exc: Exception) -> bool:
    """Whether a failed commit is known to have stored nothing: the database answered it with an
    error (a deferred constraint, a serialization failure: PostgreSQL gives an SQLSTATE code),
    rather than going away before it could say (a lost connection has no code)."""
    return isinstance(exc, IntegrityError) or getattr(exc.__cause__, "pgcode", None) is not None
