"""Strengths and findings on a case's meeting record: they cite their case and any other cases
of the round they are also seen in; several can be added as one list; changing one returns to
the page it came from; rich text on the record."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audits.meetings import services
from audits.models import AuditRound, LearningPoint, PracticeTheme
from tests import factories


@pytest.fixture
def meeting(open_case):
    return factories.MeetingFactory(round=open_case.round)


@pytest.fixture
def second(open_case, agency_a, coordinator):
    case = factories.CaseFactory(round=open_case.round, number=2)
    factories.CaseAgencyFactory(case=case, agency=agency_a, added_by=coordinator)
    return case


def case_url(meeting, number=1):
    return reverse("audits:meeting-case", args=[meeting.pk, number])


def add_url(meeting, kind, number=1):
    return reverse("audits:learning-add", args=[meeting.pk, number, kind])


def test_a_finding_also_seen_in_another_case(client, coordinator, meeting, open_case, second):
    client.force_login(coordinator)
    form = client.get(add_url(meeting, "finding")).context["form"]
    assert list(form.fields["also_seen_in"].queryset) == [second]
    response = client.post(add_url(meeting, "finding"), {"text": "Plans were **late**.", "also_seen_in": [second.pk]})
    point = LearningPoint.objects.get()
    assert (point.case, point.heading) == (open_case, "")
    assert set(point.evidence_cases.all()) == {open_case, second}
    assert response["Location"] == f"{case_url(meeting)}#point-{point.pk}"
    page = client.get(case_url(meeting)).text
    assert "Cases 1 and 2" in page and "Plans were <strong>late</strong>." in page


def test_changing_keeps_the_recorded_case(client, coordinator, meeting, open_case, second):
    point = services.learning_point_add(
        actor=coordinator,
        case=open_case,
        kind="strength",
        text="Seen alone.",
        themes=[],
        agencies=[],
        also_seen_in=[second],
    )
    edit = reverse("audits:learning-edit", args=[meeting.pk, 1, point.pk])
    client.force_login(coordinator)
    assert client.get(edit).context["form"].initial["also_seen_in"] == [second]
    response = client.post(edit, {"text": "Seen alone, twice."})
    assert response["Location"] == f"{case_url(meeting)}#point-{point.pk}"
    assert list(point.evidence_cases.all()) == [open_case]
    assert "Case 1" in client.get(case_url(meeting)).text


def test_with_one_case_there_is_nothing_else_to_tick(client, coordinator, meeting):
    client.force_login(coordinator)
    assert "also_seen_in" not in client.get(add_url(meeting, "strength")).context["form"].fields
    assert "also_seen_in" not in client.get(add_url(meeting, "strengths")).context["form"].fields


def test_other_rounds_cases_and_the_case_itself_are_refused(open_case, coordinator):
    elsewhere = factories.CaseFactory(number=2)
    for wrong in (elsewhere, open_case):
        with pytest.raises(ValidationError) as error:
            services.learning_point_add(
                actor=coordinator,
                case=open_case,
                kind="finding",
                text="T",
                themes=[],
                agencies=[],
                also_seen_in=[wrong],
            )
        assert "also_seen_in" in error.value.error_dict


def test_several_strengths_in_one_go(client, coordinator, meeting, open_case, second, agency_a):
    theme = PracticeTheme.objects.get(name="Voice of the child")
    services.learning_point_add(
        actor=coordinator, case=open_case, kind="strength", text="First", themes=[], agencies=[]
    )
    client.force_login(coordinator)
    response = client.post(
        add_url(meeting, "strengths"),
        {
            "items": "- The child was seen alone\n- Their words were written down\n  - in full",
            "themes": [theme.pk],
            "agencies": [agency_a.pk],
            "also_seen_in": [second.pk],
        },
    )
    added = list(LearningPoint.objects.filter(case=open_case).order_by("position")[1:])
    assert [(p.text, p.position) for p in added] == [
        ("The child was seen alone", 2),
        ("Their words were written down\n- in full", 3),
    ]
    for point in added:
        assert set(point.evidence_cases.all()) == {open_case, second}
        assert (list(point.themes.all()), list(point.agencies.all())) == ([theme], [agency_a])
    assert response["Location"] == f"{case_url(meeting)}#point-{added[0].pk}"
    page = client.get(case_url(meeting)).text
    assert "2 strengths added to Case 1." in page
    assert f'href="{add_url(meeting, "strengths")}"' in page and f'href="{add_url(meeting, "findings")}"' in page


def test_several_refused_keeps_the_typing(client, coordinator, meeting):
    client.force_login(coordinator)
    response = client.post(add_url(meeting, "findings"), {"items": "Findings\n- One"})
    assert response.status_code == 200 and "govuk-error-summary" in response.text
    assert "the text before the first finding is not in the list" in response.text
    assert response.context["form"]["items"].value() == "Findings\n- One"
    assert not LearningPoint.objects.exists()


def test_several_in_a_closed_round_is_refused(client, coordinator, meeting, open_case):
    AuditRound.objects.filter(pk=open_case.round_id).update(status=AuditRound.Status.CLOSED)
    client.force_login(coordinator)
    response = client.post(add_url(meeting, "findings"), {"items": "- One"})
    assert response.status_code == 200 and not LearningPoint.objects.exists()


@pytest.mark.parametrize("role", ["administrator", "board_viewer", "lead_a", "auditor_a"])
def test_only_coordinators_add_several(client, request, meeting, role):
    client.force_login(request.getfixturevalue(role))
    assert client.post(add_url(meeting, "findings"), {"items": "- One"}).status_code == 403
    assert not LearningPoint.objects.exists()


def test_unknown_kind_is_404(client, coordinator, meeting):
    client.force_login(coordinator)
    for kind in ("key-message", "key-messages", "strengthss"):
        assert client.get(add_url(meeting, kind)).status_code == 404


def test_changing_returns_to_the_page_it_came_from(client, coordinator, meeting, open_case):
    point = services.learning_point_add(
        actor=coordinator, case=open_case, kind="finding", text="Late.", themes=[], agencies=[]
    )
    edit = reverse("audits:learning-edit", args=[meeting.pk, 1, point.pk])
    learning = reverse("audits:round-learning", args=[open_case.round_id])
    client.force_login(coordinator)
    response = client.post(f"{edit}?next={learning}", {"text": "Later."})
    assert response["Location"] == f"{learning}#point-{point.pk}"
    response = client.post(f"{edit}?next=https://evil.example/", {"text": "Later."})
    assert response["Location"] == f"{case_url(meeting)}#point-{point.pk}"


def test_a_point_without_a_heading_is_titled_by_its_text(client, coordinator, lead_a, meeting, open_case):
    services.learning_point_add(
        actor=coordinator, case=open_case, kind="finding", text="*Nobody* checked <the> plan.", themes=[], agencies=[]
    )
    for user in (coordinator, lead_a):
        client.force_login(user)
        page = client.get(case_url(meeting)).text
        assert '<h3 class="govuk-summary-card__title">Nobody checked &lt;the&gt; plan.</h3>' in page
        assert "<em>Nobody</em> checked &lt;the&gt; plan." in page
