"""The one place restricted identifiers are read or written.

Views never query ``RestrictedIdentifiers`` directly: keeping every access here is what lets
encryption at rest and the access log be added without touching the pages.
"""

from django.db import transaction

from audits.models import Case, RestrictedIdentifiers
from audits.permissions import require_identifier_access


def identifiers_for_user(*, user, case: Case) -> RestrictedIdentifiers:
    """Return the case's identifiers (empty if none were recorded). Coordinators only."""
    require_identifier_access(user)
    try:
        return RestrictedIdentifiers.objects.get(case=case)
    except RestrictedIdentifiers.DoesNotExist:
        return RestrictedIdentifiers(case=case)


@transaction.atomic
def identifiers_save(
    *, actor, case: Case, child_name: str, date_of_birth, record_numbers: str, candidate_reference: str | None = None
) -> RestrictedIdentifiers:
    """Create or replace a case's identifiers. Coordinators only."""
    require_identifier_access(actor)
    identifiers, _ = RestrictedIdentifiers.objects.select_for_update().get_or_create(case=case)
    identifiers.child_name = child_name
    identifiers.date_of_birth = date_of_birth
    identifiers.record_numbers = record_numbers
    if candidate_reference is not None:
        identifiers.candidate_reference = candidate_reference
    identifiers.updated_by = actor
    identifiers.full_clean()
    identifiers.save()
    return identifiers


def identifiers_for_cases(*, user, cases) -> list[RestrictedIdentifiers]:
    """The recorded identifiers of several cases (those with none are left out). Coordinators only;
    used by the briefing publication guard, which never shows them."""
    require_identifier_access(user)
    return list(RestrictedIdentifiers.objects.filter(case__in=cases).select_related("case"))
