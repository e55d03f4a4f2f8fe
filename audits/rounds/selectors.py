"""Reads of the audit programme that depend on who is asking."""

from django.db.models import Count, Prefetch, Q

from audits.models import AuditRound, Case, CaseAgency


def rounds_for_list(user, *, area=None, year=None, status=None):
    """Rounds the user may see, filtered, with their case count, in one query."""
    rounds = AuditRound.objects.visible_to(user).select_related("area")
    if area:
        rounds = rounds.filter(area=area)
    if year:
        rounds = rounds.filter(launch_date__year=year)
    if status:
        rounds = rounds.filter(status=status)
    if user.has_perm("audits.view_all_rounds"):
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


def case_returns_for_user(user, case) -> list[dict]:
    """Per agency of a case, its audit tool and chronology: all agencies for coordinators and
    administrators, only their own for agency staff."""
    from audits.models import AuditTool, Chronology

    tools = AuditTool.objects.filter(case=case).select_related("agency")
    chronologies = Chronology.objects.filter(case=case).select_related("agency")
    if not user.has_perm("audits.view_all_rounds"):
        tools = tools.filter(agency=user.agency)
        chronologies = chronologies.filter(agency=user.agency)
    by_agency: dict[int, dict] = {}
    for tool in tools:
        by_agency.setdefault(tool.agency_id, {"agency": tool.agency})["tool"] = tool
    for chronology in chronologies:
        by_agency.setdefault(chronology.agency_id, {"agency": chronology.agency})["chronology"] = chronology
    return sorted(by_agency.values(), key=lambda row: row["agency"].name)
