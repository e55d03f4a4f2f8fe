"""Grade descriptors: what each grade means in a template version, edited with the template
(copied into a new version when the current one is frozen), shown under each grade of a graded
question on the agency's audit tool and beside the agencies' grades at the meeting."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import escape

from audits.models import GradeDescriptor, TemplateQuestion, ToolTemplate
from audits.returns import selectors as tool_selectors
from audits.tool_templates import services
from audits.tool_templates.descriptors import DEFAULT_DESCRIPTORS
from audits.tool_templates.selectors import grade_descriptors
from tests import factories

Grade = TemplateQuestion.Grade


@pytest.fixture
def default(db):
    return ToolTemplate.objects.get(is_default=True)


def texts(**changes):
    """The default descriptors, with ``changes`` (grade value to text)."""
    return {**{grade: DEFAULT_DESCRIPTORS[grade] for grade in Grade.values}, **changes}


def change(actor, template, **changes):
    return services.template_descriptors_change(
        actor=actor, template=template, expected_version_id=template.current_version.pk, descriptors=texts(**changes)
    )


# Services and selectors -----------------------------------------------------------------------


def test_the_seeded_default_template_describes_every_grade(default):
    rows = dict(GradeDescriptor.objects.filter(version=default.current_version).values_list("grade", "text"))
    assert rows == {grade: DEFAULT_DESCRIPTORS[grade] for grade in Grade.values}
    assert list(grade_descriptors(default.current_version.pk)) == Grade.values, "in the scale's order"


def test_an_unused_version_is_changed_in_place(default, coordinator):
    version = change(coordinator, default, good="Safe and effective work with the child.")
    assert version == default.current_version and default.versions.count() == 1
    assert grade_descriptors(version.pk)["good"] == "Safe and effective work with the child."


def test_a_pinned_version_keeps_its_descriptors_and_the_change_starts_a_new_version(default, coordinator):
    factories.AuditRoundFactory(tool_template=default, template_version=default.current_version)
    v1 = default.current_version
    v2 = change(coordinator, default, inadequate="Children were left at risk.")
    assert (v2.number, v2.template_id) == (2, default.pk)
    assert grade_descriptors(v1.pk)["inadequate"] == DEFAULT_DESCRIPTORS[Grade.INADEQUATE]
    assert grade_descriptors(v2.pk)["inadequate"] == "Children were left at risk."
    assert v2.sections.count() == v1.sections.count(), "the new version has the questions too"


def test_saving_the_same_descriptors_starts_no_version(default, coordinator):
    factories.AuditRoundFactory(tool_template=default, template_version=default.current_version)
    assert change(coordinator, default) == default.current_version
    assert default.versions.count() == 1


def test_a_new_version_made_by_another_edit_copies_the_descriptors(default, coordinator):
    change(coordinator, default, outstanding="Exemplary.")
    factories.AuditRoundFactory(tool_template=default, template_version=default.current_version)
    section = default.current_version.sections.get(position=1)
    services.template_section_change(actor=coordinator, section=section, title="Renamed", guidance="")
    default.refresh_from_db()
    assert default.current_version.number == 2
    assert grade_descriptors(default.current_version.pk)["outstanding"] == "Exemplary."


def test_new_and_copied_templates_start_with_descriptors(default, coordinator):
    change(coordinator, default, good="Our own words.")
    empty = services.template_create(actor=coordinator, name="Empty one")
    copy = services.template_create(actor=coordinator, name="Copied one", copy_from=default)
    assert grade_descriptors(empty.current_version.pk) == {grade: DEFAULT_DESCRIPTORS[grade] for grade in Grade.values}
    assert grade_descriptors(copy.current_version.pk)["good"] == "Our own words."


def test_a_version_without_descriptors_shows_the_general_ones_and_a_blank_one_shows_none(default, coordinator):
    version = default.current_version
    GradeDescriptor.objects.filter(version=version).delete()
    assert grade_descriptors(version.pk) == {grade: DEFAULT_DESCRIPTORS[grade] for grade in Grade.values}
    change(coordinator, default, requires_improvement="   ")
    shown = grade_descriptors(version.pk)
    assert "requires_improvement" not in shown and shown["good"] == DEFAULT_DESCRIPTORS[Grade.GOOD]


def test_a_change_from_a_page_of_an_older_version_is_refused(default, coordinator):
    old = default.current_version.pk
    factories.AuditRoundFactory(tool_template=default, template_version=default.current_version)
    change(coordinator, default, good="First change.")
    with pytest.raises(ValidationError, match="has changed since you opened the page"):
        services.template_descriptors_change(
            actor=coordinator, template=default, expected_version_id=old, descriptors=texts(good="Second change.")
        )
    assert grade_descriptors(default.current_version.pk)["good"] == "First change."


def test_only_template_managers_change_descriptors(default, lead_a):
    with pytest.raises(PermissionDenied):
        change(lead_a, default, good="Taken over.")
    assert grade_descriptors(default.current_version.pk)["good"] == DEFAULT_DESCRIPTORS[Grade.GOOD]


# Template pages -------------------------------------------------------------------------------


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def form_data(template, **changes):
    return {"version": template.current_version.pk, **texts(**changes)}


def test_the_template_pages_show_the_descriptors(signed_in, default):
    page = signed_in.get(default.get_absolute_url()).text
    assert 'id="grade-descriptors"' in page
    assert escape(DEFAULT_DESCRIPTORS[Grade.OUTSTANDING]) in page
    assert reverse("audits:template-descriptors", args=[default.pk]) in page
    version_page = signed_in.get(reverse("audits:template-version", args=[default.pk, 1])).text
    assert escape(DEFAULT_DESCRIPTORS[Grade.INADEQUATE]) in version_page


def test_change_the_descriptors(signed_in, default):
    url = reverse("audits:template-descriptors", args=[default.pk])
    form = signed_in.get(url).text
    assert escape(DEFAULT_DESCRIPTORS[Grade.GOOD]) in form and "Requires improvement" in form
    response = signed_in.post(url, form_data(default, good="Good <b>work</b>."))
    assert response.status_code == 302
    assert response["Location"] == default.get_absolute_url() + "#grade-descriptors"
    page = signed_in.get(response["Location"]).text
    assert "Grade descriptors saved." in page
    assert "Good &lt;b&gt;work&lt;/b&gt;." in page, "plain text, escaped"


def test_a_change_to_a_pinned_version_says_a_new_version_started(signed_in, default):
    factories.AuditRoundFactory(tool_template=default, template_version=default.current_version)
    response = signed_in.post(
        reverse("audits:template-descriptors", args=[default.pk]), form_data(default, good="New."), follow=True
    )
    assert "the change was made in a new version 2" in response.text


def test_too_long_a_descriptor_is_an_error_that_keeps_what_was_typed(signed_in, default):
    response = signed_in.post(
        reverse("audits:template-descriptors", args=[default.pk]),
        form_data(default, good="x" * 1001, outstanding="Kept words"),
    )
    assert response.status_code == 200
    page = response.text
    assert "govuk-error-summary" in page
    assert "The description of good must be 1000 characters or fewer" in page
    assert "Kept words" in page
    assert grade_descriptors(default.current_version.pk)["outstanding"] == DEFAULT_DESCRIPTORS[Grade.OUTSTANDING]


def test_a_stale_page_is_an_error_not_a_change(signed_in, default, coordinator):
    factories.AuditRoundFactory(tool_template=default, template_version=default.current_version)
    stale = form_data(default, good="From the old page.")
    change(coordinator, default, good="Meanwhile.")
    page = signed_in.post(reverse("audits:template-descriptors", args=[default.pk]), stale).text
    assert "govuk-error-summary" in page and "has changed since you opened the page" in page
    assert "From the old page." in page
    assert grade_descriptors(default.current_version.pk)["good"] == "Meanwhile."


# Where agencies and the meeting see them ------------------------------------------------------


def graded_section(tool):
    return next(
        section
        for section in tool_selectors.sections_of(tool)
        if section.questions.filter(kind=TemplateQuestion.Kind.GRADE).exists()
    )


def test_the_audit_tool_shows_each_grades_descriptor_under_its_radio(client, tool_a, auditor_a, coordinator):
    version = tool_a.template_version
    GradeDescriptor.objects.filter(version=version, grade="good").update(text="Good means <this>.")
    GradeDescriptor.objects.filter(version=version, grade="inadequate").update(text="")
    section = graded_section(tool_a)
    question = section.questions.filter(kind=TemplateQuestion.Kind.GRADE).first()
    client.force_login(auditor_a)
    page = client.get(reverse("audits:tool-section", args=[tool_a.pk, section.pk])).text
    hint_id = f"id_q{question.pk}_choice_2_hint"  # Good is the second choice
    assert f'aria-describedby="{hint_id}"' in page
    assert f'id="{hint_id}" class="govuk-hint govuk-radios__hint"' in page
    assert "Good means &lt;this&gt;." in page
    assert escape(DEFAULT_DESCRIPTORS[Grade.OUTSTANDING]) in page
    assert f"id_q{question.pk}_choice_4_hint" not in page, "a blank descriptor shows no hint"


def test_a_graded_answer_still_saves_with_descriptors_shown(client, tool_a, auditor_a):
    section = graded_section(tool_a)
    question = section.questions.filter(kind=TemplateQuestion.Kind.GRADE).first()
    client.force_login(auditor_a)
    url = reverse("audits:tool-section", args=[tool_a.pk, section.pk])
    response = client.post(url, {"revision": 0, f"q{question.pk}_choice": "good", "save-draft": ""})
    assert response.status_code == 302
    assert tool_a.answers.get(question=question).choice == "good"


def test_the_meeting_case_page_explains_the_grades(client, coordinator, tool_a):
    meeting = factories.MeetingFactory(round=tool_a.case.round)
    GradeDescriptor.objects.filter(version=tool_a.template_version, grade="good").update(text="The meeting's good.")
    client.force_login(coordinator)
    page = client.get(reverse("audits:meeting-case", args=[meeting.pk, tool_a.case.number])).text
    assert "What the grades mean" in page
    assert "The meeting&#x27;s good." in page
    assert escape(DEFAULT_DESCRIPTORS[Grade.REQUIRES_IMPROVEMENT]) in page
