"""RAG of an action at the boundaries, in Python (``Action.rag``) and in the database filter the
plan pages use (``ActionQuerySet.rag``): both must agree."""

import datetime

import pytest

from audits.models import Action
from tests import factories

TODAY = datetime.date(2027, 1, 15)


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.mark.parametrize(
    ("due", "status", "at_risk", "colour", "reason"),
    [
        (days(0), "not_started", False, "amber", "Due today"),
        (days(14), "in_progress", False, "amber", "Due in 14 days"),
        (days(15), "in_progress", False, "green", "On track"),
        (days(1), "in_progress", False, "amber", "Due in 1 day"),
        (days(-1), "in_progress", False, "red", "Overdue by 1 day"),
        (days(-3), "not_started", True, "red", "Overdue by 3 days"),
        (days(40), "in_progress", True, "amber", "The owner says the due date is at risk"),
        (days(-10), "complete", False, "green", "Complete"),
        (days(-10), "not_going_ahead", False, "green", "Not going ahead"),
    ],
)
def test_rag(db, settings, due, status, at_risk, colour, reason):
    settings.ACTION_AMBER_DAYS = 14
    action = factories.ActionFactory(
        due_date=due,
        status=status,
        at_risk=at_risk,
        not_going_ahead_reason="Stopped." if status == "not_going_ahead" else "",
    )
    assert action.rag(TODAY) == (colour, reason)
    for rag in Action.Rag.values:
        matches = Action.objects.rag(rag, TODAY).filter(pk=action.pk).exists()
        assert matches == (rag == colour), rag
