"""Reads for briefings: what a briefing shows, in the order it shows it, for the preview page, the
PDF, the DOCX and the publication guard alike (one structure, so they can never differ), and the
composer page that chooses and orders it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch

from audits.models import (
    Action,
    Attendance,
    AuditRound,
    AuditTool,
    Case,
    CaseDraw,
    Chronology,
    LearningPoint,
    PracticeTheme,
    WorkStatus,
)
from audits.rounds.models import STRATA_CHOICES
from briefings.content import BriefingContent, Group, Item, LeftOut, RoundFacts, Section, join_words
from briefings.models import LEARNING_SECTIONS, Briefing, BriefingItem, BriefingSection, BriefingTheme
from briefings.permissions import readable_briefings

Kind = LearningPoint.Kind
SectionKind, Grouping = BriefingSection.Kind, BriefingSection.Grouping
RETURNED = list(WorkStatus.handed_in())

# The order of kinds when a briefing's items are first made (and learning added later joins).
KIND_ORDER = [Kind.STRENGTH, Kind.FINDING, Kind.KEY_MESSAGE, Kind.RECOMMENDATION, Kind.GOOD_PRACTICE]
HEADINGS = {
    SectionKind.CASES: "Theme and cases",
    SectionKind.PROCESS: "Process",
    SectionKind.KEY_MESSAGE: "Key messages",
    SectionKind.RECOMMENDATION: "Recommendations across the cases",
    SectionKind.GOOD_PRACTICE: "Good practice",
    SectionKind.ACTIONS: "Actions agreed",
}
PER_CASE_HEADINGS = {
    SectionKind.STRENGTH: ("Strengths identified per case", "Strengths across the cases"),
    SectionKind.FINDING: ("Findings identified per case", "Findings across the cases"),
}
ACROSS = "Across the cases"


def section_heading(briefing: Briefing, section: BriefingSection, number: int) -> str:
    if section.kind in PER_CASE_HEADINGS:
        per_case, across = PER_CASE_HEADINGS[section.kind]
        heading = per_case if section.grouping == Grouping.BY_CASE else across
    else:
        heading = HEADINGS[section.kind]
    return f"{number}. {heading}" if briefing.numbered else heading


def briefing_rounds(briefing) -> list[AuditRound]:
    return sorted(briefing.rounds.select_related("area"), key=lambda r: (r.area.name, r.launch_date, r.pk))


def round_labels(rounds) -> dict[int, str]:
    """What tells the rounds apart ("" for one round): the area, the period, or both."""
    if len(rounds) < 2:
        return {r.pk: "" for r in rounds}
    candidates = [
        lambda r: r.area.name,
        lambda r: r.period_label,
        lambda r: f"{r.area.name}, {r.period_label}",
        lambda r: r.title,
    ]
    for label in candidates:
        labels = [label(r) for r in rounds]
        if len(set(labels)) == len(labels):
            return {r.pk: label(r) for r in rounds}
    return {r.pk: f"{r.title} ({r.pk})" for r in rounds}


def briefing_cases(rounds) -> list[Case]:
    """The rounds' cases in round order, each with its ``label`` ("Case 1", or "Case 1 (North)")."""
    labels = round_labels(rounds)
    order = {r.pk: index for index, r in enumerate(rounds)}
    cases = sorted(
        Case.objects.filter(round__in=rounds).select_related("round__area"),
        key=lambda c: (order[c.round_id], c.number),
    )
    for case in cases:
        case.label = f"Case {case.number} ({labels[case.round_id]})" if labels[case.round_id] else str(case)
    return cases


def learning_for_briefing(rounds) -> list[LearningPoint]:
    """Every learning point of the rounds, in the order a new briefing starts from."""
    points = LearningPoint.objects.filter(round__in=rounds).select_related("case", "round__area")
    order = {r.pk: index for index, r in enumerate(rounds)}
    return sorted(
        points,
        key=lambda p: (
            KIND_ORDER.index(p.kind),
            order.get(p.round_id, 0),
            p.case.number if p.case else 10**6,
            p.position,
            p.pk,
        ),
    )


