"""The round's learning page: what the meeting recorded per case, then the learning written for
the round, of every kind, citing any cases or none; starting a key message from a finding;
adding several as a list; returning to the page the author came from; errors that keep what was
typed; ordering."""

import pytest
from django.urls import reverse

from audits.models import AuditRound, LearningPoint, PracticeTheme
from tests import factories


@pytest.fixture
def finding(open_case, agency_a):
    point = factories.LearningPointFactory(
        case=open_case,
        kind=LearningPoint.Kind.FINDING,
        heading="School concerns were not passed on",
        text="The school's worries about Child 1 reached the social worker a month late.",
        position=1,
    )
    point.evidence_cases.set([open_case])
    point.themes.set([PracticeTheme.objects.get(name="Information sharing")])
    point.agencies.set([agency_a])
    return point


def page_url(audit_round):
    return reverse("audits:round-learning", args=[audit_round.pk])


def add_url(audit_round, kind="key-message"):
    return reverse("audits:round-learning-add", args=[audit_round.pk, kind])


def test_page_lists_the_meetings_findings_then_the_learning_across_cases(client, coordinator, finding):
    audit_round = finding.round
    factories.LearningPointFactory(round=audit_round, kind=LearningPoint.Kind.KEY_MESSAGE, heading="Share early")
    factories.LearningPointFactory(round=audit_round, kind=LearningPoint.Kind.GOOD_PRACTICE, heading="Clear plans")
    client.force_login(coordinator)
    text = client.get(page_url(audit_round)).text
    order = ["School concerns were not passed on", "Key messages", "Share early", "Recommendations", "Clear plans"]
    assert [text.index(item) for item in order] == sorted(text.index(item) for item in order)
    assert "Use as the basis of a key message" in text
    assert f"{add_url(audit_round)}?from={finding.pk}" in text


def test_administrators_read_without_actions(client, administrator, finding):
    client.force_login(administrator)
    text = client.get(page_url(finding.round)).text
    assert "School concerns were not passed on" in text
    assert "Use as the basis" not in text and "Add a key message" not in text


def test_add_form_starts_from_the_finding(client, coordinator, finding, agency_a):
    client.force_login(coordinator)
    response = client.get(add_url(finding.round) + f"?from={finding.pk}")
    form = response.context["form"]
    assert form.initial["heading"] == finding.heading
    assert form.initial["evidence_cases"] == [finding.case]
    assert [t.name for t in form.initial["themes"]] == ["Information sharing"]
    assert form.initial["agencies"] == [agency_a]
    assert "Starting from the finding the meeting recorded for Case 1" in response.text


def test_a_source_from_another_round_is_ignored(client, coordinator, finding):
    other = factories.LearningPointFactory(case=factories.CaseFactory(number=1), kind=LearningPoint.Kind.FINDING)
    client.force_login(coordinator)
    response = client.get(add_url(finding.round) + f"?from={other.pk}")
    assert response.status_code == 200
    assert "heading" not in response.context["form"].initial


def test_adding_a_key_message_with_questions_and_links(client, coordinator, finding):
    client.force_login(coordinator)
    theme = PracticeTheme.objects.get(name="Information sharing")
    response = client.post(
        add_url(finding.round),
        {
            "heading": "Share worries early",
            "text": "Tell the lead professional the same day.",
            "questions": "Who else needs to know?\nWhen did you last check?",
            "links": "Information sharing guidance | https://example.org/sharing",
            "callout": "If in doubt, share.",
            "themes": [theme.pk],
            "evidence_cases": [finding.case.pk],
        },
    )
    assert response.status_code == 302
    point = LearningPoint.objects.get(kind=LearningPoint.Kind.KEY_MESSAGE)
    assert response["Location"] == f"{page_url(finding.round)}#point-{point.pk}"
    assert [q.text for q in point.questions.all()] == ["Who else needs to know?", "When did you last check?"]
    assert point.links.get().url == "https://example.org/sharing"
    assert point.callout == "If in doubt, share."
    page = client.get(page_url(finding.round)).text
    assert "Who else needs to know?" in page and 'href="https://example.org/sharing"' in page


def test_a_wrong_link_is_reported_and_nothing_typed_is_lost(client, coordinator, finding):
    client.force_login(coordinator)
    response = client.post(
        add_url(finding.round),
        {"heading": "Share worries early", "text": "Text", "questions": "Q1?\nQ2?", "links": "Guidance | www.x"},
    )
    assert response.status_code == 200
    assert "Line 1 of the resource links: enter the web address in full" in response.text
    assert "govuk-error-summary" in response.text
    assert "Q1?\nQ2?" in response.text and "Guidance | www.x" in response.text
    assert not LearningPoint.objects.filter(kind=LearningPoint.Kind.KEY_MESSAGE).exists()


def test_recommendation_form_has_no_questions(client, coordinator, finding):
    client.force_login(coordinator)
    response = client.get(add_url(finding.round, "recommendation"))
    assert "questions" not in response.context["form"].fields
    response = client.post(add_url(finding.round, "recommendation"), {"heading": "Audit sharing", "text": "Re-audit."})
    assert response.status_code == 302
    assert LearningPoint.objects.get(kind=LearningPoint.Kind.RECOMMENDATION).position == 1


def test_empty_post_shows_errors(client, coordinator, finding):
    client.force_login(coordinator)
    response = client.post(add_url(finding.round))
    assert response.status_code == 200
    # The heading is optional.
    assert "Enter a heading" not in response.text and "Describe the key message" in response.text


def test_a_closed_round_refuses_with_the_reason(client, coordinator, finding):
    AuditRound.objects.filter(pk=finding.round_id).update(status=AuditRound.Status.CLOSED)
    client.force_login(coordinator)
    response = client.post(add_url(finding.round), {"heading": "Late", "text": "Too late."})
    assert response.status_code == 200
    assert "This round is closed" in response.text
    assert "Use as the basis" not in client.get(page_url(finding.round)).text


def test_edit_move_and_remove(client, coordinator, open_case):
    audit_round = open_case.round
    client.force_login(coordinator)
    for heading in ("First", "Second"):
        client.post(add_url(audit_round, "good-practice"), {"heading": heading, "text": "Text"})
    first, second = LearningPoint.objects.filter(kind=LearningPoint.Kind.GOOD_PRACTICE).order_by("position")
    edit = reverse("audits:round-learning-edit", args=[audit_round.pk, first.pk])
    assert client.get(edit).context["form"].initial["heading"] == "First"
    client.post(edit, {"heading": "First, changed", "text": "Text"})
    move = reverse("audits:round-learning-move", args=[audit_round.pk, second.pk])
    assert client.post(move, {"direction": "up"})["Location"].endswith(f"#point-{second.pk}")
    headings = list(
        LearningPoint.objects.filter(kind=LearningPoint.Kind.GOOD_PRACTICE)
        .order_by("position")
        .values_list("heading", flat=True)
    )
    assert headings == ["Second", "First, changed"]
    remove = reverse("audits:round-learning-remove", args=[audit_round.pk, second.pk])
    assert "Are you sure you want to remove this good practice?" in client.get(remove).text
    client.post(remove)
    assert list(
        LearningPoint.objects.filter(kind=LearningPoint.Kind.GOOD_PRACTICE).values_list("position", flat=True)
    ) == [1]


def test_round_page_links_to_the_learning_for_coordinators(client, coordinator, administrator, open_case):
    link = f'href="{page_url(open_case.round)}"'
    client.force_login(coordinator)
    assert link in client.get(open_case.round.get_absolute_url()).text
