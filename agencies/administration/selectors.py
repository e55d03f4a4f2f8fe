"""Reads of the administration pages: the people list, and who hears about access changes."""

from django.contrib.auth.models import Group, Permission
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q

from agencies.models import Agency, User
from agencies.selectors import active_leads

PEOPLE_PER_PAGE = 50


def people_page(number, *, per_page: int = PEOPLE_PER_PAGE) -> Page:
    """Page ``number`` of everyone with an account, by name, with their roles, agency and what
    ``User.account_status`` needs: three queries whatever the number of people (the count, the
    page, the roles, nothing per row)."""
    people = (
        User.objects.with_two_factor()
        .select_related("agency_membership__agency")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
        .order_by("full_name", "email")
    )
    return Paginator(people, per_page).get_page(number)


def _holders(*codenames) -> set[str]:
    permissions = Permission.objects.filter(
        content_type__app_label__in={c.split(".")[0] for c in codenames},
        codename__in=[c.split(".")[1] for c in codenames],
    )
    users = User.objects.filter(is_active=True).filter(
        Q(groups__permissions__in=permissions) | Q(user_permissions__in=permissions)
    )
    return set(users.values_list("email", flat=True))


def privileges_notice_addresses() -> list[str]:
    """The partnership's administrators (``agencies.change_user``) and coordinators
    (``audits.manage_rounds``), by their roles: active accounts only."""
    return sorted(_holders("agencies.change_user", "audits.manage_rounds"))


def agencies_with_leads() -> list[Agency]:
    """Every agency, by name, each with ``leads``: its active leads (two queries)."""
    agencies = list(Agency.objects.order_by("name"))
    leads = active_leads(agency.pk for agency in agencies)
    for agency in agencies:
        agency.leads = leads.get(agency.pk, [])
    return agencies
