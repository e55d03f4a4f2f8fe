"""Retention: identifiers and candidate lists of rounds closed RETENTION_DAYS_AFTER_CLOSE days ago
are destroyed; the anonymised record stays; nothing else is touched; doing it twice changes
nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from agencies.models import AccessEvent
from audits.models import (
    Action,
    AuditRound,
    AuditTool,
    Case,
    CaseDiscussion,
    CaseDraw,
    Chronology,
    ChronologyEntry,
    LearningPoint,
    Meeting,
    RestrictedIdentifiers,
)
from audits.rounds import services
from audits.rounds.retention import apply_retention
from briefings.models import Briefing
from briefings.services import briefing_create
from lib.storage import private_storage
from tests import factories

Kind = AccessEvent.Kind
NOW = timezone.make_aware(datetime.datetime(2028, 6, 1, 12, 0))


def _closed_round_with_everything(coordinator, agency_a, *, closed_days_ago):
    audit_round = factories.AuditRoundFactory(created_by=coordinator)
    draw = CaseDraw.objects.create(
        round=audit_round,
        status=CaseDraw.Status.CONFIRMED,
        file_name="candidates.csv",
        file_sha256="a" * 64,
        stored_file=f"candidate-lists/round-{audit_round.pk}",
        candidate_count=30,
        seed=42,
        number_of_cases=2,
        strata=["plan_type"],
        selected_references=["QX-4471", "QX-4472"],
        created_by=coordinator,
    )
    private_storage.write(draw.stored_file, b"reference,child_name\nQX-4471,Zebedee Quillfeather\n")
    superseded = f"candidate-lists/round-{audit_round.pk}-preview"
    CaseDraw.objects.create(
        round=audit_round,
        file_name="older.csv",
        file_sha256="b" * 64,
        stored_file=superseded,
        candidate_count=30,
        seed=41,
        number_of_cases=2,
        selected_references=["QX-4473"],
        created_by=coordinator,
    )
    private_storage.write(superseded, b"reference,child_name\nQX-4473,Marigold Thistlewood\n")
    for number in (1, 2):
        case = factories.CaseFactory(round=audit_round, number=number, draw=draw, summary=f"Child {number} summary.")
        factories.CaseAgencyFactory(case=case, agency=agency_a, added_by=coordinator)
        factories.RestrictedIdentifiersFactory(case=case, child_name=f"Fictional Child {number}")
        factories.ToolFactory(case=case, agency=agency_a)
        chronology = factories.ChronologyFactory(case=case, agency=agency_a)
        factories.EntryFactory(chronology=chronology)
        CaseDiscussion.objects.create(case=case, notes="Agreed the threshold was met.", agreed_grade="good")
        factories.LearningPointFactory(case=case, kind=LearningPoint.Kind.STRENGTH)
    factories.MeetingFactory(round=audit_round)
    factories.ActionFactory(round=audit_round, lead_agency=agency_a)
    briefing_create(
        actor=coordinator, rounds=[audit_round], briefing_format=Briefing.Format.SIX_STEP, title="Six steps"
    )
    AuditRound.objects.filter(pk=audit_round.pk).update(
        status=AuditRound.Status.CLOSED, closed_at=NOW - datetime.timedelta(days=closed_days_ago)
    )
    audit_round.refresh_from_db()
    return audit_round


@pytest.fixture
def due_round(coordinator, agency_a, settings):
    settings.RETENTION_DAYS_AFTER_CLOSE = 365
    return _closed_round_with_everything(coordinator, agency_a, closed_days_ago=365)


@pytest.fixture
def kept_round(coordinator, agency_a, settings):
    settings.RETENTION_DAYS_AFTER_CLOSE = 365
    return _closed_round_with_everything(coordinator, agency_a, closed_days_ago=364)


def _anonymised_counts(audit_round):
    cases = Case.objects.filter(round=audit_round)
    return {
        "cases": cases.count(),
        "tools": AuditTool.objects.filter(case__in=cases).count(),
        "chronologies": Chronology.objects.filter(case__in=cases).count(),
        "entries": ChronologyEntry.objects.filter(chronology__case__in=cases).count(),
        "discussions": CaseDiscussion.objects.filter(case__in=cases).count(),
        "meetings": Meeting.objects.filter(round=audit_round).count(),
        "learning": LearningPoint.objects.filter(round=audit_round).count(),
        "actions": Action.objects.filter(round=audit_round).count(),
        "briefings": Briefing.objects.filter(rounds=audit_round).count(),
        "draws": CaseDraw.objects.filter(round=audit_round).count(),
    }


def test_a_round_past_retention_loses_its_identifiers_and_lists_and_keeps_the_rest(
    due_round, django_capture_on_commit_callbacks
):
    before = _anonymised_counts(due_round)
    files = list(due_round.draws.values_list("stored_file", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        purges = apply_retention(now=NOW)
    assert [str(p) for p in purges] == [f"Round {due_round.pk}: 2 identifier records and 2 candidate lists destroyed"]
    assert not RestrictedIdentifiers.objects.filter(case__round=due_round).exists()
    assert not any(private_storage.exists(name) for name in files)
    assert _anonymised_counts(due_round) == before
    assert all(v > 0 for v in before.values())
    due_round.refresh_from_db()
    assert due_round.identifiers_purged_at == NOW
    for draw in due_round.draws.all():
        # The record of how the cases were chosen stays; what identified children goes.
        assert draw.stored_file == "" and draw.selected_references == []
        assert draw.seed in (41, 42) and len(draw.file_sha256) == 64
    event = AccessEvent.objects.get(kind=Kind.RETENTION_PURGE)
    assert event.what == f"Round {due_round.pk}: 2 identifier records and 2 candidate lists destroyed"
    assert "Fictional" not in event.what


def test_running_twice_changes_nothing_the_second_time(due_round, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        apply_retention(now=NOW)
    due_round.refresh_from_db()
    purged_at = due_round.identifiers_purged_at
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert apply_retention(now=NOW + datetime.timedelta(days=1)) == []
    assert callbacks == []
    due_round.refresh_from_db()
    assert due_round.identifiers_purged_at == purged_at
    assert AccessEvent.objects.filter(kind=Kind.RETENTION_PURGE).count() == 1


def test_rounds_not_past_retention_are_untouched(kept_round, due_round, django_capture_on_commit_callbacks):
    kept_files = list(kept_round.draws.values_list("stored_file", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        purges = apply_retention(now=NOW)
    assert [p.round_id for p in purges] == [due_round.pk]
    assert RestrictedIdentifiers.objects.filter(case__round=kept_round).count() == 2
    assert all(private_storage.exists(name) for name in kept_files)
    kept_round.refresh_from_db()
    assert kept_round.identifiers_purged_at is None
    assert sorted(kept_round.draws.get(seed=42).selected_references) == ["QX-4471", "QX-4472"]


@pytest.mark.parametrize("status", [s for s in AuditRound.Status.values if s != "closed"])
def test_rounds_that_are_not_closed_are_never_purged(case, status, django_capture_on_commit_callbacks):
    AuditRound.objects.filter(pk=case.round_id).update(status=status, closed_at=NOW - datetime.timedelta(days=5000))
    with django_capture_on_commit_callbacks(execute=True):
        assert apply_retention(now=NOW) == []
    assert RestrictedIdentifiers.objects.filter(case=case).exists()


def test_closing_a_round_records_when(coordinator, case, agency_a):
    audit_round = case.round
    for _ in range(5):
        audit_round = services.round_advance(actor=coordinator, audit_round=audit_round, from_status=audit_round.status)
    assert audit_round.status == AuditRound.Status.CLOSED
    assert audit_round.closed_at is not None
    assert timezone.now() - audit_round.closed_at < datetime.timedelta(minutes=1)


def test_the_command_prints_counts_only(due_round, django_capture_on_commit_callbacks, clock):
    clock.move_to(NOW)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=out)
    assert f"Round {due_round.pk}: 2 identifier records and 2 candidate lists destroyed" in out.getvalue()
    assert "Fictional" not in out.getvalue() and "QX-" not in out.getvalue()
    again = io.StringIO()
    call_command("apply_retention", stdout=again)
    assert "nothing destroyed" in again.getvalue()


def test_the_task_runs_it(due_round, django_capture_on_commit_callbacks, clock):
    from audits.rounds import tasks

    clock.move_to(NOW)
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.apply_retention.enqueue()
    assert result.return_value == [f"Round {due_round.pk}: 2 identifier records and 2 candidate lists destroyed"]
    assert not RestrictedIdentifiers.objects.filter(case__round=due_round).exists()


def test_round_page_says_when_identifiers_go(client, coordinator, case, settings):
    settings.RETENTION_DAYS_AFTER_CLOSE = 365
    client.force_login(coordinator)
    url = reverse("audits:round-detail", args=[case.round_id])
    assert "Identifiers will be destroyed 365 days after the round closes" in client.get(url).text
    closed_at = timezone.make_aware(datetime.datetime(2027, 3, 1, 12, 0))
    AuditRound.objects.filter(pk=case.round_id).update(status="closed", closed_at=closed_at)
    assert "Identifiers will be destroyed on Tuesday 29 February 2028" in client.get(url).text
    AuditRound.objects.filter(pk=case.round_id).update(identifiers_purged_at=NOW)
    assert "Identifiers destroyed on Thursday 1 June 2028" in client.get(url).text


def test_a_purged_rounds_identifier_page_says_so_and_refuses_new_ones(client, coordinator, due_round, identifier_texts):
    apply_retention(now=NOW)
    client.force_login(coordinator)
    page = client.get(reverse("audits:case-identifiers", args=[due_round.pk, 1]))
    assert page.status_code == 200
    assert "destroyed on 1 June 2028 under the retention policy" in page.text
    assert "Change restricted identifiers" not in page.text
    assert not AccessEvent.objects.filter(kind=Kind.IDENTIFIERS_VIEWED).exists()
    edit = reverse("audits:case-identifiers-edit", args=[due_round.pk, 1])
    refused = client.post(edit, {"child_name": "Zebedee Quillfeather"}, follow=True)
    assert "cannot be added again" in refused.text
    assert not RestrictedIdentifiers.objects.filter(case__round=due_round).exists()
    # The draw's page keeps the seed and checksum and says the list is gone.
    draw = due_round.draws.get(seed=42)
    draw_page = client.get(reverse("audits:draw-preview", args=[due_round.pk, draw.pk]))
    assert draw_page.status_code == 200
    assert "candidate list was destroyed" in draw_page.text and "a" * 64 in draw_page.text


def test_identifiers_cannot_be_saved_for_a_purged_round_by_any_route(coordinator, due_round):
    from django.core.exceptions import ValidationError

    from audits.rounds.identifiers import identifiers_save

    apply_retention(now=NOW)
    case = due_round.cases.get(number=1)
    with pytest.raises(ValidationError, match="destroyed under the retention policy"):
        identifiers_save(actor=coordinator, case=case, child_name="X", date_of_birth=None, record_numbers="")