def items_with_points(briefing) -> list[BriefingItem]:
    """Every item of a briefing (included or not), with its learning point and what it shows."""
    return list(
        BriefingItem.objects.filter(briefing=briefing)
        .select_related("learning_point__case__round__area", "learning_point__round")
        .prefetch_related(
            "learning_point__themes",
            "learning_point__questions",
            "learning_point__links",
            Prefetch("learning_point__evidence_cases", queryset=Case.objects.select_related("round__area")),
        )
        .order_by("position")
    )


def cited_cases(point: LearningPoint) -> list[Case]:
    """The cases a point cites: its evidence cases and the case it was recorded on."""
    cases = {case.pk: case for case in point.evidence_cases.all()}
    if point.case_id and point.case_id not in cases:
        cases[point.case_id] = point.case
    return list(cases.values())


def case_refs(cases: list[Case], rounds: list[AuditRound]) -> str:
    """The cases in words: "Case 1", "Cases 1 and 2", "Cases 1 and 2 (North) and Case 3 (South)"."""
    labels = round_labels(rounds)
    order = {r.pk: index for index, r in enumerate(rounds)}
    by_round: dict[int, list[int]] = {}
    for case in sorted(cases, key=lambda c: (order.get(c.round_id, 0), c.number)):
        by_round.setdefault(case.round_id, []).append(case.number)
    parts = []
    for round_id, numbers in by_round.items():
        noun = "Case" if len(numbers) == 1 else "Cases"
        part = f"{noun} {join_words([str(n) for n in numbers])}"
        parts.append(f"{part} ({labels[round_id]})" if labels.get(round_id) else part)
    return join_words(parts)


def theme_order(briefing, points) -> list[PracticeTheme]:
    """The practice themes of these points in the briefing's order: those the author placed, then
    the rest by name."""
    themes = {theme.pk: theme for point in points for theme in point.themes.all()}
    placed = {row.theme_id: row.position for row in BriefingTheme.objects.filter(briefing=briefing)}
    return sorted(themes.values(), key=lambda t: (placed.get(t.pk, 10**6), t.name.lower(), t.pk))


@dataclass(frozen=True)
class _GroupKey:
    """Where a point goes in a section: its place in the section's order, and the heading."""

    rank: tuple
    heading: str
    show_refs: bool


def _grouper(section, cases, themes) -> Callable[[LearningPoint], _GroupKey]:
    kind_plural = section.get_kind_display().lower()
    if section.grouping == Grouping.BY_CASE:
        case_rank = {case.pk: index for index, case in enumerate(cases)}

        def by_case(point):
            cited = point.cited
            if len(cited) == 1 and cited[0].pk in case_rank:
                return _GroupKey((case_rank[cited[0].pk],), cited[0].label, False)
            return _GroupKey((len(case_rank),), ACROSS if cases else "", True)

        return by_case
    if section.grouping == Grouping.BY_THEME:
        theme_rank = {theme.pk: index for index, theme in enumerate(themes)}

        def by_theme(point):
            mine = sorted((theme_rank[t.pk], t.name) for t in point.themes.all() if t.pk in theme_rank)
            if mine:
                return _GroupKey((mine[0][0],), mine[0][1], True)
            return _GroupKey((len(theme_rank),), f"Other {kind_plural}" if themes else "", True)

        return by_theme
    return lambda point: _GroupKey((0,), "", True)


def _groups(entries, point_of, grouper) -> list[tuple[_GroupKey, list]]:
    """Entries (in position order) into their groups, the groups in the section's order."""
    groups: dict[_GroupKey, list] = {}
    for entry in entries:
        groups.setdefault(grouper(point_of(entry)), []).append(entry)
    return sorted(groups.items(), key=lambda pair: pair[0].rank)


def _selection(audit_round, cases) -> str:
    count = len(cases)
    if not count:
        return ""
    draw = CaseDraw.objects.filter(round=audit_round, status=CaseDraw.Status.CONFIRMED).order_by("-created_at").first()
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
    return join_words(names) if names else "none"


