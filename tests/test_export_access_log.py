"""Every download (CSV, XLSX, PDF) adds exactly one export row to the access log, naming the
export by service references only; a refused request adds none. Exports (tests/exports/) add
theirs when the file is downloaded, not when it is asked for."""

import pytest
from django.urls import reverse

from agencies.models import AccessEvent
from audits.models import Chronology, WorkStatus
from briefings.models import BriefingRender, PublishedVersion
from lib.storage import private_storage
from tests import factories
from tests.briefings.conftest import learning_round, make_briefing  # noqa: F401 - fixtures used below
from tests.exports.flow import ask, fetch

Kind = AccessEvent.Kind
CHILD = ["Zebedee", "Quillfeather", "7734219", "2016"]


@pytest.fixture
def world(returns_case, chronology_a, agency_a, coordinator):
    """An open case of agency A (with the fictional child's identifiers), a submitted chronology
    with an entry, and an action."""
    Chronology.objects.filter(pk=chronology_a.pk).update(status=WorkStatus.SUBMITTED)
    factories.EntryFactory(chronology=chronology_a, what_happened="Home visit; Zebedee Quillfeather seen alone.")
    factories.ActionFactory(round=returns_case.round, lead_agency=agency_a, created_by=coordinator)
    return returns_case


def _exports():
    return list(AccessEvent.objects.filter(kind=Kind.EXPORT))


def _case(case):
    return {"pk": case.round_id, "number": case.number}


# url name -> (kwargs builder, expected description)
EXPORTS = {
    "audits:round-actions-csv": (lambda c, ch: {"pk": c.round_id}, "Action plan CSV, round {r}"),
    "audits:round-actions-xlsx": (lambda c, ch: {"pk": c.round_id}, "Action plan XLSX, round {r}"),
    "audits:round-actions-pdf": (lambda c, ch: {"pk": c.round_id}, "Action plan PDF, round {r}"),
    "audits:action-list-csv": (lambda c, ch: {}, "Action plan CSV, all rounds"),
    "audits:action-list-xlsx": (lambda c, ch: {}, "Action plan XLSX, all rounds"),
    "audits:action-list-pdf": (lambda c, ch: {}, "Action plan PDF, all rounds"),
    "audits:integrated-chronology-csv": (lambda c, ch: _case(c), "Integrated chronology CSV, round {r} case 1"),
    "audits:integrated-chronology-xlsx": (lambda c, ch: _case(c), "Integrated chronology XLSX, round {r} case 1"),
    "audits:integrated-chronology-pdf": (lambda c, ch: _case(c), "Integrated chronology PDF, round {r} case 1"),
    "audits:chronology-export-csv": (
        lambda c, ch: {"pk": ch.pk},
        "Agency chronology CSV, round {r} case 1, agency {a}",
    ),
    "audits:chronology-export-xlsx": (
        lambda c, ch: {"pk": ch.pk},
        "Agency chronology XLSX, round {r} case 1, agency {a}",
    ),
    "audits:round-completion-csv": (lambda c, ch: {"pk": c.round_id}, "Completion CSV, round {r}"),
}


@pytest.mark.parametrize("url_name", sorted(EXPORTS))
def test_each_export_adds_one_row(client, world, chronology_a, coordinator, url_name):
    kwargs, what = EXPORTS[url_name]
    client.force_login(coordinator)
    response = fetch(client, url_name, kwargs(world, chronology_a))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    [event] = _exports()
    assert event.user == coordinator and event.user_email == coordinator.email
    assert event.what == what.format(r=world.round_id, a=chronology_a.agency_id)
    assert event.ip_address == "127.0.0.1"
    assert not any(text in event.what for text in CHILD)
    assert world.round.title not in event.what


def test_agency_staff_exports_are_recorded_as_theirs(client, world, chronology_a, lead_a):
    client.force_login(lead_a)
    assert client.get(reverse("audits:chronology-export-csv", args=[chronology_a.pk])).status_code == 200
    [event] = _exports()
    assert event.user == lead_a


