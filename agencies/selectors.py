"""Reads about agencies that several apps ask: who leads each agency."""

from collections import defaultdict

from agencies.models import Membership


def active_leads(agency_ids) -> dict[int, list]:
    """The active leads (users) of each agency, by agency id, by name (one query). An agency with
    none is missing from the result: ``agencies_without_lead`` is the question to ask."""
    memberships = (
        Membership.objects.filter(agency_id__in=list(agency_ids), role=Membership.Role.LEAD, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    leads = defaultdict(list)
    for membership in memberships:
        leads[membership.agency_id].append(membership.user)
    return dict(leads)


def agencies_without_lead(agency_ids) -> set[int]:
    """The agencies, of these ids, that have no active lead: nobody there gets the round's
    e-mails or can submit its work (one query). The one statement of the rule."""
    ids = set(agency_ids)
    return ids - set(active_leads(ids))
