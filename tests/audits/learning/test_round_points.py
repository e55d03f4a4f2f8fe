"""Learning written for the round: every kind, citing any of the round's cases or none; a round
with no cases at all; the heading optional; several points added as one list; returning to the
page the author came from; rich text on the page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audits.learning import services
from audits.models import AuditRound, LearningPoint, PracticeTheme
from tests import factories

STRENGTH, FINDING = LearningPoint.Kind.STRENGTH, LearningPoint.Kind.FINDING


def page_url(audit_round):
    return reverse("audits:round-learning", args=[audit_round.pk])


def add_url(audit_round, kind):
    return reverse("audits:round-learning-add", args=[audit_round.pk, kind])


@pytest.fixture
def two_cases(open_case, coordinator, agency_a):
    second = factories.CaseFactory(round=open_case.round, number=2)
    factories.CaseAgencyFactory(case=second, agency=agency_a, added_by=coordinator)
    return open_case, second


@pytest.fixture
def empty_round(db):
    """A themed audit with no cases at all."""
    return factories.AuditRoundFactory(status=AuditRound.Status.OPEN, theme="Neglect across the partnership")


def test_a_strength_citing_two_cases(client, coordinator, two_cases, agency_a):
    first, second = two_cases
    client.force_login(coordinator)
    response = client.post(
        add_url(first.round, "strength"),
        {"text": "Plans were **shared** the same day.", "evidence_cases": [first.pk, second.pk]},
    )
    point = LearningPoint.objects.get()
    assert (point.kind, point.case, point.heading) == (STRENGTH, None, "")
    assert set(point.evidence_cases.all()) == {first, second}
    assert response["Location"] == f"{page_url(first.round)}#point-{point.pk}"
    page = client.get(page_url(first.round)).text
    assert "Strengths across the round" in page and "Cases 1 and 2" in page
    assert "Plans were <strong>shared</strong> the same day." in page


def test_a_finding_about_the_round_as_a_whole(client, coordinator, two_cases):
    client.force_login(coordinator)
    client.post(add_url(two_cases[0].round, "finding"), {"heading": "No shared plan", "text": "None at all."})
    point = LearningPoint.objects.get()
    assert not point.evidence_cases.exists()
    page = client.get(page_url(point.round)).text
    assert "Findings across the round" in page and "The round as a whole" in page


def test_a_round_with_no_cases_carries_learning(client, coordinator, empty_round):
    client.force_login(coordinator)
    page = client.get(page_url(empty_round)).text
    assert "This round has no cases" in page
    form = client.get(add_url(empty_round, "finding")).context["form"]
    assert "evidence_cases" not in form.fields and "agencies" not in form.fields
    for kind in ("strength", "finding", "key-message", "recommendation", "good-practice"):
        response = client.post(add_url(empty_round, kind), {"text": f"About the round: {kind}."})
        assert response.status_code == 302, kind
    several = client.post(add_url(empty_round, "findings"), {"items": "- One\n- Two"})
    assert several.status_code == 302
    assert LearningPoint.objects.filter(round=empty_round, case=None).count() == 7
    assert "About the round: good-practice." in client.get(page_url(empty_round)).text


def test_the_page_offers_every_kind_and_lists_them(client, coordinator, open_case):
    for kind in LearningPoint.Kind:
        factories.LearningPointFactory(round=open_case.round, kind=kind, heading=f"Round {kind.label}")
    client.force_login(coordinator)
    page = client.get(page_url(open_case.round)).text
    for slug in ("strength", "finding", "key-message", "recommendation", "good-practice"):
        assert f'href="{add_url(open_case.round, slug)}"' in page
        assert f'href="{add_url(open_case.round, slug + "s")}"' in page
    order = [f"Round {kind.label}" for kind in LearningPoint.Kind]
    assert [page.index(heading) for heading in order] == sorted(page.index(heading) for heading in order)


def test_a_point_without_a_heading_is_titled_by_its_text(client, coordinator, open_case):
    point = factories.LearningPointFactory(
        round=open_case.round,
        kind=LearningPoint.Kind.RECOMMENDATION,
        heading="",
        text="**Name** a lead professional for every child on a plan, and tell the family who it is today.",
    )
    client.force_login(coordinator)
    page = client.get(page_url(open_case.round)).text
    assert "1. Name a lead professional for every child on a plan, and tell …</h3>" in page
    remove = client.get(reverse("audits:round-learning-remove", args=[open_case.round.pk, point.pk])).text
    assert "<strong>Name</strong> a lead professional" in remove


def test_user_text_cannot_reach_the_page_as_html(client, coordinator, open_case):
    factories.LearningPointFactory(
        round=open_case.round,
        kind=LearningPoint.Kind.KEY_MESSAGE,
        heading="<b>Heading</b>",
        text="<script>alert(1)</script> [click](javascript:alert(1))",
        callout="**Call** <img src=x onerror=alert(1)>",
    )
    client.force_login(coordinator)
    page = client.get(page_url(open_case.round)).text
    assert "<script>alert" not in page and 'href="javascript:' not in page and "<img" not in page
    assert "&lt;b&gt;Heading&lt;/b&gt;" in page and "<strong>Call</strong>" in page


def test_the_hint_shows_the_rich_text_syntax(client, coordinator, open_case):
    client.force_login(coordinator)
    for kind in ("strength", "key-message", "findings"):
        assert "**bold**" in client.get(add_url(open_case.round, kind)).text, kind


# Several as a list -----------------------------------------------------------------------------


def test_several_findings_in_one_go(client, coordinator, two_cases, agency_a):
    first, second = two_cases
    theme = PracticeTheme.objects.get(name="Information sharing")
    factories.LearningPointFactory(round=first.round, kind=FINDING, heading="Already there", position=1)
    client.force_login(coordinator)
    response = client.post(
        add_url(first.round, "findings"),
        {
            "items": "- Referrals were late\n  - by weeks\n- Plans were not shared\n1. Nobody **checked**",
            "themes": [theme.pk],
            "evidence_cases": [second.pk],
            "agencies": [agency_a.pk],
        },
    )
    added = list(LearningPoint.objects.filter(round=first.round, kind=FINDING).order_by("position")[1:])
    assert [(p.text, p.position, p.heading) for p in added] == [
        ("Referrals were late\n- by weeks", 2, ""),
        ("Plans were not shared", 3, ""),
        ("Nobody **checked**", 4, ""),
    ]
    for point in added:
        assert (list(point.themes.all()), list(point.evidence_cases.all()), list(point.agencies.all())) == (
            [theme],
            [second],
            [agency_a],
        )
    assert response["Location"] == f"{page_url(first.round)}#point-{added[0].pk}"
    assert "3 findings added." in client.get(page_url(first.round)).text


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ("", "Enter at least one recommendation"),
        ("Recommendations:\n- One", "the text before the first recommendation is not in the list"),
        ("- One\n- " + "x" * 5001, "Recommendation 2 must be 5000 characters or fewer: it has 5001"),
    ],
)
def test_several_refused_with_the_reason_and_nothing_lost(client, coordinator, open_case, items, message):
    client.force_login(coordinator)
    theme = PracticeTheme.objects.get(name="Neglect")
    response = client.post(add_url(open_case.round, "recommendations"), {"items": items, "themes": [theme.pk]})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text and message in response.text
    assert response.context["form"]["items"].value() == items
    assert response.context["form"]["themes"].value() == [str(theme.pk)]
    assert not LearningPoint.objects.exists()


def test_several_in_a_closed_round_is_refused(client, coordinator, open_case):
    AuditRound.objects.filter(pk=open_case.round_id).update(status=AuditRound.Status.CLOSED)
    client.force_login(coordinator)
    response = client.post(add_url(open_case.round, "strengths"), {"items": "- One"})
    assert "This round is closed" in response.text and not LearningPoint.objects.exists()


def test_several_is_all_or_nothing(open_case, coordinator, agency_b):
    with pytest.raises(ValidationError):
        services.round_learning_add_several(
            actor=coordinator, audit_round=open_case.round, kind=STRENGTH, texts=["One", "Two"], agencies=[agency_b]
        )
    with pytest.raises(ValidationError):
        services.round_learning_add_several(actor=coordinator, audit_round=open_case.round, kind=STRENGTH, texts=[" "])
    assert not LearningPoint.objects.exists()


@pytest.mark.parametrize("role", ["administrator", "board_viewer", "lead_a"])
def test_only_coordinators_add_several(client, request, open_case, role):
    client.force_login(request.getfixturevalue(role))
    assert client.post(add_url(open_case.round, "findings"), {"items": "- One"}).status_code == 403
    assert not LearningPoint.objects.exists()


# Returning to where the author was ---------------------------------------------------------------


def test_changing_returns_to_the_page_it_came_from_at_the_point(client, coordinator, open_case):
    point = factories.LearningPointFactory(round=open_case.round, kind=FINDING, heading="Old")
    client.force_login(coordinator)
    edit = reverse("audits:round-learning-edit", args=[open_case.round.pk, point.pk])
    elsewhere = reverse("briefings:briefing-list")
    response = client.get(edit, {"next": elsewhere + "#section-3"})
    assert f'href="{elsewhere}#point-{point.pk}"' in response.text  # Back and Cancel
    response = client.post(f"{edit}?next={elsewhere}%23section-3", {"heading": "New", "text": "Text"})
    assert response["Location"] == f"{elsewhere}#point-{point.pk}"
    for unsafe in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.post(edit, {"heading": "New", "text": "Text"}, QUERY_STRING=f"next={unsafe}")
        assert response["Location"] == f"{page_url(open_case.round)}#point-{point.pk}", unsafe
