"""Reads of the learning: one round's learning page, the library across rounds (search and
filters), the practice themes that recur year after year, and the grades the multi-agency
meetings agreed across rounds and agencies. Each runs a fixed number of
queries whatever the number of rows. The library and the recurring themes read only the
learning their reader may see (``learning_visible_to``)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import ExtractYear

from audits.learning.models import CASE_KINDS
from audits.learning.permissions import can_read_unpublished_learning
from audits.models import AuditRound, CaseAgency, CaseDiscussion, LearningPoint, PracticeTheme, TemplateQuestion
from lib.pagination import page_number


def cited_cases_label(cases) -> str:
    """What a point cites: "Case 2", "Cases 1 and 2", "Cases 1, 2 and 4", or "The round as a
    whole" for no case."""
    numbers = sorted({case.number for case in cases})
    if not numbers:
        return "The round as a whole"
    if len(numbers) == 1:
        return f"Case {numbers[0]}"
    return "Cases " + ", ".join(str(number) for number in numbers[:-1]) + f" and {numbers[-1]}"


def with_citations(points) -> list[LearningPoint]:
    """The points as a list, each with ``cited``: its cited cases in words (prefetch
    ``evidence_cases`` first, so that this reads nothing)."""
    points = list(points)
    for point in points:
        point.cited = cited_cases_label(point.evidence_cases.all())
    return points


def learning_visible_to(user) -> QuerySet:
    """The learning ``user`` may read in the library: all of it for those who may read
    unpublished learning, else only what a published briefing printed."""
    points = LearningPoint.objects.all()
    return points if can_read_unpublished_learning(user) else points.published()


def _with_details(points: QuerySet, *, questions_and_links=True) -> QuerySet:
    """The points with their round, case, themes, agencies and cited cases, and (unless the page
    does not show them: the library) their questions and links."""
    points = points.select_related("round__area", "case").prefetch_related("themes", "agencies", "evidence_cases")
    return points.prefetch_related("questions", "links") if questions_and_links else points


def round_learning(audit_round: AuditRound) -> dict:
    """The round's learning in order: each case with the strengths and findings its meeting
    recorded (``cases``), then the points written for the round, of every kind (``round``:
    kind -> points). Every point has ``cited`` (see ``with_citations``)."""
    cases = list(audit_round.cases.order_by("number"))
    by_case = {case.pk: {"case": case, "strengths": [], "findings": []} for case in cases}
    across = {kind: [] for kind in LearningPoint.Kind}
    points = _with_details(LearningPoint.objects.filter(round=audit_round)).order_by("position", "pk")
    for point in with_citations(points):
        if point.case_id is None:
            across[point.kind].append(point)
        elif point.kind in CASE_KINDS and point.case_id in by_case:
            by_case[point.case_id][f"{point.kind}s"].append(point)
    return {"cases": list(by_case.values()), "round": across}


def themes_with_use() -> QuerySet:
    """Every practice theme, the active first, with how many points it tags (``use_count``)."""
    return PracticeTheme.objects.annotate(use_count=Count("learning_points")).order_by("-is_active", "name")


def _search(points: QuerySet, words: str) -> QuerySet:
    """Every word must appear in the heading, the text or the name of a theme that tags the
    point. PostgreSQL matches English word forms too ("fathers" finds "father") through the
    stored, indexed ``search_vector``, most relevant first; other databases match the words as
    typed, in any case."""
    words = " ".join(words.split())
    if not words:
        return points
    if connection.vendor == "postgresql":
        query = SearchQuery(words, config="english", search_type="websearch")
        return (
            points.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-round__launch_date", "round_id", "case__number", "kind", "position", "pk")
        )
    for word in words.split():
        tagged = PracticeTheme.objects.filter(learning_points=OuterRef("pk"), name__icontains=word)
        points = points.filter(Q(heading__icontains=word) | Q(text__icontains=word) | Exists(tagged))
    return points


