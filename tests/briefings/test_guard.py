"""The publication guard: names, the five date forms and record numbers of the rounds' cases are
found however they are spaced or punctuated, and the refusal says where without repeating them."""

import pytest
from django.core.exceptions import ValidationError

from audits.models import ReflectiveQuestion, ResourceLink
from briefings import guard, workflow
from briefings.models import Briefing
from briefings.selectors import briefing_content

IDENTIFIER_PIECES = ["zebedee", "quillfeather", "29/02/2016", "7734219"]


def check(coordinator, briefing):
    return guard.check_briefing(user=coordinator, briefing=briefing, content=briefing_content(briefing))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Seen with zebedee QUILLFEATHER at home.", guard.NAME),
        ("Zebedee said little.", guard.NAME),
        ("Quillfeather's school called.", guard.NAME),
        ("Born 29 February 2016.", guard.DATE_OF_BIRTH),
        ("Born 29 Feb 2016.", guard.DATE_OF_BIRTH),
        ("Born 29th Feb, 2016.", guard.DATE_OF_BIRTH),
        ("DOB 29/02/2016 noted.", guard.DATE_OF_BIRTH),
        ("DOB 29/2/16 noted.", guard.DATE_OF_BIRTH),
        ("DOB 2016-02-29 noted.", guard.DATE_OF_BIRTH),
        ("Record CSC-7734219 was open.", guard.RECORD_NUMBER),
        ("Record csc 773 42 19 was open.", guard.RECORD_NUMBER),
        ("Number 7734219 was open.", guard.RECORD_NUMBER),
    ],
)
def test_identifier_in_an_items_text_is_found(coordinator, make_briefing, text, kind):
    briefing = make_briefing()
    point = briefing.items.get(learning_point__heading="Finding A one").learning_point
    point.text = text
    point.save()
    matches = check(coordinator, briefing)
    assert [str(m) for m in matches] == [f"Finding 1, text: contains {kind}"]


@pytest.mark.parametrize(
    "text",
    ["Child 1 was seen.", "Born 28 February 2016.", "Quill and feather", "Zeb", "Record 773421", "On 29/02/2017"],
)
def test_similar_text_is_not_a_match(coordinator, make_briefing, text):
    briefing = make_briefing()
    point = briefing.items.get(learning_point__heading="Finding A one").learning_point
    point.text = text
    point.save()
    assert check(coordinator, briefing) == []


def test_every_field_shown_is_checked_and_left_out_items_are_not(coordinator, make_briefing, case):
    briefing = make_briefing(Briefing.Format.BY_THEME, title="Zebedee briefing", introduction="On 2016-02-29")
    case.summary = "Child 1 (CSC 7734219) lives with an aunt."
    case.save()
    key = briefing.items.get(learning_point__heading="Key message one").learning_point
    key.callout = "Ask Quillfeather"
    key.save()
    ReflectiveQuestion.objects.filter(learning_point=key, position=2).update(text="Did you ask Zebedee?")
    ResourceLink.objects.filter(learning_point=key).update(title="Guide for 29 Feb 2016")
    places = [str(m) for m in check(coordinator, briefing)]
    assert places == [
        "Title: contains a child's name",
        "Introduction: contains a child's date of birth",
        "Case 1 summary: contains a record number",
        "Key message 1, call-out line: contains a child's name",
        "Key message 1, reflective question 2: contains a child's name",
        "Key message 1, link 1 title: contains a child's date of birth",
    ]
    item = briefing.items.get(learning_point=key)
    item.included = False
    item.save()
    assert len(check(coordinator, briefing)) == 3


def test_approval_and_publishing_are_refused_without_repeating_the_identifier(client, coordinator, make_briefing):
    briefing = make_briefing()
    point = briefing.items.get(learning_point__heading="Strength A two").learning_point
    point.text = "Zebedee Quillfeather, born 29/02/2016, CSC-7734219."
    point.save()
    with pytest.raises(ValidationError) as refused:
        workflow.briefing_approve(actor=coordinator, briefing=briefing)
    messages = refused.value.messages
    assert messages == [
        "Strength 2, text: contains a child's name",
        "Strength 2, text: contains a child's date of birth",
        "Strength 2, text: contains a record number",
    ]
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.DRAFT
    client.force_login(coordinator)
    response = client.post(f"/briefings/{briefing.pk}/approve/", {"confirm": "yes"})
    assert response.status_code == 400
    assert "Strength 2, text: contains a child&#x27;s name" in response.text
    assert "govuk-error-summary" in response.text
    for piece in IDENTIFIER_PIECES:
        assert piece not in response.text.lower()
    # Text changed after approval (outside the briefing's edit pages) still stops publishing.
    point.text = "Nothing identifying."
    point.save()
    workflow.briefing_approve(actor=coordinator, briefing=briefing)
    point.heading = "Quillfeather"
    point.save()
    with pytest.raises(ValidationError):
        workflow.briefing_publish(actor=coordinator, briefing=Briefing.objects.get(pk=briefing.pk))
    assert not briefing.versions.exists()
