"""The whole flow of an export: asked for on a page (POST, filters in the query string), queued as
a task once the request commits, made and stored encrypted, followed on its status page without
JavaScript, downloaded by the person who asked (logged, and the download recorded), expired by
``apply_retention`` after EXPORT_KEEP_HOURS, and tried again when it failed or expired."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from agencies.models import AccessEvent
from exports import registry, services
from exports.models import Export
from exports.views import PER_PAGE
from lib.storage import private_storage
from tests import factories
from tests.exports.flow import export_of, queue

pytestmark = pytest.mark.django_db


def plan_export(client, query=None):
    return export_of(queue(client, reverse("audits:action-list-csv"), query))


def test_a_download_is_queued_made_and_downloaded(client, coordinator):
    client.force_login(coordinator)
    response = queue(client, reverse("audits:action-list-csv"), {"status": "in_progress"})
    export = export_of(response)
    assert response["Location"] == reverse("exports:export-detail", args=[export.pk])
    assert export.is_done and export.requested_by == coordinator
    assert export.kind == Export.Kind.ACTION_PLAN
    assert export.params == {"format": "csv", "filters": {"status": ["in_progress"]}}
    assert export.title == "Action plan across rounds (CSV, filtered)"
    assert export.expires_at == export.finished_at + datetime.timedelta(hours=24)
    # Encrypted at rest: what is on disk is not the CSV.
    content = private_storage.read_bytes(export.stored_file)
    assert content.decode("utf-8-sig").startswith("Round,Area,Action")
    assert private_storage._read_raw(export.stored_file) != content
    assert export.size == len(content) and len(export.sha256) == 64

    page = client.get(export.get_absolute_url())
    assert "Ready" in page.text and "Download action-plan.csv" in page.text
    assert reverse("audits:action-list") + "?status=in_progress" in page.text  # back to the page as it was
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT).exists()  # not yet downloaded

    download = client.get(reverse("exports:export-download", args=[export.pk]))
    assert download.status_code == 200 and download.content == content
    assert download["Content-Disposition"] == 'attachment; filename="action-plan.csv"'
    assert download["Cache-Control"] == "no-store"
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.EXPORT)
    assert event.user == coordinator and event.what == "Action plan CSV, all rounds, filtered"
    export.refresh_from_db()
    assert export.downloaded_at is not None and export.downloaded_at <= timezone.now()


def test_while_it_is_being_made_the_page_says_refresh(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("audits:action-list-pdf"))  # the task waits for the commit
    export = export_of(response)
    assert export.state == Export.State.QUEUED
    page = client.get(export.get_absolute_url())
    assert "Being made" in page.text and "Refresh this page" in page.text
    assert "Download" not in page.text.split('data-testid="export-status"')[1].split("</div>")[0]
    # Not ready: the download link goes back to the status page.
    download = client.get(reverse("exports:export-download", args=[export.pk]))
    assert download.status_code == 302 and download["Location"] == export.get_absolute_url()
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT).exists()


def test_a_failed_export_can_be_tried_again(client, coordinator, monkeypatch):
    kind = registry.get(Export.Kind.ACTION_PLAN)

    def broken(export):
        raise RuntimeError("the printer is on fire")

    monkeypatch.setitem(
        registry._KINDS, Export.Kind.ACTION_PLAN, registry.ExportKind(**{**kind.__dict__, "build": broken})
    )
    client.force_login(coordinator)
    export = plan_export(client)
    assert export.is_failed and not export.stored_file
    page = client.get(export.get_absolute_url())
    assert "Failed" in page.text and "Try again" in page.text

    monkeypatch.setitem(registry._KINDS, Export.Kind.ACTION_PLAN, kind)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("exports:export-retry", args=[export.pk]))
    assert response["Location"] == export.get_absolute_url()
    export.refresh_from_db()
    assert export.is_done


def test_a_ready_export_is_not_made_again(client, coordinator):
    client.force_login(coordinator)
    export = plan_export(client)
    response = client.post(reverse("exports:export-retry", args=[export.pk]), follow=True)
    assert "cannot be made again" in response.text
    assert Export.objects.get(pk=export.pk).sha256 == export.sha256


def test_exports_expire_and_can_be_made_again(client, coordinator, time_machine):
    client.force_login(coordinator)
    export = plan_export(client)
    name = export.stored_file
    assert services.exports_expire() == 0  # not yet
    time_machine.shift(datetime.timedelta(hours=24, minutes=1))
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("apply_retention", stdout=out)
    assert "1 expired export file deleted." in out.getvalue()
    assert not private_storage.exists(name)
    export.refresh_from_db()
    assert export.is_expired and not export.is_done and export.can_retry
    client.force_login(coordinator)  # the session timed out meanwhile
    page = client.get(export.get_absolute_url())
    assert "Expired" in page.text and "Make it again" in page.text
    download = client.get(reverse("exports:export-download", args=[export.pk]))
    assert download.status_code == 302
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("exports:export-retry", args=[export.pk]))
    export.refresh_from_db()
    assert export.is_done and export.stored_file != name


def test_only_the_requester_sees_an_export(client, coordinator):
    client.force_login(coordinator)
    export = plan_export(client)
    other = factories.UserFactory(email="other.coordinator@example.test", role="Coordinator")
    client.force_login(other)
    for name in ("exports:export-detail", "exports:export-download"):
        assert client.get(reverse(name, args=[export.pk])).status_code == 404
    assert client.post(reverse("exports:export-retry", args=[export.pk])).status_code == 404
    assert export.title not in client.get(reverse("exports:export-list")).text


def test_the_kinds_check_is_asked_again_at_download(client, coordinator, administrator):
    """Someone who may no longer have what an export holds cannot download it."""
    client.force_login(administrator)
    export = export_of(queue(client, reverse("access-log-csv")))
    assert export.is_done
    administrator.groups.clear()
    administrator.user_permissions.clear()
    administrator = type(administrator).objects.get(pk=administrator.pk)  # forget cached permissions
    client.force_login(administrator)
    assert client.get(reverse("exports:export-download", args=[export.pk])).status_code == 403
    assert client.get(export.get_absolute_url()).status_code == 403


def test_params_hold_only_ids_and_filter_values(client, coordinator, returns_case, agency_a):
    returns_case.round.tools_due_date = timezone.localdate() - datetime.timedelta(days=1)
    client.force_login(coordinator)
    url = reverse("audits:integrated-chronology-pdf", args=[returns_case.round_id, returns_case.number])
    response = queue(client, url, {"agency": [agency_a.pk, 99999], "event_type": "nonsense", "key_events": "on"})
    export = export_of(response)
    # Unknown values are dropped, as the page drops them.
    assert export.params == {"case": returns_case.pk, "format": "pdf", "filters": {"key_events": ["on"]}}


def test_your_exports_lists_your_own_newest_first_paginated(client, coordinator, lead_a, django_assert_max_num_queries):
    other = services.export_request(actor=lead_a, kind=Export.Kind.ACTION_PLAN, params={"format": "csv", "filters": {}})
    for fmt in ["csv"] * PER_PAGE + ["pdf"]:
        services.export_request(actor=coordinator, kind=Export.Kind.ACTION_PLAN, params={"format": fmt, "filters": {}})
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("exports:export-list"))
    assert page.context["page"].paginator.count == PER_PAGE + 1
    rows = page.context["page"].object_list
    assert rows[0].title == "Action plan across rounds (PDF)"  # the newest
    assert other not in rows
    assert "govuk-pagination" in page.text
    second = client.get(reverse("exports:export-list"), {"page": 2})
    assert len(second.context["page"].object_list) == 1


def test_a_file_made_before_the_requesters_access_changed_has_to_be_made_again(client, lead_a, agency_b):
    # The cross-round plan holds what the lead's agency may see: after a move to another agency it
    # must not be handed out, even by the one who asked for it.
    client.force_login(lead_a)
    export = plan_export(client)
    assert export.is_done
    old_file = export.stored_file
    membership = lead_a.agency_membership
    membership.agency = agency_b
    with TestCase.captureOnCommitCallbacks(execute=True):
        membership.save()
        page = client.get(export.get_absolute_url())
    assert "Expired" in page.text
    export.refresh_from_db()
    assert export.is_expired and not private_storage.exists(old_file)
    assert client.get(reverse("exports:export-download", args=[export.pk])).status_code == 302
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("exports:export-retry", args=[export.pk]))
    export.refresh_from_db()
    assert export.is_done
    assert client.get(reverse("exports:export-download", args=[export.pk])).status_code == 200
