"""The publication guard: names, the date forms and record numbers of the rounds' cases are found
however they are spaced or punctuated, and the refusal says where without repeating them.
(Bypasses by encoding, script, diacritics and look-alike letters: test_guard_bypasses.py.)"""

from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError

from audits.models import ReflectiveQuestion, ResourceLink
from briefings import guard, workflow
from briefings.models import Briefing
from briefings.selectors import briefing_content

IDENTIFIER_PIECES = ["zebedee", "quillfeather", "29/02/2016", "7734219"]


@dataclass
class FakeContent:
    """What the guard reads of a briefing's content: its cases and its texts."""

    cases: list
    entries: list[tuple[str, str]]

    def texts(self) -> list[tuple[str, str]]:
        return self.entries


def check_text(coordinator, case, text, place="Finding 1, text"):
    """The guard's answer for one text of a briefing of ``case`` (identifiers of tests/conftest.py)."""
    content = FakeContent([case], [(place, text)])
    return [str(m) for m in guard.check_briefing(user=coordinator, briefing=None, content=content)]


def check(coordinator, briefing):
    return guard.check_briefing(user=coordinator, briefing=briefing, content=briefing_content(briefing))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Seen with zebedee QUILLFEATHER at home.", guard.NAME),
        ("Zebedee said little.", guard.NAME),
        ("Quillfeather's school called.", guard.NAME),
        ("Seen with Zebe-dee Quill feather.", guard.NAME),
        ("Born 29 February 2016.", guard.DATE_OF_BIRTH),
        ("Born 29 Feb 2016.", guard.DATE_OF_BIRTH),
        ("Born 29th Feb, 2016.", guard.DATE_OF_BIRTH),
        ("Born on the 29th of February 2016.", guard.DATE_OF_BIRTH),
        ("Born February the 29th, 2016.", guard.DATE_OF_BIRTH),
        ("DOB 29/02/2016 noted.", guard.DATE_OF_BIRTH),
        ("DOB 29.02.2016 noted.", guard.DATE_OF_BIRTH),
        ("DOB 29/2/16 noted.", guard.DATE_OF_BIRTH),
        ("DOB 2016-02-29 noted.", guard.DATE_OF_BIRTH),
        ("DOB 02/29/2016 noted.", guard.DATE_OF_BIRTH),
        ("DOB 29022016 noted.", guard.DATE_OF_BIRTH),
        ("DOB 20160229 noted.", guard.DATE_OF_BIRTH),
        ("Record CSC-7734219 was open.", guard.RECORD_NUMBER),
        ("Record csc 773 42 19 was open.", guard.RECORD_NUMBER),
        ("Number 7734219 was open.", guard.RECORD_NUMBER),
    ],
)
def test_identifier_in_a_text_is_found(coordinator, case, text, kind):
    assert check_text(coordinator, case, text) == [f"Finding 1, text: contains {kind}"]


@pytest.mark.parametrize(
    "text",
    [
        "Child 1 was seen.",
        "Born 28 February 2016.",
        "Quill and feather",
        "Zeb",
        "Zebedees",
        "Record 773421",
        "On 29/02/2017",
        "On 1 March 2016.",
    ],
)
def test_similar_text_is_not_a_match(coordinator, case, text):
    assert check_text(coordinator, case, text) == []


def test_a_text_with_several_kinds_names_each_once_in_order(coordinator, case):
    text = "CSC-7734219: Zebedee, born 29/02/2016; Zebedee again, 29 Feb 2016."
    assert check_text(coordinator, case, text, place="Strength 2, text") == [
        "Strength 2, text: contains a child's name",
        "Strength 2, text: contains a child's date of birth",
        "Strength 2, text: contains a record number",
    ]


def test_cases_without_identifiers_pass(coordinator, case):
    case.restricted_identifiers.delete()
    assert check_text(coordinator, case, "Zebedee Quillfeather, 29/02/2016, CSC-7734219") == []


def test_every_field_shown_is_checked_and_left_out_items_are_not(coordinator, make_briefing, case):
    briefing = make_briefing(Briefing.Format.BY_THEME, title="Zebedee briefing", introduction="On 2016-02-29")
    case.summary = "Child 1 (CSC 7734219) lives with an aunt."
    case.save()
    key = briefing.items.get(learning_point__heading="Key message one").learning_point
    key.callout = "Ask Quillfeather"
    key.save()
    ReflectiveQuestion.objects.filter(learning_point=key, position=2).update(text="Did you ask Zebedee?")
    ResourceLink.objects.filter(learning_point=key).update(
        title="Guide for 29 Feb 2016", url="https://example.test/guide?name=Zebedee%20Quillfeather"
    )
    places = [str(m) for m in check(coordinator, briefing)]
    assert places == [
        "Title: contains a child's name",
        "Introduction: contains a child's date of birth",
        "Case 1 summary: contains a record number",
        "Key message 1, call-out line: contains a child's name",
        "Key message 1, reflective question 2: contains a child's name",
        "Key message 1, link 1 title: contains a child's date of birth",
        "Key message 1, link 1 address: contains a child's name",
    ]
    item = briefing.items.get(learning_point=key)
    item.included = False
    item.save()
    assert len(check(coordinator, briefing)) == 3


def test_approval_and_publishing_are_refused_without_repeating_the_identifier(
    client, coordinator, make_briefing, settings
):
    settings.BRIEFING_FOUR_EYES = False  # the coordinator approves too: the guard is what refuses
    briefing = make_briefing()
    point = briefing.items.get(learning_point__heading="Strength A two").learning_point
    point.text = "Zebedee Quillfeather, born 29/02/2016, CSC-7734219."
    point.save()
    expected = [
        "Strength 2, text: contains a child's name",
        "Strength 2, text: contains a child's date of birth",
        "Strength 2, text: contains a record number",
    ]
    with pytest.raises(ValidationError) as refused:
        workflow.briefing_submit(actor=coordinator, briefing=briefing)
    assert refused.value.messages == expected
    with pytest.raises(ValidationError) as refused:
        workflow.briefing_approve(actor=coordinator, briefing=briefing)
    assert refused.value.messages == expected
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