def library_points(user, *, words: str = "", kind="", theme=None, area=None, year=None, agency=None) -> QuerySet:
    """The learning ``user`` may read across rounds, newest rounds first, narrowed by the
    filters given."""
    points = _with_details(learning_visible_to(user), questions_and_links=False).order_by(
        "-round__launch_date", "round_id", "case__number", "kind", "position", "pk"
    )
    if kind:
        points = points.filter(kind=kind)
    if theme is not None:
        points = points.filter(themes=theme)
    if area is not None:
        points = points.filter(round__area=area)
    if year:
        points = points.filter(round__launch_date__year=year)
    if agency is not None:
        points = points.filter(agencies=agency)
    return _search(points, words)


def library_page(user, number, *, per_page: int, **filters) -> Page:
    """Page ``number`` (as in the URL) of ``library_points(user, **filters)``, its rows and the
    total from one query (``count(*) OVER ()``), not a count and then the rows. A page past the
    end (an old link) shows the last page, which costs two more queries."""
    points = library_points(user, **filters)
    number = page_number(number)
    start = (number - 1) * per_page
    rows = list(points.annotate(library_total=Window(Count("*")))[start : start + per_page])
    if not rows and number > 1:
        last = max(1, -(-points.count() // per_page))
        return (
            library_page(user, last, per_page=per_page, **filters) if last < number else _page([], number, 0, per_page)
        )
    return _page(rows, number, rows[0].library_total if rows else 0, per_page)


def _page(rows: list, number: int, total: int, per_page: int) -> Page:
    paginator = Paginator([], per_page)
    paginator.count = total  # known already: the paginator must not count again
    return Page(rows, number, paginator)


def library_years() -> list[int]:
    """The years in which rounds launched, newest first."""
    return [day.year for day in AuditRound.objects.dates("launch_date", "year", order="DESC")]


@dataclass
class ThemeRow:
    name: str
    cells: dict = field(default_factory=dict)  # year -> {"strength": n, "finding": n}
    strengths: int = 0
    findings: int = 0

    @property
    def total(self) -> int:
        return self.strengths + self.findings


def _in_area_and_period(queryset: QuerySet, prefix: str, *, area=None, year_from=None, year_to=None) -> QuerySet:
    """``queryset`` narrowed to rounds of ``area`` launched from ``year_from`` to ``year_to``
    (each optional); ``prefix`` leads from its rows to their round ("" for rounds)."""
    if area is not None:
        queryset = queryset.filter(**{f"{prefix}area": area})
    if year_from:
        queryset = queryset.filter(**{f"{prefix}launch_date__year__gte": year_from})
    if year_to:
        queryset = queryset.filter(**{f"{prefix}launch_date__year__lte": year_to})
    return queryset


def recurring_themes(user, *, area=None, year_from=None, year_to=None) -> dict:
    """Strengths and findings ``user`` may read, per practice theme and year of the round's
    launch, of rounds in ``area`` launched from ``year_from`` to ``year_to`` (each optional).
    Themes are listed most often found first; a theme in more than one year recurs. The years
    are those with any strength or finding the reader may see."""
    points = _in_area_and_period(learning_visible_to(user), "round__", area=area, year_from=year_from, year_to=year_to)
    counts = (
        points.filter(kind__in=CASE_KINDS, themes__isnull=False)
        .values("themes__name", "kind", year=ExtractYear("round__launch_date"))
        .annotate(count=Count("pk", distinct=True))
        .order_by()
    )
    rows: dict[str, ThemeRow] = {}
    years = set()
    for item in counts:
        row = rows.setdefault(item["themes__name"], ThemeRow(item["themes__name"]))
        years.add(item["year"])
        cell = row.cells.setdefault(item["year"], defaultdict(int))
        cell[item["kind"]] += item["count"]
        if item["kind"] == LearningPoint.Kind.STRENGTH:
            row.strengths += item["count"]
        else:
            row.findings += item["count"]
    years = sorted(years)
    ordered = sorted(rows.values(), key=lambda row: (-row.total, row.name.lower()))
    for row in ordered:
        row.by_year = [
            (year, row.cells.get(year, {}).get("strength", 0), row.cells.get(year, {}).get("finding", 0))
            for year in years
        ]
        row.years_found = sum(1 for _, s, f in row.by_year if s or f)
    return {"years": years, "rows": ordered}


# The agreed grades across rounds ------------------------------------------------------------------

GRADES = TemplateQuestion.Grade.choices  # best first
# A cell's shading: its share of the row's graded cases, in quarters (0: none).
HEAT_BANDS = 4
HEAT_KEY = [
    (0, "none"),
    (1, "up to a quarter"),
    (2, "up to a half"),
    (3, "up to three quarters"),
    (4, "more than three quarters"),
]


def rounds_with_grades_visible_to(user) -> QuerySet:
    """The rounds whose agreed grades ``user`` may read across rounds: every round for those who
    may read unpublished learning, else only rounds a published briefing covers (as the
    library shows them only published learning)."""
    rounds = AuditRound.objects.all()
    if can_read_unpublished_learning(user):
        return rounds
    return rounds.filter(pk__in=AuditRound.objects.filter(briefings__versions__isnull=False).values("pk"))


@dataclass
class GradeRow:
    """One row of the grade view: the cases of a round (all agencies, or one agency's) by the
    grade the multi-agency meeting agreed."""

    label: str
    counts: dict  # grade -> number of cases
    is_total: bool = False

    @property
    def graded(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[tuple[str, int, int]]:
        """(grade label, count, band) per grade, best first; the band is the count's share of
        the row in quarters, 0 for none."""
        graded = self.graded or 1
        return [
            (label, self.counts.get(grade, 0), -(-HEAT_BANDS * self.counts.get(grade, 0) // graded))
            for grade, label in GRADES
        ]


def agreed_grades(user, *, area=None, year_from=None, year_to=None) -> list[dict]:
    """The grades the multi-agency meetings agreed, per round (newest first) and agency: for each
    round with any agreed grade that ``user`` may read, in ``area``, launched from ``year_from``
    to ``year_to`` (each optional), a row counting all its graded cases and a row per agency
    taking part in them. Three queries, whatever the number of rounds, agencies or cases."""
    rounds = _in_area_and_period(
        rounds_with_grades_visible_to(user), "", area=area, year_from=year_from, year_to=year_to
    )
    rounds = list(
        rounds.filter(pk__in=CaseDiscussion.objects.exclude(agreed_grade="").values("case__round_id"))
        .select_related("area")
        .order_by("-launch_date", "title", "pk")
    )
    ids = [audit_round.pk for audit_round in rounds]
    totals = defaultdict(dict)
    for item in (
        CaseDiscussion.objects.filter(case__round_id__in=ids)
        .exclude(agreed_grade="")
        .values("case__round_id", "agreed_grade")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        totals[item["case__round_id"]][item["agreed_grade"]] = item["count"]
    by_agency = defaultdict(dict)  # round id -> agency name -> grade -> count
    for item in (
        CaseAgency.objects.filter(case__round_id__in=ids)
        .exclude(case__discussion__agreed_grade="")
        .filter(case__discussion__isnull=False)
        .values("case__round_id", "agency__name", grade=F("case__discussion__agreed_grade"))
        .annotate(count=Count("case_id", distinct=True))
        .order_by()
    ):
        by_agency[item["case__round_id"]].setdefault(item["agency__name"], {})[item["grade"]] = item["count"]
    return [
        {
            "round": audit_round,
            "rows": [GradeRow("All agencies", totals[audit_round.pk], is_total=True)]
            + [
                GradeRow(name, counts)
                for name, counts in sorted(by_agency[audit_round.pk].items(), key=lambda item: item[0].lower())
            ],
        }
        for audit_round in rounds
    ]
