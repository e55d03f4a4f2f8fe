import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audits.models import Case, CaseAgency, CaseDraw, RestrictedIdentifiers
from audits.rounds import services
from lib.storage import private_storage
from tests import factories

CSV = (
    "reference,child_name,date_of_birth,plan_type,needs\n"
    + "".join(
        f"R{i},Fictional Child {i},0{1 + i % 9}/0{1 + i % 9}/201{i % 10},{['CIN', 'CP', 'LAC', 'Early help'][i % 4]},"
        f"{'Neglect' if i % 3 == 0 else ''}\n"
        for i in range(12)
    )
).encode()


def test_cases_are_numbered_in_turn_with_identifiers_kept_apart(audit_round, coordinator):
    first = services.case_create(
        actor=coordinator,
        audit_round=audit_round,
        summary="",
        age_band="5_9",
        plan_type="cin",
        needs=[],
        child_name="Fictional Name",
        record_numbers="CSC 1",
    )
    second = services.case_create(
        actor=coordinator, audit_round=audit_round, summary="", age_band="1_4", plan_type="cp", needs=[]
    )
    assert (first.number, second.number) == (1, 2)
    assert RestrictedIdentifiers.objects.get(case=first).child_name == "Fictional Name"
    assert not RestrictedIdentifiers.objects.filter(case=second).exists()
    assert first.history.get().history_user == coordinator


def test_only_coordinators_may_record_identifiers(audit_round, lead_a):
    with pytest.raises(PermissionDenied):
        services.case_create(
            actor=lead_a,
            audit_round=audit_round,
            summary="",
            age_band="5_9",
            plan_type="cin",
            needs=[],
            child_name="Fictional Name",
        )
    assert not Case.objects.exists()


def test_agencies_can_be_removed_while_planning_but_only_added_once_open(case, coordinator, agency_a, agency_b):
    services.case_set_agencies(actor=coordinator, case=case, agencies=[agency_b])
    assert list(case.agencies.all()) == [agency_b]
    services.case_set_agencies(actor=coordinator, case=case, agencies=[agency_a])
    services.round_advance(actor=coordinator, audit_round=case.round, from_status="planning")
    services.case_set_agencies(actor=coordinator, case=case, agencies=[agency_a, agency_b])
    with pytest.raises(ValidationError, match="cannot be taken off a case"):
        services.case_set_agencies(actor=coordinator, case=case, agencies=[agency_b])
    assert CaseAgency.objects.filter(case=case).count() == 2
    assert CaseAgency.history.filter(history_type="+").first().history_user == coordinator


def test_inactive_agencies_cannot_be_added(case, coordinator):
    closed = factories.AgencyFactory(is_active=False)
    with pytest.raises(ValidationError, match="Inactive"):
        services.case_set_agencies(actor=coordinator, case=case, agencies=[closed])


def test_draw_preview_then_confirm_adds_numbered_cases_with_identifiers(audit_round, coordinator):
    draw = services.draw_preview(
        actor=coordinator,
        audit_round=audit_round,
        data=CSV,
        file_name="list.csv",
        number_of_cases=3,
        strata=["plan_type"],
        seed=99,
    )
    assert draw.status == CaseDraw.Status.PREVIEW
    assert len(draw.file_sha256) == 64
    assert private_storage.read_bytes(draw.stored_file) == CSV
    assert not Case.objects.exists()
    cases = services.draw_confirm(actor=coordinator, draw=draw)
    assert [c.number for c in cases] == [1, 2, 3]
    references = [RestrictedIdentifiers.objects.get(case=c).candidate_reference for c in cases]
    assert references == draw.selected_references
    assert len({c.plan_type for c in cases}) == 3
    with pytest.raises(ValidationError, match="already been added"):
        services.draw_confirm(actor=coordinator, draw=draw)
    assert Case.objects.count() == 3


def test_a_repeated_draw_with_the_same_file_seed_and_strata_picks_the_same_cases(audit_round, coordinator):
    kwargs = {"data": CSV, "file_name": "list.csv", "number_of_cases": 4, "strata": ["age_band", "plan_type"]}
    first = services.draw_preview(actor=coordinator, audit_round=audit_round, seed=123, **kwargs)
    first_refs = first.selected_references
    again = services.draw_preview(actor=coordinator, audit_round=audit_round, seed=123, **kwargs)
    assert again.selected_references == first_refs
    assert not CaseDraw.objects.filter(pk=first.pk).exists(), "the earlier preview is superseded"


def test_a_bad_file_stores_nothing(audit_round, coordinator, settings):
    bad = CSV + b"R99,,not a date,CP,\n"
    with pytest.raises(ValidationError, match="Row 14"):
        services.draw_preview(
            actor=coordinator,
            audit_round=audit_round,
            data=bad,
            file_name="list.csv",
            number_of_cases=3,
            strata=[],
            seed=1,
        )
    assert not CaseDraw.objects.exists()
    assert not (settings.PRIVATE_STORAGE_ROOT / "candidate-lists").exists()


def test_cannot_draw_more_cases_than_candidates(audit_round, coordinator):
    with pytest.raises(ValidationError, match="has 12 candidates"):
        services.draw_preview(
            actor=coordinator,
            audit_round=audit_round,
            data=CSV,
            file_name="list.csv",
            number_of_cases=13,
            strata=[],
            seed=1,
        )


def test_cases_cannot_be_added_once_the_meeting_stage_is_reached(case, coordinator):
    services.round_advance(actor=coordinator, audit_round=case.round, from_status="planning")
    services.round_advance(actor=coordinator, audit_round=case.round, from_status="open")
    with pytest.raises(ValidationError, match="only be added"):
        services.case_create(
            actor=coordinator, audit_round=case.round, summary="", age_band="5_9", plan_type="cin", needs=[]
        )
