"""Reads of the audit programme that depend on who is asking."""

from django.db.models import Count, Prefetch, Q

from agencies.permissions import can_view_all_rounds
from audits.models import AuditRound, AuditTool, Case, CaseAgency, CaseDraw, Chronology, Need
from audits.rounds import candidates as candidate_lists
from lib.storage import private_storage


def rounds_for_list(user, *, area=None, year=None, status=None):
    """Rounds the user may see, filtered, with their case count, in one query."""
    rounds = AuditRound.objects.visible_to(user).select_related("area")
    if area:
        rounds = rounds.filter(area=area)
    if year:
        rounds = rounds.filter(launch_date__year=year)
    if status:
        rounds = rounds.filter(status=status)
    if can_view_all_rounds(user):
        return rounds.annotate(case_count=Count("cases", distinct=True))
    # Agency staff count only the cases their agency is part of.
    return rounds.annotate(case_count=Count("cases", filter=Q(cases__case_agencies__agency=user.agency), distinct=True))


def round_years(user) -> list[int]:
    return sorted({d.year for d in AuditRound.objects.visible_to(user).dates("launch_date", "year")}, reverse=True)


def cases_for_round(user, audit_round):
    """The round's cases the user may see, with their agencies and needs prefetched."""
    return (
        Case.objects.visible_to(user)
        .filter(round=audit_round)
        .prefetch_related(
            Prefetch("case_agencies", queryset=CaseAgency.objects.select_related("agency")),
            "needs",
        )
    )


def participating_agencies(cases) -> list:
    """The distinct agencies across already-fetched cases, by name."""
    agencies = {link.agency.pk: link.agency for case in cases for link in case.case_agencies.all()}
    return sorted(agencies.values(), key=lambda agency: agency.name)


def agency_rounds(user):
    """For agency staff: rounds in progress where their agency takes part, with its cases."""
    agency = user.agency
    if agency is None:
        return []
    cases = Case.objects.filter(case_agencies__agency=agency).order_by("number")
    return list(
        AuditRound.objects.visible_to(user)
        .in_progress()
        .select_related("area")
        .prefetch_related(Prefetch("cases", queryset=cases, to_attr="agency_cases"))
        .order_by("launch_date")
    )


def coordinator_rounds(user):
    return list(
        AuditRound.objects.visible_to(user)
        .in_progress()
        .select_related("area")
        .annotate(
            case_count=Count("cases", distinct=True),
            cases_without_agencies=Count("cases", filter=Q(cases__case_agencies__isnull=True), distinct=True),
        )
        .order_by("launch_date")
    )


def confirmed_draws(audit_round) -> list[CaseDraw]:
    """The draws that chose a round's cases, newest first: the record of how they were chosen."""
    return list(audit_round.draws.filter(status=CaseDraw.Status.CONFIRMED))


def needs_lookup() -> dict:
    """Each need by its normalised name and slug, to its slug: how a candidate list names needs."""
    lookup = {}
    for need in Need.objects.all():
        lookup[candidate_lists.normalise_header(need.name)] = need.slug
        lookup[candidate_lists.normalise_header(need.slug)] = need.slug
    return lookup


def draw_candidates(draw: CaseDraw) -> list:
    """The candidates a draw selected, read again from its stored file, in draw order."""
    data = private_storage.read_bytes(draw.stored_file)
    candidates = candidate_lists.parse_candidates(
        data, draw.file_name, launch_date=draw.round.launch_date, needs_by_key=needs_lookup()
    )
    by_reference = {c.reference: c for c in candidates}
    return [by_reference[reference] for reference in draw.selected_references]


def case_returns_for_user(user, case) -> list[dict]:
    """Per agency of a case, its audit tool and chronology: all agencies for coordinators and
    administrators, only their own for agency staff."""
    tools = AuditTool.objects.visible_to(user).filter(case=case).select_related("agency")
    chronologies = Chronology.objects.visible_to(user).filter(case=case).select_related("agency")
    by_agency: dict[int, dict] = {}
    for tool in tools:
        by_agency.setdefault(tool.agency_id, {"agency": tool.agency})["tool"] = tool
    for chronology in chronologies:
        by_agency.setdefault(chronology.agency_id, {"agency": chronology.agency})["chronology"] = chronology
    return sorted(by_agency.values(), key=lambda row: row["agency"].name)
