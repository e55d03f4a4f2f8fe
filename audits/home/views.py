"""The home page: "Your tasks", what each person has to do next, by role."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from agencies.permissions import can_read_library, can_view_all_rounds, is_board_approver, is_coordinator
from audits.actions.selectors import agency_due_actions, overdue_action_count
from audits.home.selectors import AWAITING, IN_SIGN_OFF, briefings_in_sign_off, published_briefings
from audits.returns.permissions import can_decide
from audits.returns.selectors import agency_tasks, assigned_to, overdue_by_round, ready_for_lead, review_queue
from audits.rounds.selectors import agency_rounds, coordinator_rounds
from briefings.permissions import approval_refusal, workflow_actions


@require_GET
def home(request):
    """Your tasks: what each person has to do next."""
    user = request.user  # every signed-in user has a home page; what it lists depends on role
    today = timezone.localdate()
    context = {"today": today, "can_plan": is_coordinator(user)}
    if can_view_all_rounds(user):
        context["coordinator_rounds"] = coordinator_rounds(user)
        context["overdue_rounds"] = overdue_by_round(user, today=today)
        context["overdue_actions"] = overdue_action_count(user, today=today)
        if can_decide(user):
            context["review_queue"] = review_queue(user, today=today)
        if is_coordinator(user):
            context["sign_off_briefings"] = _with_next_step(user, briefings_in_sign_off(user, statuses=IN_SIGN_OFF))
    elif user.agency is not None:
        context["agency_rounds"] = agency_rounds(user)
        tasks = agency_tasks(user, today=today)
        context["agency_tasks"] = tasks
        if user.is_agency_lead:
            context["ready_tasks"] = ready_for_lead(tasks)
        else:
            context["assigned_tasks"] = assigned_to(user, tasks)
        context["agency_actions"] = agency_due_actions(user, today=today)
    else:
        # The board: what awaits an approver's sign-off, and the published briefings.
        if is_board_approver(user):
            context["awaiting_briefings"] = _with_next_step(user, briefings_in_sign_off(user, statuses=AWAITING))
        if can_read_library(user):
            context["published_briefings"] = published_briefings(user)
    return render(request, "home/home.html", context)


def _with_next_step(user, briefings) -> list:
    """Each briefing with what the user may do with it (``briefings.permissions``), and why they
    may not approve it when that is the reason."""
    rows = list(briefings)
    for briefing in rows:
        briefing.actions = workflow_actions(user, briefing)
        briefing.approval_refusal = approval_refusal(user, briefing)
    return rows