def _process(audit_round, cases, learning_count) -> list[str]:
    """What happened in the round, in words, from its records."""
    lines = []
    count = len(cases)
    if count:
        case_ids = [case.pk for case in cases]
        tools = AuditTool.objects.filter(case_id__in=case_ids, status__in=RETURNED).select_related("agency")
        chronologies = Chronology.objects.filter(case_id__in=case_ids, status__in=RETURNED).select_related("agency")
        lines += [
            f"{count} {'case was' if count == 1 else 'cases were'} audited.",
            f"Audit tools were returned by: {_names(t.agency for t in tools)}.",
            f"Chronologies were returned by: {_names(c.agency for c in chronologies)}.",
        ]
    meeting = audit_round.meetings.order_by("sitting").first()
    if meeting is not None:
        present = Attendance.objects.filter(
            meeting__round=audit_round, status=Attendance.Status.PRESENT
        ).select_related("agency")
        examined = "examined each case" if count else "met"
        lines.append(
            f"The multi-agency meeting on {meeting.starts_at:%-d %B %Y} {examined}; agencies attending: "
            f"{_names(a.agency for a in present)}."
        )
    else:
        lines.append("No multi-agency meeting has been recorded.")
    lines.append(f"A learning summary was written, with {learning_count} points of learning.")
    actions = audit_round.actions.count()
    lines.append(f"{actions} {'action was' if actions == 1 else 'actions were'} added to the action plan.")
    return lines


def _round_facts(rounds, cases, sections) -> list[RoundFacts]:
    kinds = {section.kind for section in sections}
    if not kinds & {SectionKind.CASES, SectionKind.PROCESS}:
        return []
    labels = round_labels(rounds)
    counts = {}
    for round_id in LearningPoint.objects.filter(round__in=rounds).values_list("round_id", flat=True):
        counts[round_id] = counts.get(round_id, 0) + 1
    facts = []
    for audit_round in rounds:
        round_cases = [case for case in cases if case.round_id == audit_round.pk]
        facts.append(
            RoundFacts(
                audit_round,
                labels[audit_round.pk],
                round_cases,
                _selection(audit_round, round_cases),
                _process(audit_round, round_cases, counts.get(audit_round.pk, 0))
                if SectionKind.PROCESS in kinds
                else [],
            )
        )
    return facts


def _left_out(points, items, sections) -> list[LeftOut]:
    present = {section.kind for section in sections}
    by_point = {item.learning_point_id: item for item in items}
    left_out = []
    for point in points:
        where = f"{point.get_kind_display()}, {point.case}" if point.case_id else point.get_kind_display()
        item = by_point.get(point.pk)
        if item is None:
            reason = "Recorded since the briefing was made: choose “Add new learning” to bring it in."
        elif point.kind not in present:
            reason = f"The briefing has no “{SectionKind(point.kind).label}” section."
        elif not item.included:
            reason = "Left out."
        else:
            continue
        left_out.append(LeftOut(point, where, reason))
    return left_out


@dataclass(frozen=True)
class _Parts:
    rounds: list[AuditRound]
    cases: list[Case]
    sections: list[BriefingSection]
    items: list[BriefingItem]  # each learning point with ``cited`` (labelled cases) and ``refs``


def _parts(briefing) -> _Parts:
    rounds = briefing_rounds(briefing)
    cases = briefing_cases(rounds)
    labels = {case.pk: case for case in cases}
    items = items_with_points(briefing)
    for item in items:
        point = item.learning_point
        point.cited = [labels.get(case.pk, case) for case in cited_cases(point)]
        point.refs = case_refs(point.cited, rounds)
    return _Parts(rounds, cases, list(briefing.sections.order_by("position")), items)


