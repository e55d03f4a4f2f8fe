"""Issue 6, "Done when": viewing identifiers and exporting a chronology each add a row to the access
log, and an administrator sees both on the access-log page."""

from django.urls import reverse

from agencies.models import AccessEvent


def test_identifier_view_and_chronology_export_reach_the_administrators_page(
    client, coordinator, lead_a, administrator, chronology_a
):
    case = chronology_a.case
    client.force_login(coordinator)
    page = client.get(reverse("audits:case-identifiers", args=[case.round_id, case.number]))
    assert page.status_code == 200
    client.force_login(lead_a)
    export = client.get(reverse("audits:chronology-export-csv", args=[chronology_a.pk]))
    assert export.status_code == 200

    viewed = AccessEvent.objects.get(kind=AccessEvent.Kind.IDENTIFIERS_VIEWED)
    exported = AccessEvent.objects.get(kind=AccessEvent.Kind.EXPORT)
    assert (viewed.user, exported.user) == (coordinator, lead_a)

    client.force_login(administrator)
    log = client.get(reverse("access-log")).text
    assert viewed.what in log and exported.what in log
    assert coordinator.email in log and lead_a.email in log
    assert "Identifiers viewed" in log and "Export" in log
    # Never the child's identifiers.
    identifiers = case.restricted_identifiers
    assert identifiers.child_name not in log
