"""Reads for briefings: what a briefing shows, in the order it shows it, for the preview page, the
PDF and the publication guard alike (one structure, so the three can never differ)."""

from django.db.models import Prefetch

from audits.models import Attendance, AuditRound, AuditTool, Case, CaseDraw, Chronology, LearningPoint, WorkStatus
from audits.rounds.models import STRATA_CHOICES
from briefings.content import (
    BriefingContent,
    ByCaseContent,
    ByThemeContent,
    CaseItems,
    CaseLearning,
    Item,
    RoundFacts,
    SixStepContent,
    ThemeItems,
)
from briefings.models import Briefing, BriefingItem
from briefings.permissions import can_manage_briefings

Kind = LearningPoint.Kind

# The kinds of learning each format uses, in the order they appear.
FORMAT_KINDS = {
    Briefing.Format.SIX_STEP: [Kind.STRENGTH, Kind.FINDING, Kind.RECOMMENDATION, Kind.GOOD_PRACTICE],
    Briefing.Format.BY_THEME: [Kind.STRENGTH, Kind.KEY_MESSAGE],
    Briefing.Format.BY_CASE: [Kind.STRENGTH, Kind.KEY_MESSAGE],
}
RETURNED = [WorkStatus.SUBMITTED, WorkStatus.ACCEPTED]


def briefing_rounds(briefing) -> list[AuditRound]:
    return sorted(briefing.rounds.select_related("area"), key=lambda r: (r.area.name, r.pk))


def briefing_cases(rounds) -> list[Case]:
    cases = list(
        Case.objects.filter(round__in=rounds).select_related("round__area").order_by("round__area__name", "number")
    )
    several = len(rounds) > 1
    for case in cases:
        case.label = f"Case {case.number} ({case.round.area.name})" if several else str(case)
    return cases


def learning_for_format(rounds, briefing_format) -> list[LearningPoint]:
    """The rounds' learning points a new briefing of this format starts from, in briefing order."""
    kinds = FORMAT_KINDS[briefing_format]
    points = LearningPoint.objects.filter(round__in=rounds, kind__in=kinds).select_related("case__round__area")
    return sorted(
        points,
        key=lambda p: (
            kinds.index(p.kind),
            (p.case.round.area.name, p.case.number) if p.case else ("~", 0),
            p.position,
            p.pk,
        ),
    )


def items_with_points(briefing):
    """Every item of a briefing (included or not), with its learning point and what it shows."""
    return list(
        BriefingItem.objects.filter(briefing=briefing)
        .select_related("learning_point__case__round__area")
        .prefetch_related(
            "learning_point__themes",
            "learning_point__questions",
            "learning_point__links",
            Prefetch("learning_point__evidence_cases", queryset=Case.objects.select_related("round__area")),
        )
        .order_by("position")
    )


def _case_refs(point, labels) -> list[str]:
    cases = [point.case] if point.case_id else []
    cases += [case for case in point.evidence_cases.all() if case.pk != point.case_id]
    return sorted({labels.get(case.pk, str(case)) for case in cases}, key=lambda text: (len(text), text))


def _selection(audit_round, cases) -> str:
    draw = CaseDraw.objects.filter(round=audit_round, status=CaseDraw.Status.CONFIRMED).order_by("-created_at").first()
    count = len(cases)
    noun = "case was" if count == 1 else "cases were"
    if draw is not None:
        spread = [label.lower() for value, label in STRATA_CHOICES if value in draw.strata]
        sentence = f"{count} {noun} drawn at random from a list of {draw.candidate_count}"
        if spread:
            sentence += ", spread across " + " and ".join(spread)
        return sentence + "."
    return f"{count} {noun} chosen by the audit coordinator."


def _names(agencies) -> str:
    names = sorted({agency.name for agency in agencies})
    if not names:
        return "none"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _process(audit_round, cases, learning_count) -> list[str]:
    """What happened in the round, in words, from its records."""
    case_ids = [case.pk for case in cases]
    tools = AuditTool.objects.filter(case_id__in=case_ids, status__in=RETURNED).select_related("agency")
    chronologies = Chronology.objects.filter(case_id__in=case_ids, status__in=RETURNED).select_related("agency")
    count = len(cases)
    lines = [
        f"{count} {'case was' if count == 1 else 'cases were'} audited.",
        f"Audit tools were returned by: {_names(t.agency for t in tools)}.",
        f"Chronologies were returned by: {_names(c.agency for c in chronologies)}.",
    ]
    meeting = audit_round.meetings.order_by("sitting").first()
    if meeting is not None:
        present = Attendance.objects.filter(
            meeting__round=audit_round, status=Attendance.Status.PRESENT
        ).select_related("agency")
        lines.append(
            f"The multi-agency meeting on {meeting.starts_at:%-d %B %Y} examined each case; agencies attending: "
            f"{_names(a.agency for a in present)}."
        )
    else:
        lines.append("No multi-agency meeting has been recorded.")
    lines.append(f"A learning summary was written, with {learning_count} points of learning.")
    actions = audit_round.actions.count()
    lines.append(f"{actions} {'action was' if actions == 1 else 'actions were'} added to the action plan.")
    return lines