def briefing_content(briefing) -> BriefingContent:
    """What the briefing shows, section by section, from its included items in position order."""
    parts = _parts(briefing)
    rounds, cases, sections, items = parts.rounds, parts.cases, parts.sections, parts.items
    included = [item for item in items if item.included]
    themes = theme_order(briefing, [item.learning_point for item in included])
    counts: dict[str, int] = {}
    printed: list[Item] = []
    built: list[Section] = []
    actions = []
    if any(section.kind == SectionKind.ACTIONS for section in sections):
        actions = list(Action.objects.filter(round__in=rounds).select_related("lead_agency").order_by("due_date", "pk"))
    for number, section in enumerate(sections, start=1):
        heading = section_heading(briefing, section, number)
        if section.kind not in LEARNING_SECTIONS:
            built.append(
                Section(section.kind, section.grouping, heading, actions=actions if section.kind == "actions" else [])
            )
            continue
        mine = [item for item in included if item.learning_point.kind == section.kind]
        groups = []
        for key, entries in _groups(mine, lambda item: item.learning_point, _grouper(section, cases, themes)):
            group_items = []
            for entry in entries:
                point = entry.learning_point
                counts[point.kind] = counts.get(point.kind, 0) + 1
                item = Item(point, f"{point.get_kind_display()} {counts[point.kind]}", point.refs)
                group_items.append(item)
                printed.append(item)
            groups.append(Group(key.heading, group_items, key.show_refs))
        built.append(Section(section.kind, section.grouping, heading, groups=groups))
    covered = theme_order(briefing, [item.learning_point for item in printed])
    points = learning_for_briefing(rounds)
    return BriefingContent(
        briefing=briefing,
        rounds=rounds,
        round_facts=_round_facts(rounds, cases, sections),
        cases=cases,
        sections=built,
        items=printed,
        themes_covered=[theme.name for theme in covered],
        left_out=_left_out(points, items, sections),
    )


def included_point_ids(briefing) -> list[int]:
    """The learning points the briefing prints (what a published version holds)."""
    return [item.learning_point.pk for item in briefing_content(briefing).items]


@dataclass(frozen=True)
class ComposerGroup:
    heading: str
    items: list[BriefingItem]


@dataclass(frozen=True)
class ComposerSection:
    section: BriefingSection
    heading: str
    groups: list[ComposerGroup]


def compose_page(briefing) -> dict:
    """The composer: each section with every item of its kind (left out or not) in its groups, the
    themes in order, the sections that could be added, and what the briefing does not print."""
    parts = _parts(briefing)
    cases, sections, items = parts.cases, parts.sections, parts.items
    themes = theme_order(briefing, [item.learning_point for item in items])
    composed = []
    for number, section in enumerate(sections, start=1):
        groups = []
        if section.is_learning:
            mine = [item for item in items if item.learning_point.kind == section.kind]
            for key, entries in _groups(mine, lambda item: item.learning_point, _grouper(section, cases, themes)):
                groups.append(ComposerGroup(key.heading, entries))
        composed.append(ComposerSection(section, section_heading(briefing, section, number), groups))
    present = {section.kind for section in sections}
    return {
        "sections": composed,
        "themes": themes if any(s.grouping == Grouping.BY_THEME and s.is_learning for s in sections) else [],
        "addable": [(kind.value, kind.label) for kind in SectionKind if kind not in present],
        "left_out": _left_out(learning_for_briefing(parts.rounds), items, sections),
        "item_count": len(items),
        "included_count": sum(1 for item in items if item.included),
    }


def item_groups(briefing) -> dict[int, tuple]:
    """Each item's group (section kind and group rank): an item moves only within its group."""
    parts = _parts(briefing)
    cases, items = parts.cases, parts.items
    sections = {section.kind: section for section in parts.sections}
    themes = theme_order(briefing, [item.learning_point for item in items])
    groups = {}
    for item in items:
        section = sections.get(item.learning_point.kind)
        if section is None:
            groups[item.pk] = (item.learning_point.kind, None)
        else:
            groups[item.pk] = (section.kind, _grouper(section, cases, themes)(item.learning_point).rank)
    return groups


def briefings_for_user(user):
    """The briefings the user may open (``briefings.permissions.readable_briefings``)."""
    return readable_briefings(user).prefetch_related("rounds__area", "versions")


def latest_render(briefing):
    return briefing.renders.select_related("requested_by").first()