def test_filtered_action_plan_says_so_without_the_filters(client, world, agency_a, coordinator):
    client.force_login(coordinator)
    fetch(client, "audits:action-list-csv", query={"agency": agency_a.pk, "status": "in_progress"})
    [event] = _exports()
    assert event.what == "Action plan CSV, all rounds, filtered"


# url name -> (kwargs builder, role refused)
REFUSED = [
    ("audits:round-actions-csv", lambda c, ch: {"pk": c.round_id}, "board_viewer"),
    ("audits:round-actions-xlsx", lambda c, ch: {"pk": c.round_id}, "board_viewer"),
    ("audits:round-actions-pdf", lambda c, ch: {"pk": c.round_id}, "board_viewer"),
    ("audits:action-list-csv", lambda c, ch: {}, "board_viewer"),
    ("audits:action-list-xlsx", lambda c, ch: {}, "board_viewer"),
    ("audits:action-list-pdf", lambda c, ch: {}, "board_viewer"),
    ("audits:integrated-chronology-csv", lambda c, ch: _case(c), "administrator"),
    ("audits:integrated-chronology-xlsx", lambda c, ch: _case(c), "board_viewer"),
    ("audits:integrated-chronology-pdf", lambda c, ch: _case(c), "administrator"),
    ("audits:chronology-export-csv", lambda c, ch: {"pk": ch.pk}, "lead_b"),
    ("audits:chronology-export-xlsx", lambda c, ch: {"pk": ch.pk}, "board_viewer"),
    ("audits:round-completion-csv", lambda c, ch: {"pk": c.round_id}, "lead_a"),
    ("access-log-csv", lambda c, ch: {}, "coordinator"),
]


@pytest.mark.parametrize(("url_name", "kwargs", "role"), REFUSED, ids=[f"{n}-{r}" for n, _, r in REFUSED])
def test_refused_export_adds_nothing(client, request, world, chronology_a, lead_b, url_name, kwargs, role):
    client.force_login(request.getfixturevalue(role))
    response = ask(client, url_name, kwargs(world, chronology_a))
    assert response.status_code in (403, 404)
    assert _exports() == []


@pytest.fixture
def briefing(make_briefing, coordinator):  # noqa: F811 - make_briefing is the imported fixture
    briefing = make_briefing()
    private_storage.write("briefings/test/render.pdf", b"%PDF-1.7 draft")
    briefing.done_render = BriefingRender.objects.create(
        briefing=briefing, requested_by=coordinator, state="done", stored_file="briefings/test/render.pdf"
    )
    private_storage.write("briefings/test/v1.pdf", b"%PDF-1.7 version 1")
    PublishedVersion.objects.create(
        briefing=briefing, number=1, stored_file="briefings/test/v1.pdf", sha256="0" * 64, published_by=coordinator
    )
    return briefing


def test_briefing_draft_download_is_recorded(client, briefing, coordinator):
    client.force_login(coordinator)
    url = reverse("briefings:render-download", args=[briefing.pk, briefing.done_render.pk])
    assert client.get(url).status_code == 200
    [event] = _exports()
    assert event.user == coordinator
    assert event.what == f"Briefing draft PDF, briefing {briefing.pk} draft {briefing.done_render.pk}"


@pytest.mark.parametrize("role", ["coordinator", "administrator", "board_viewer", "lead_a"])
def test_published_version_download_is_recorded(client, request, briefing, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.get(reverse("briefings:version-download", args=[briefing.pk, 1])).status_code == 200
    [event] = _exports()
    assert event.user == user
    assert event.what == f"Briefing PDF, briefing {briefing.pk} version 1"
    assert briefing.title not in event.what


@pytest.mark.parametrize("role", ["lead_a", "board_viewer"])
def test_refused_briefing_downloads_add_nothing(client, request, briefing, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(
        reverse("briefings:render-download", args=[briefing.pk, briefing.done_render.pk])
    ).status_code in (
        403,
        404,
    )
    assert _exports() == []


def test_access_log_csv_is_recorded(client, administrator):
    client.force_login(administrator)
    assert fetch(client, "access-log-csv").status_code == 200
    [event] = _exports()
    assert event.user == administrator and event.what == "Access log CSV"