def _items(briefing, labels) -> list[Item]:
    """The included items in position order, each numbered within its kind ("Key message 2")."""
    counts = {}
    items = []
    for briefing_item in items_with_points(briefing):
        if not briefing_item.included:
            continue
        point = briefing_item.learning_point
        counts[point.kind] = counts.get(point.kind, 0) + 1
        items.append(Item(point, f"{point.get_kind_display()} {counts[point.kind]}", _case_refs(point, labels)))
    return items


def _six_step(common: dict, by_kind) -> SixStepContent:
    rounds, cases = common["rounds"], common["cases"]
    learning_count = LearningPoint.objects.filter(round__in=rounds).count()
    round_facts = []
    for audit_round in rounds:
        round_cases = [case for case in cases if case.round_id == audit_round.pk]
        round_facts.append(
            RoundFacts(
                audit_round,
                round_cases,
                _selection(audit_round, round_cases),
                _process(audit_round, round_cases, learning_count),
            )
        )

    def per_case(kind) -> list[CaseItems]:
        groups = []
        for case in cases:
            case_items = [item for item in by_kind[kind] if item.learning_point.case_id == case.pk]
            if case_items:
                groups.append(CaseItems(case, case_items))
        return groups

    return SixStepContent(
        **common,
        round_facts=round_facts,
        strengths=per_case(Kind.STRENGTH),
        findings=per_case(Kind.FINDING),
        recommendations=by_kind[Kind.RECOMMENDATION],
        good_practice=by_kind[Kind.GOOD_PRACTICE],
    )


def _by_theme(common: dict, by_kind) -> ByThemeContent:
    themes = {}
    for item in by_kind[Kind.STRENGTH]:
        names = sorted(theme.name for theme in item.learning_point.themes.all())
        themes.setdefault(names[0] if names else "", []).append(item)
    return ByThemeContent(
        **common,
        themes=[
            ThemeItems(name or "Other strengths", themes[name]) for name in sorted(themes, key=lambda n: (n == "", n))
        ],
        key_messages=by_kind[Kind.KEY_MESSAGE],
    )


def _by_case(common: dict, by_kind) -> ByCaseContent:
    sections = []
    placed = set()
    for case in common["cases"]:
        key_messages = [
            item
            for item in by_kind[Kind.KEY_MESSAGE]
            if item.learning_point.case_id == case.pk
            or any(c.pk == case.pk for c in item.learning_point.evidence_cases.all())
        ]
        placed.update(item.learning_point.pk for item in key_messages)
        strengths = [i for i in by_kind[Kind.STRENGTH] if i.learning_point.case_id == case.pk]
        sections.append(CaseLearning(case, strengths, key_messages))
    return ByCaseContent(
        **common,
        by_case=sections,
        other_key_messages=[item for item in by_kind[Kind.KEY_MESSAGE] if item.learning_point.pk not in placed],
    )


_BUILDERS = {
    Briefing.Format.SIX_STEP: _six_step,
    Briefing.Format.BY_THEME: _by_theme,
    Briefing.Format.BY_CASE: _by_case,
}


def briefing_content(briefing) -> BriefingContent:
    """What the briefing shows, section by section, from its included items in position order."""
    rounds = briefing_rounds(briefing)
    cases = briefing_cases(rounds)
    items = _items(briefing, {case.pk: case.label for case in cases})
    by_kind = {kind: [item for item in items if item.learning_point.kind == kind] for kind in Kind.values}
    common = {"briefing": briefing, "rounds": rounds, "cases": cases, "items": items}
    return _BUILDERS[briefing.format](common, by_kind)


def briefings_for_user(user):
    """Coordinators see every briefing; other readers only those with a published version."""
    queryset = Briefing.objects.prefetch_related("rounds__area", "versions")
    if not can_manage_briefings(user):
        queryset = queryset.filter(versions__isnull=False).distinct()
    return queryset


def latest_render(briefing):
    return briefing.renders.select_related("requested_by").first()
