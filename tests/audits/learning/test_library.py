"""The learning library: search by words (full-text on PostgreSQL through a stored, indexed
vector kept up to date by triggers; every word on SQLite), in headings, text and theme names,
filters by kind, theme, area, year and agency, pagination at 50 with rows and total from one
query, and recurring themes with their chart; coordinators read all the learning, every other
reader only what a published briefing printed. Written to pass on both databases."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.learning import services
from audits.learning.selectors import _search, library_page, library_points, recurring_themes
from audits.models import AuditRound, LearningPoint, PracticeTheme
from briefings.models import Briefing, PublishedVersion
from lib.charts import theme_bars
from tests import factories

LIBRARY = "audits:library"


def publish(points, by):
    """A published briefing version that printed ``points``."""
    briefing = Briefing.objects.create(format=Briefing.Format.BY_CASE, title="Published learning", created_by=by)
    briefing.rounds.set({point.round for point in points})
    version = PublishedVersion.objects.create(
        briefing=briefing, number=1, stored_file="briefings/test/v1.pdf", sha256="0" * 64, published_by=by
    )
    version.learning_points.set(points)
    return version


@pytest.fixture
def library(db, agency_a, agency_b):
    """Two rounds in two areas and years, each with a strength, a finding and a key message."""
    north = factories.AreaFactory(name="Northshire", short_name="NS")
    south = factories.AreaFactory(name="Southvale", short_name="SV")
    voice = PracticeTheme.objects.get(name="Voice of the child")
    sharing = PracticeTheme.objects.get(name="Information sharing")
    old = factories.AuditRoundFactory(title="Neglect 2025", area=north, launch_date=datetime.date(2025, 3, 3))
    new = factories.AuditRoundFactory(title="Exploitation 2026", area=south, launch_date=datetime.date(2026, 3, 2))
    points = {}
    for audit_round, agency in ((old, agency_a), (new, agency_b)):
        case = factories.CaseFactory(round=audit_round, number=1)
        year = audit_round.launch_date.year
        strength = factories.LearningPointFactory(
            case=case,
            kind=LearningPoint.Kind.STRENGTH,
            heading=f"Child seen alone {year}",
            text="The health visitor listened to the child and wrote down their words.",
        )
        strength.evidence_cases.set([case])
        strength.themes.set([voice])
        strength.agencies.set([agency])
        finding = factories.LearningPointFactory(
            case=case,
            kind=LearningPoint.Kind.FINDING,
            heading=f"Police reports arrived late {year}",
            text="Reports of domestic incidents reached the school weeks later.",
        )
        finding.evidence_cases.set([case])
        finding.themes.set([sharing, voice])
        finding.agencies.set([agency])
        message = factories.LearningPointFactory(
            round=audit_round,
            kind=LearningPoint.Kind.KEY_MESSAGE,
            heading=f"Curiosity matters {year}",
            text="Ask about every adult in the household.",
        )
        message.evidence_cases.set([case])
        points[year] = {"strength": strength, "finding": finding, "message": message, "round": audit_round}
    points["areas"] = (north, south)
    return points


@pytest.fixture
def all_published(library, coordinator):
    """Every point of the library printed by a published briefing."""
    publish(list(LearningPoint.objects.all()), coordinator)
    return library


def headings(response):
    return sorted(point.heading for point in response.context["page"])


def test_lists_every_point_with_its_round_and_case(client, coordinator, library):
    client.force_login(coordinator)
    response = client.get(reverse(LIBRARY))
    assert len(headings(response)) == 6
    assert f'href="{library[2025]["round"].get_absolute_url()}"' in response.text
    assert f'href="{library[2025]["strength"].case.get_absolute_url()}"' in response.text


def test_board_viewers_see_round_names_without_links_they_cannot_open(client, board_viewer, all_published):
    library = all_published
    client.force_login(board_viewer)
    response = client.get(reverse(LIBRARY))
    assert "Neglect 2025" in response.text
    assert f'href="{library[2025]["round"].get_absolute_url()}"' not in response.text


def test_every_word_must_match(client, coordinator, library):
    client.force_login(coordinator)
    response = client.get(reverse(LIBRARY), {"q": "police reports"})
    assert headings(response) == ["Police reports arrived late 2025", "Police reports arrived late 2026"]
    assert headings(client.get(reverse(LIBRARY), {"q": "police household"})) == []
    assert headings(client.get(reverse(LIBRARY), {"q": "HOUSEHOLD"})) == [
        "Curiosity matters 2025",
        "Curiosity matters 2026",
    ]


def test_search_reads_the_text_as_well_as_the_heading(db, library, coordinator):
    assert sorted(p.heading for p in library_points(coordinator, words="health visitor")) == [
        "Child seen alone 2025",
        "Child seen alone 2026",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="word forms are matched by PostgreSQL only")
def test_postgresql_matches_word_forms(db, library, coordinator):
    assert len(library_points(coordinator, words="listening")) == 2


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "finding"}, ["Police reports arrived late 2025", "Police reports arrived late 2026"]),
        ({"year": "2025"}, ["Child seen alone 2025", "Curiosity matters 2025", "Police reports arrived late 2025"]),
        ({"kind": "strength", "year": "2026"}, ["Child seen alone 2026"]),
        ({"q": "late", "year": "2026"}, ["Police reports arrived late 2026"]),
    ],
)
def test_filters(client, coordinator, library, params, expected):
    client.force_login(coordinator)
    assert headings(client.get(reverse(LIBRARY), params)) == expected


def test_filter_by_theme_area_and_agency(client, coordinator, library, agency_b):
    client.force_login(coordinator)
    sharing = PracticeTheme.objects.get(name="Information sharing")
    assert len(headings(client.get(reverse(LIBRARY), {"theme": sharing.pk}))) == 2
    north, _ = library["areas"]
    assert len(headings(client.get(reverse(LIBRARY), {"area": north.pk}))) == 3
    assert headings(client.get(reverse(LIBRARY), {"agency": agency_b.pk})) == [
        "Child seen alone 2026",
        "Police reports arrived late 2026",
    ]


def test_a_filter_not_in_the_list_is_reported_and_ignored(client, coordinator, library):
    client.force_login(coordinator)
    response = client.get(reverse(LIBRARY), {"kind": "gossip", "q": "late"})
    assert response.status_code == 200
    assert "Choose a kind of learning from the list" in response.text
    assert len(headings(response)) == 2


def test_pages_of_fifty_keep_the_filters(client, coordinator, library):
    audit_round = library[2026]["round"]
    for number in range(55):
        factories.LearningPointFactory(round=audit_round, kind=LearningPoint.Kind.RECOMMENDATION, position=number)
    client.force_login(coordinator)
    first = client.get(reverse(LIBRARY), {"kind": "recommendation"})
    assert len(first.context["page"]) == 50
    assert "govuk-pagination" in first.text
    assert "?kind=recommendation&amp;page=2" in first.text
    second = client.get(reverse(LIBRARY), {"kind": "recommendation", "page": "2"})
    assert len(second.context["page"]) == 5


def test_recurring_themes_counts_by_year(db, library, coordinator):
    table = recurring_themes(coordinator)
    assert table["years"] == [2025, 2026]
    rows = {row.name: row for row in table["rows"]}
    assert rows["Voice of the child"].by_year == [(2025, 1, 1), (2026, 1, 1)]
    assert rows["Information sharing"].by_year == [(2025, 0, 1), (2026, 0, 1)]
    assert rows["Voice of the child"].years_found == 2
    assert [row.name for row in table["rows"]] == ["Voice of the child", "Information sharing"]


def test_themes_page_has_an_accessible_chart_and_its_table(client, board_viewer, all_published):
    client.force_login(board_viewer)
    text = client.get(reverse("audits:library-themes")).text
    assert 'role="img"' in text and 'aria-labelledby="themes-chart-title themes-chart-desc"' in text
    assert '<title id="themes-chart-title">' in text
    assert "Voice of the child: 2 strengths and 2 findings" in text
    assert "<table" in text and "Recurs" in text


def test_chart_labels_every_bar_and_escapes_names(db):
    class Row:
        name, strengths, findings = "<Fathers & carers>", 1, 3

    svg = theme_bars([Row()], title="Themes <all years>")
    assert '<title id="themes-chart-title">Themes &lt;all years&gt;</title>' in svg
    assert "&lt;Fathers &amp; carers&gt;" in svg and "<Fathers" not in svg
    assert "1 strength<" in svg and "3 findings<" in svg
    assert '<desc id="themes-chart-desc">' in svg and "1 strength and 3 findings" in svg


def test_user_text_is_escaped(client, coordinator, library):
    point = library[2025]["finding"]
    point.heading = "<script>alert('x')</script>"
    point.save()
    client.force_login(coordinator)
    text = client.get(reverse(LIBRARY)).text
    assert "<script>alert" not in text and "&lt;script&gt;alert" in text


def count_queries(client, url):
    client.get(url)  # a session's first request caches what later ones read again
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_learning(count, agency, coordinator):
    theme = PracticeTheme.objects.get(name="Neglect")
    for _ in range(count):
        case = factories.CaseFactory()
        factories.CaseAgencyFactory(case=case, agency=agency, added_by=coordinator)
        for kind in (LearningPoint.Kind.STRENGTH, LearningPoint.Kind.FINDING):
            point = factories.LearningPointFactory(case=case, kind=kind)
            point.themes.set([theme])
            point.agencies.set([agency])
        message = factories.LearningPointFactory(round=case.round, kind=LearningPoint.Kind.KEY_MESSAGE)
        message.evidence_cases.set([case])
        message.themes.set([theme])
        message.questions.create(position=1, text="What would you do next time?")
        message.links.create(position=1, title="Guidance", url="https://example.org/g")


def test_library_queries_do_not_grow_with_learning(client, coordinator, agency_a):
    add_learning(1, agency_a, coordinator)
    client.force_login(coordinator)
    for url in (reverse(LIBRARY), reverse(LIBRARY) + "?q=school", reverse("audits:library-themes")):
        one = count_queries(client, url)
        add_learning(9, agency_a, coordinator)
        assert count_queries(client, url) == one, url


def test_learning_page_queries_do_not_grow_with_learning(client, coordinator, open_case, agency_a):
    audit_round = open_case.round
    audit_round.status = "learning"
    audit_round.save()

    def add(count):
        theme = PracticeTheme.objects.get(name="Neglect")
        for _ in range(count):
            case = factories.CaseFactory(round=audit_round)
            factories.CaseAgencyFactory(case=case, agency=agency_a, added_by=coordinator)
            for kind in (LearningPoint.Kind.STRENGTH, LearningPoint.Kind.FINDING):
                point = factories.LearningPointFactory(case=case, kind=kind)
                point.themes.set([theme])
                point.agencies.set([agency_a])
            for kind in LearningPoint.Kind:
                point = factories.LearningPointFactory(round=audit_round, kind=kind, heading="")
                point.evidence_cases.set([case, open_case])
                point.agencies.set([agency_a])
                point.questions.create(position=1, text="What helped?")

    add(1)
    client.force_login(coordinator)
    url = reverse("audits:round-learning", args=[audit_round.pk])
    one = count_queries(client, url)
    add(9)
    assert count_queries(client, url) == one


# Who sees what -----------------------------------------------------------------------------------


def test_readers_other_than_coordinators_see_only_published_learning(client, request, library, coordinator):
    publish([library[2025]["finding"], library[2026]["message"]], coordinator)
    for role in ("administrator", "board_viewer"):
        client.force_login(request.getfixturevalue(role))
        response = client.get(reverse(LIBRARY))
        assert headings(response) == ["Curiosity matters 2026", "Police reports arrived late 2025"], role
        assert "Child seen alone" not in response.text
        assert "published briefings share" in response.text
    client.force_login(coordinator)
    assert len(headings(client.get(reverse(LIBRARY)))) == 6


def test_agency_staff_see_only_published_learning_without_links(client, lead_a, auditor_a, library, coordinator):
    publish([library[2025]["strength"]], coordinator)
    for user in (lead_a, auditor_a):
        client.force_login(user)
        response = client.get(reverse(LIBRARY))
        assert headings(response) == ["Child seen alone 2025"]
        assert f'href="{library[2025]["round"].get_absolute_url()}"' not in response.text
        assert f'href="{library[2025]["strength"].case.get_absolute_url()}"' not in response.text
        assert "Case 1" in response.text


def test_nothing_published_yet(client, board_viewer, library):
    client.force_login(board_viewer)
    response = client.get(reverse(LIBRARY))
    assert headings(response) == [] and "No learning has been published yet." in response.text
    assert client.get(reverse("audits:library-themes")).context["table"]["rows"] == []


def test_recurring_themes_count_only_what_the_reader_may_see(db, library, coordinator, board_viewer):
    publish([library[2025]["finding"]], coordinator)
    rows = {row.name: row for row in recurring_themes(board_viewer)["rows"]}
    assert rows["Voice of the child"].by_year == [(2025, 0, 1)]
    assert rows["Information sharing"].by_year == [(2025, 0, 1)]
    assert recurring_themes(coordinator)["years"] == [2025, 2026]


def test_a_point_in_two_published_versions_is_listed_once(client, board_viewer, library, coordinator):
    publish([library[2025]["finding"]], coordinator)
    publish([library[2025]["finding"]], coordinator)
    client.force_login(board_viewer)
    assert headings(client.get(reverse(LIBRARY))) == ["Police reports arrived late 2025"]


def test_cited_cases_and_rich_text(client, coordinator, library):
    audit_round = library[2026]["round"]
    second = factories.CaseFactory(round=audit_round, number=2)
    message = library[2026]["message"]
    message.evidence_cases.add(second)
    message.text = "Ask about **every adult**.\n\n- who lives there\n- who visits\n\n<script>alert(1)</script>"
    message.save()
    factories.LearningPointFactory(
        round=audit_round, kind=LearningPoint.Kind.FINDING, heading="", text="Plans were *not* shared with the GP."
    )
    client.force_login(coordinator)
    text = client.get(reverse(LIBRARY)).text
    assert "<strong>every adult</strong>" in text and "<li>who visits</li>" in text
    assert "<script>alert" not in text
    assert "Cases " in text and f'href="{second.get_absolute_url()}"' in text
    assert "The round as a whole" in text
    # No heading: the card is titled by the start of its text.
    assert "</span> Plans were not shared with the GP.</h3>" in text


def test_library_queries_do_not_grow_for_readers_of_published_learning(client, board_viewer, coordinator, agency_a):
    add_learning(1, agency_a, coordinator)
    publish(list(LearningPoint.objects.all()), coordinator)
    client.force_login(board_viewer)
    for url in (reverse(LIBRARY), reverse(LIBRARY) + "?q=school", reverse("audits:library-themes")):
        one = count_queries(client, url)
        add_learning(9, agency_a, coordinator)
        publish(list(LearningPoint.objects.all()), coordinator)
        assert count_queries(client, url) == one, url


# Search through the stored vector -----------------------------------------------------------------

POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the stored vector, stemming and its index are PostgreSQL's only"
)
SQLITE_ONLY = pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL searches the stored vector")


def found(user, words):
    return sorted(point.heading for point in library_points(user, words=words))


def stored_vector(point) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM audits_learningpoint WHERE id = %s", [point.pk])
        return cursor.fetchone()[0]


@POSTGRESQL_ONLY
def test_postgresql_matches_english_word_forms(db, library, coordinator):
    father = factories.LearningPointFactory(
        round=library[2026]["round"],
        kind=LearningPoint.Kind.FINDING,
        heading="Father not invited",
        text="No one asked.",
    )
    assert found(coordinator, "fathers") == [father.heading]
    assert found(coordinator, "invitations") == [father.heading]


def test_theme_names_are_searched(client, coordinator, library):
    # No heading or text of the library says "information": only the theme's name does.
    assert found(coordinator, "information") == ["Police reports arrived late 2025", "Police reports arrived late 2026"]
    assert found(coordinator, "POLICE voice") == [
        "Police reports arrived late 2025",
        "Police reports arrived late 2026",
    ]
    client.force_login(coordinator)
    assert len(headings(client.get(reverse(LIBRARY), {"q": "information sharing"}))) == 2


@SQLITE_ONLY
def test_sqlite_matches_every_word_as_typed_in_any_case(db, library, coordinator):
    assert found(coordinator, "VISIT") == ["Child seen alone 2025", "Child seen alone 2026"]  # in "visitor"
    assert found(coordinator, "listening") == []  # no word forms
    assert found(coordinator, "visit sharing") == []


@POSTGRESQL_ONLY
def test_most_relevant_first(db, library, coordinator):
    # "household" is in the text of both key messages; a heading weighs more, even in an older round.
    heading = factories.LearningPointFactory(
        round=library[2025]["round"], kind=LearningPoint.Kind.FINDING, heading="Household", text="Not known."
    )
    points = list(library_points(coordinator, words="household"))
    assert points[0] == heading and len(points) == 3


def test_search_follows_edits_themes_and_renamed_themes(db, library, coordinator):
    point = library[2026]["message"]
    point.heading = "Grandparents were never asked"
    point.save()
    assert found(coordinator, "grandparents") == ["Grandparents were never asked"]

    kinship = services.theme_create(actor=coordinator, name="Kinship care")
    point.themes.add(kinship)
    assert found(coordinator, "kinship") == ["Grandparents were never asked"]
    services.theme_update(actor=coordinator, theme=kinship, name="Family networks", description="", is_active=True)
    assert found(coordinator, "kinship") == []
    assert found(coordinator, "networks") == ["Grandparents were never asked"]
    point.themes.remove(kinship)
    assert found(coordinator, "networks") == []

    # Through the service the round's learning page uses, and rows written in bulk.
    AuditRound.objects.filter(pk=point.round_id).update(status=AuditRound.Status.OPEN)
    services.round_learning_update(actor=coordinator, point=LearningPoint.objects.get(pk=point.pk), text="Ask kin.")
    assert found(coordinator, "grandparents") == [] and found(coordinator, "kin") == [""]
    LearningPoint.objects.bulk_create(
        [LearningPoint(round=point.round, kind=LearningPoint.Kind.FINDING, heading="Bulk written", text="Kin.")]
    )
    assert found(coordinator, "bulk") == ["Bulk written"]


@POSTGRESQL_ONLY
def test_the_stored_vector_weighs_heading_text_and_themes(db, library):
    vector = stored_vector(library[2026]["finding"])
    assert "'polic':1A" in vector and "'school':" in vector and "B" in vector.split("'school':")[1][:6]
    assert "'share':" in vector and "C" in vector.split("'share':")[1][:6]
    # A move (only the position written) keeps the vector as it was.
    point = library[2026]["finding"]
    point.position = 7
    point.save_by(None, update_fields=["position"])
    assert stored_vector(point) == vector


def test_the_vector_stays_out_of_history_and_out_of_python(db, library):
    assert "search_vector" not in {field.name for field in LearningPoint.history.model._meta.fields}
    assert LearningPoint.objects.get(pk=library[2026]["finding"].pk).get_deferred_fields() == {"search_vector"}


@POSTGRESQL_ONLY
def test_postgresql_can_search_through_the_gin_index(db, library, coordinator):
    # The library's search predicate on its own, with every scan turned off but a bitmap scan,
    # which needs an index condition: only the GIN index can give one. (On a handful of rows, the
    # planner may rightly prefer walking another index for the whole library query.)
    assert library_points(coordinator, words="police reports").count() == 2  # 2025 and 2026
    with transaction.atomic(), connection.cursor() as cursor:
        for scan in ("seqscan", "indexscan", "indexonlyscan"):
            cursor.execute(f"SET LOCAL enable_{scan} = off")
        plan = _search(LearningPoint.objects.all(), "police reports").explain()
    assert "Bitmap Index Scan on audits_learningpoint_search_vector_gin" in plan, plan


@pytest.mark.parametrize("words", ["", "late"])
def test_rows_and_total_come_from_one_query(db, library, coordinator, words):
    audit_round = library[2026]["round"]
    for number in range(55):
        factories.LearningPointFactory(round=audit_round, kind=LearningPoint.Kind.FINDING, heading=f"Late {number}")
    library_page(coordinator, "1", per_page=50)  # the reader's permissions, read once
    with CaptureQueriesContext(connection) as queries:
        page = library_page(coordinator, "2", per_page=50, words=words, kind="finding")
    main = [query["sql"] for query in queries if "OVER ()" in query["sql"]]
    assert len(main) == 1 and not any("SELECT COUNT(" in query["sql"].upper() for query in queries)
    # The rows, then their themes, agencies and cases (the library shows no questions or links).
    assert len(queries) == 4, [query["sql"][:100] for query in queries]
    assert page.paginator.count == 57 and page.paginator.num_pages == 2  # 55 and the 2 findings
    assert len(page) == 7 and (page.start_index(), page.end_index()) == (51, 57)


def test_a_page_past_the_end_shows_the_last(db, library, coordinator):
    page = library_page(coordinator, "9", per_page=2, words="", kind="")
    assert page.number == 3 and len(page) == 2 and page.paginator.count == 6
    empty = library_page(coordinator, "4", per_page=2, words="nothing-like-this", kind="")
    assert empty.number == 1 and len(empty) == 0 and empty.paginator.count == 0
