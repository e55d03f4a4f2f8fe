"""Audit tool templates: the editing services (copy-on-write versions, positions) and the views."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audits.models import TemplateQuestion, ToolAnswer, ToolTemplate
from audits.tool_templates import services
from tests import factories

GRADE, YES_NO, TEXT = TemplateQuestion.Kind.GRADE, TemplateQuestion.Kind.YES_NO, TemplateQuestion.Kind.TEXT


@pytest.fixture
def default(db):
    return ToolTemplate.objects.get(is_default=True)


def section_at(template, position):
    return template.current_version.sections.get(position=position)


def question_at(template, section_position, position):
    return section_at(template, section_position).questions.get(position=position)


def titles(version):
    return list(version.sections.order_by("position").values_list("title", flat=True))


def prompts(section):
    return list(section.questions.order_by("position").values_list("prompt", flat=True))


def positions(queryset):
    return list(queryset.order_by("position").values_list("position", flat=True))


def pin(template):
    return factories.AuditRoundFactory(tool_template=template, template_version=template.current_version)


# Versioning ---------------------------------------------------------------------------------


def test_edits_change_an_unused_version_in_place(default, coordinator):
    services.template_section_change(actor=coordinator, section=section_at(default, 2), title="Plans", guidance="")
    services.template_question_add(actor=coordinator, section=section_at(default, 2), prompt="New?", kind=YES_NO)
    assert default.versions.count() == 1
    assert section_at(default, 2).title == "Plans"
    assert prompts(section_at(default, 2))[-1] == "New?"


def test_editing_a_version_a_round_pinned_makes_a_new_version(default, coordinator):
    pin(default)
    v1 = default.current_version
    before = titles(v1)
    section = services.template_section_change(
        actor=coordinator, section=section_at(default, 2), title="Plans", guidance="Look at the plans."
    )
    default.refresh_from_db()
    v2 = default.current_version
    assert (v2.number, v2.created_by, section.version) == (2, coordinator, v2)
    assert titles(v1) == before, "the pinned version is unchanged"
    assert titles(v2) == [*before[:1], "Plans", *before[2:]]
    assert sum(s.questions.count() for s in v2.sections.all()) == sum(s.questions.count() for s in v1.sections.all())
    # The new version is not used by anything: the next edit changes it in place.
    services.template_section_add(actor=coordinator, template=default, title="Extra")
    assert default.versions.count() == 2
    assert titles(v2)[-1] == "Extra"


def test_a_tool_keeps_its_questions_and_answers_after_an_edit(tool_a, coordinator):
    template = tool_a.template_version.template
    question = question_at(template, 2, 1)
    answer = ToolAnswer.objects.create(tool=tool_a, question=question, choice="good", text="Thorough assessment.")
    # The round is open and has pinned the version; detach it to show tools alone freeze it too.
    tool_a.case.round.__class__.objects.filter(pk=tool_a.case.round_id).update(template_version=None)
    assert not template.current_version.rounds.exists()

    services.template_question_change(
        actor=coordinator, question=question, prompt="Reworded", guidance="", kind=TEXT, required=False
    )
    services.template_question_remove(actor=coordinator, question=question_at(template, 1, 1))

    tool_a.refresh_from_db()
    answer.refresh_from_db()
    question.refresh_from_db()
    assert tool_a.template_version.number == 1
    assert template.current_version.number == 2
    assert (answer.question_id, answer.choice, answer.text) == (question.pk, "good", "Thorough assessment.")
    assert (question.prompt, question.kind, question.required) == (
        "How well did assessments identify the child's needs and the risks to them?",
        GRADE,
        True,
    )
    assert question_at(template, 2, 1).prompt == "Reworded"
    assert tool_a.template_version.sections.get(position=1).questions.count() == 2


def test_every_edit_starts_a_new_version_when_the_current_one_is_frozen(default, coordinator):
    edits = [
        lambda: services.template_section_add(actor=coordinator, template=default, title="T"),
        lambda: services.template_section_change(
            actor=coordinator, section=section_at(default, 1), title="T", guidance=""
        ),
        lambda: services.template_section_remove(actor=coordinator, section=section_at(default, 1)),
        lambda: services.template_section_move(actor=coordinator, section=section_at(default, 1), direction="down"),
        lambda: services.template_question_add(
            actor=coordinator, section=section_at(default, 1), prompt="P", kind=TEXT
        ),
        lambda: services.template_question_change(
            actor=coordinator, question=question_at(default, 1, 1), prompt="P", guidance="", kind=TEXT, required=True
        ),
        lambda: services.template_question_remove(actor=coordinator, question=question_at(default, 1, 1)),
        lambda: services.template_question_move(
            actor=coordinator, question=question_at(default, 1, 1), direction="down"
        ),
    ]
    for number, edit in enumerate(edits, start=2):
        pin(default)
        edit()
        assert default.current_version.number == number


# Positions ----------------------------------------------------------------------------------


def test_moving_sections_swaps_neighbours(default, coordinator):
    before = titles(default.current_version)
    services.template_section_move(actor=coordinator, section=section_at(default, 3), direction="up")
    after = titles(default.current_version)
    assert after == [before[0], before[2], before[1], *before[3:]]
    services.template_section_move(actor=coordinator, section=section_at(default, 2), direction="down")
    assert titles(default.current_version) == before
    assert positions(default.current_version.sections) == list(range(1, len(before) + 1))


def test_moving_questions_swaps_neighbours_within_a_section(default, coordinator):
    first, second = prompts(section_at(default, 1))
    moved = services.template_question_move(actor=coordinator, question=question_at(default, 1, 2), direction="up")
    assert moved.position == 1
    assert prompts(section_at(default, 1)) == [second, first]


def test_cannot_move_past_either_end(default, coordinator):
    count = default.current_version.sections.count()
    with pytest.raises(ValidationError, match="already first"):
        services.template_section_move(actor=coordinator, section=section_at(default, 1), direction="up")
    with pytest.raises(ValidationError, match="already last"):
        services.template_section_move(actor=coordinator, section=section_at(default, count), direction="down")
    with pytest.raises(ValidationError, match="already last"):
        services.template_question_move(actor=coordinator, question=question_at(default, 1, 2), direction="down")
    with pytest.raises(ValidationError):
        services.template_question_move(actor=coordinator, question=question_at(default, 1, 1), direction="sideways")


def test_a_refused_move_of_a_frozen_version_leaves_no_new_version(default, coordinator):
    pin(default)
    with pytest.raises(ValidationError):
        services.template_section_move(actor=coordinator, section=section_at(default, 1), direction="up")
    assert default.versions.count() == 1


def test_removing_closes_the_gap(default, coordinator):
    before = titles(default.current_version)
    services.template_section_remove(actor=coordinator, section=section_at(default, 2))
    assert titles(default.current_version) == [before[0], *before[2:]]
    assert positions(default.current_version.sections) == list(range(1, len(before)))

    services.template_question_add(actor=coordinator, section=section_at(default, 1), prompt="Third", kind=TEXT)
    _first, second, third = prompts(section_at(default, 1))
    services.template_question_remove(actor=coordinator, question=question_at(default, 1, 1))
    assert prompts(section_at(default, 1)) == [second, third]
    assert positions(section_at(default, 1).questions) == [1, 2]


def test_added_sections_and_questions_go_at_the_end(default, coordinator):
    count = default.current_version.sections.count()
    section = services.template_section_add(actor=coordinator, template=default, title="Last", guidance="G")
    assert section.position == count + 1
    question = services.template_question_add(
        actor=coordinator, section=section, prompt="Q1", guidance="", kind=GRADE, required=False
    )
    assert (question.position, question.required) == (1, False)


def test_an_edit_from_a_page_of_an_older_version_is_refused(default, coordinator):
    stale = section_at(default, 1)
    pin(default)
    services.template_section_add(actor=coordinator, template=default, title="New")
    with pytest.raises(ValidationError, match="changed since you opened"):
        services.template_section_change(actor=coordinator, section=stale, title="Late", guidance="")


def test_invalid_content_is_refused(default, coordinator):
    with pytest.raises(ValidationError):
        services.template_question_add(actor=coordinator, section=section_at(default, 1), prompt="P", kind="essay")
    with pytest.raises(ValidationError):
        services.template_section_add(actor=coordinator, template=default, title="")


# Templates ----------------------------------------------------------------------------------


def test_a_new_empty_template_has_one_empty_section(coordinator, default):
    template = services.template_create(actor=coordinator, name="Neglect tool", description="For neglect rounds.")
    version = template.current_version
    assert (version.number, version.created_by, template.is_default) == (1, coordinator, False)
    assert titles(version) == ["Section 1"]
    assert not TemplateQuestion.objects.filter(section__version=version).exists()


def test_a_copied_template_has_the_same_sections_and_questions(coordinator, default):
    copy = services.template_create(actor=coordinator, name="Copy", copy_from=default)
    assert titles(copy.current_version) == titles(default.current_version)
    for mine, theirs in zip(copy.current_version.sections.all(), default.current_version.sections.all(), strict=True):
        assert list(mine.questions.values_list("prompt", "guidance", "kind", "required", "position")) == list(
            theirs.questions.values_list("prompt", "guidance", "kind", "required", "position")
        )
    assert copy.current_version.sections.first().pk != default.current_version.sections.first().pk


def test_names_are_unique_whatever_their_case(coordinator, default):
    with pytest.raises(ValidationError) as caught:
        services.template_create(actor=coordinator, name=default.name.upper())
    assert "name" in caught.value.error_dict
    other = services.template_create(actor=coordinator, name="Other")
    with pytest.raises(ValidationError):
        services.template_update(actor=coordinator, template=other, name=f" {default.name} ", description="")
    services.template_update(actor=coordinator, template=default, name=default.name, description="Same name is fine")


def test_a_template_needs_a_question_to_be_made_default(coordinator, default):
    template = services.template_create(actor=coordinator, name="Empty tool")
    with pytest.raises(ValidationError, match="at least one question"):
        services.template_make_default(actor=coordinator, template=template)
    services.template_question_add(actor=coordinator, section=section_at(template, 1), prompt="Q", kind=TEXT)
    services.template_make_default(actor=coordinator, template=template)
    default.refresh_from_db()
    template.refresh_from_db()
    assert (template.is_default, default.is_default) == (True, False)


def test_the_default_template_keeps_at_least_one_question(coordinator, default):
    template = services.template_create(actor=coordinator, name="Small tool")
    services.template_question_add(actor=coordinator, section=section_at(template, 1), prompt="Only", kind=TEXT)
    services.template_make_default(actor=coordinator, template=template)
    with pytest.raises(ValidationError, match="keep at least one question"):
        services.template_question_remove(actor=coordinator, question=question_at(template, 1, 1))
    with pytest.raises(ValidationError, match="keep at least one question"):
        services.template_section_remove(actor=coordinator, section=section_at(template, 1))
    assert prompts(section_at(template, 1)) == ["Only"]


def test_problems_of_a_version():
    assert services.template_version_problems(None)


# Views --------------------------------------------------------------------------------------


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_list_shows_each_template_with_version_default_and_rounds(signed_in, coordinator, default):
    pin(default)
    services.template_create(actor=coordinator, name="Neglect tool")
    page = signed_in.get(reverse("audits:template-list")).text
    assert default.name in page and "Neglect tool" in page
    assert "Default" in page
    assert "Create a template" in page


def test_create_an_empty_template(signed_in, default):
    response = signed_in.post(
        reverse("audits:template-add"), {"name": "Neglect tool", "description": "D", "start": "empty"}
    )
    template = ToolTemplate.objects.get(name="Neglect tool")
    assert response.status_code == 302 and response["Location"] == template.get_absolute_url()
    assert titles(template.current_version) == ["Section 1"]


def test_create_a_copy(signed_in, default):
    signed_in.post(reverse("audits:template-add"), {"name": "Copy", "description": "", "start": str(default.pk)})
    assert titles(ToolTemplate.objects.get(name="Copy").current_version) == titles(default.current_version)


def test_create_errors_keep_what_was_typed(signed_in, default):
    page = signed_in.post(reverse("audits:template-add"), {"name": "", "description": "Kept words"}).text
    assert "govuk-error-summary" in page
    assert "Enter a name for the template" in page and "Select how you want to start the template" in page
    assert "Kept words" in page
    page = signed_in.post(
        reverse("audits:template-add"), {"name": default.name, "description": "Kept again", "start": "empty"}
    ).text
    assert f"There is already a template called {default.name}" in page.replace("&#x27;", "'")
    assert "Kept again" in page
    assert ToolTemplate.objects.count() == 1


def test_change_name_and_description(signed_in, default):
    url = reverse("audits:template-edit", args=[default.pk])
    assert default.name in signed_in.get(url).text
    signed_in.post(url, {"name": "Renamed tool", "description": "New words"})
    default.refresh_from_db()
    assert (default.name, default.description) == ("Renamed tool", "New words")


def test_make_default(signed_in, coordinator, default):
    template = services.template_create(actor=coordinator, name="Copy", copy_from=default)
    response = signed_in.post(reverse("audits:template-make-default", args=[template.pk]), follow=True)
    assert "is now the default template" in response.text
    template.refresh_from_db()
    assert template.is_default


def test_make_default_refused_for_an_empty_template(signed_in, coordinator, default):
    template = services.template_create(actor=coordinator, name="Empty")
    response = signed_in.post(reverse("audits:template-make-default", args=[template.pk]), follow=True)
    assert "at least one question" in response.text
    default.refresh_from_db()
    assert default.is_default


def test_detail_shows_sections_questions_and_versions(signed_in, default):
    page = signed_in.get(default.get_absolute_url()).text
    assert "Section 1: Your agency" in page
    assert "Which period does your review cover?" in page
    assert "Answer: Grade (Outstanding to Inadequate). Required." in page
    assert "Version 1" in page


def test_detail_issues_the_same_queries_however_many_sections(signed_in, coordinator, default):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = default.get_absolute_url()
    with CaptureQueriesContext(connection) as small:
        signed_in.get(url)
    for n in range(5):
        section = services.template_section_add(actor=coordinator, template=default, title=f"More {n}")
        services.template_question_add(actor=coordinator, section=section, prompt="Q", kind=TEXT)
    with CaptureQueriesContext(connection) as large:
        signed_in.get(url)
    assert len(large) == len(small)


def test_add_change_and_remove_a_section(signed_in, default):
    count = default.current_version.sections.count()
    response = signed_in.post(
        reverse("audits:template-section-add", args=[default.pk]), {"title": "Housing", "guidance": "Where they live."}
    )
    assert response["Location"].endswith(f"#section-{count + 1}")
    section = section_at(default, count + 1)
    assert (section.title, section.guidance) == ("Housing", "Where they live.")

    url = reverse("audits:template-section-edit", args=[default.pk, section.pk])
    assert "Housing" in signed_in.get(url).text
    page = signed_in.post(url, {"title": "", "guidance": "Typed guidance"}).text
    assert "Enter a title for the section" in page and "Typed guidance" in page
    signed_in.post(url, {"title": "Home conditions", "guidance": ""})
    assert section_at(default, count + 1).title == "Home conditions"

    url = reverse("audits:template-section-remove", args=[default.pk, section.pk])
    assert "Are you sure you want to remove this section?" in signed_in.get(url).text
    signed_in.post(url)
    assert default.current_version.sections.count() == count


def test_move_a_section(signed_in, default):
    before = titles(default.current_version)
    section = section_at(default, 1)
    response = signed_in.post(
        reverse("audits:template-section-move", args=[default.pk, section.pk]), {"direction": "down"}
    )
    assert response["Location"].endswith("#section-2")
    assert titles(default.current_version)[:2] == [before[1], before[0]]


def test_a_refused_move_says_why(signed_in, default):
    section = section_at(default, 1)
    url = reverse("audits:template-section-move", args=[default.pk, section.pk])
    assert "already first" in signed_in.post(url, {"direction": "up"}, follow=True).text
    assert "Choose whether to move" in signed_in.post(url, {"direction": "left"}, follow=True).text


def test_add_change_move_and_remove_a_question(signed_in, default):
    section = section_at(default, 1)
    url = reverse("audits:template-question-add", args=[default.pk, section.pk])
    page = signed_in.get(url).text
    assert "Add a question" in page
    page = signed_in.post(url, {"prompt": "", "guidance": "Typed guidance", "kind": YES_NO, "required": "no"}).text
    assert "Enter the question" in page and "Typed guidance" in page
    assert re.search(rf'value="{YES_NO}"\s+checked', page) and re.search(r'value="no"\s+checked', page)
    response = signed_in.post(
        url, {"prompt": "Was the family's culture considered?", "guidance": "", "kind": YES_NO, "required": "no"}
    )
    assert response["Location"].endswith("#question-1-3")
    question = question_at(default, 1, 3)
    assert (question.kind, question.required) == (YES_NO, False)

    url = reverse("audits:template-question-edit", args=[default.pk, question.pk])
    assert "Was the family&#x27;s culture considered?" in signed_in.get(url).text
    signed_in.post(url, {"prompt": "Reworded", "guidance": "Help", "kind": GRADE, "required": "yes"})
    question.refresh_from_db()
    assert (question.prompt, question.guidance, question.kind, question.required) == ("Reworded", "Help", GRADE, True)

    url = reverse("audits:template-question-move", args=[default.pk, question.pk])
    response = signed_in.post(url, {"direction": "up"})
    assert response["Location"].endswith("#question-1-2")
    assert prompts(section_at(default, 1))[1] == "Reworded"

    url = reverse("audits:template-question-remove", args=[default.pk, question.pk])
    assert "Are you sure you want to remove this question?" in signed_in.get(url).text
    signed_in.post(url)
    assert "Reworded" not in prompts(section_at(default, 1))
    assert positions(section_at(default, 1).questions) == [1, 2]


def test_an_edit_of_a_pinned_version_says_a_new_version_started(signed_in, default):
    pin(default)
    section = section_at(default, 1)
    response = signed_in.post(
        reverse("audits:template-section-edit", args=[default.pk, section.pk]),
        {"title": "Involvement", "guidance": ""},
        follow=True,
    )
    assert "new version 2" in response.text
    old = signed_in.get(reverse("audits:template-version", args=[default.pk, 1])).text
    assert "Your agency&#x27;s involvement" in old and "This is an earlier version" in old
    assert "Change<span" not in old


def test_a_removal_refused_by_the_rules_says_why(signed_in, coordinator, default):
    template = services.template_create(actor=coordinator, name="Small")
    services.template_question_add(actor=coordinator, section=section_at(template, 1), prompt="Only", kind=TEXT)
    services.template_make_default(actor=coordinator, template=template)
    question = question_at(template, 1, 1)
    response = signed_in.post(reverse("audits:template-question-remove", args=[template.pk, question.pk]), follow=True)
    assert "keep at least one question" in response.text
    assert TemplateQuestion.objects.filter(pk=question.pk).exists()


def test_typed_text_is_escaped(signed_in, coordinator, default):
    services.template_question_add(
        actor=coordinator, section=section_at(default, 1), prompt="<script>alert(1)</script>", kind=TEXT
    )
    page = signed_in.get(default.get_absolute_url()).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize(("role", "shown"), [("coordinator", True), ("administrator", True), ("lead_a", False)])
def test_navigation_entry(client, request, role, shown):
    """The templates are listed on the settings page, which the navigation's "Settings" leads to."""
    client.force_login(request.getfixturevalue(role))
    assert (reverse("administration:settings") in client.get(reverse("home")).text) is shown
    response = client.get(reverse("administration:settings"))
    assert response.status_code == (200 if shown else 403)
    assert ("Audit tool templates" in response.text) is shown


def test_a_round_cannot_pin_a_template_without_questions(coordinator, default):
    from audits.returns.lifecycle import pin_template_version

    template = services.template_create(actor=coordinator, name="Empty")
    with pytest.raises(ValidationError, match="at least one question"):
        pin_template_version(factories.AuditRoundFactory(tool_template=template))
