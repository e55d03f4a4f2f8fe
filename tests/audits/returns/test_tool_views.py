from django.urls import reverse

from audits.models import WorkStatus
from audits.returns import selectors
from audits.returns import services as tool_services
from tests.audits.returns.test_lifecycle import answer_everything


def section_url(tool, section):
    return reverse("audits:tool-section", args=[tool.pk, section.pk])


def test_task_list_shows_sections_and_status(client, tool_a, auditor_a):
    client.force_login(auditor_a)
    page = client.get(tool_a.get_absolute_url()).text
    assert "govuk-task-list" in page
    assert "Your agency&#x27;s involvement" in page
    assert "Not yet started" in page


def test_save_and_continue_goes_to_the_next_section_and_keeps_answers(client, tool_a, auditor_a):
    first, second = selectors.sections_of(tool_a)[:2]
    question = first.questions.first()
    client.force_login(auditor_a)
    response = client.post(section_url(tool_a, first), {"revision": 0, f"q{question.pk}_text": "Our involvement."})
    assert response["Location"] == section_url(tool_a, second)
    assert tool_a.answers.get(question=question).text == "Our involvement."
    tool_a.refresh_from_db()
    assert tool_a.status == WorkStatus.DRAFT
    page = client.get(section_url(tool_a, first)).text
    assert "Our involvement." in page
    assert 'name="revision" value="1"' in page


def test_save_as_draft_returns_to_the_task_list(client, tool_a, auditor_a):
    first = selectors.sections_of(tool_a)[0]
    client.force_login(auditor_a)
    response = client.post(section_url(tool_a, first), {"revision": 0, "save-draft": ""})
    assert response["Location"] == tool_a.get_absolute_url()


def test_a_stale_save_shows_the_conflict_and_keeps_both_texts(client, tool_a, auditor_a, lead_a):
    first = selectors.sections_of(tool_a)[0]
    question = first.questions.first()
    tool_services.tool_section_save(
        actor=lead_a, tool=tool_a, section=first, revision=0, answers={question.pk: ("", "The lead's text")}
    )
    client.force_login(auditor_a)
    response = client.post(section_url(tool_a, first), {"revision": 0, f"q{question.pk}_text": "The auditor's text"})
    assert response.status_code == 200
    page = response.text
    assert "Someone else saved this section" in page
    assert "The lead&#x27;s text" in page and "The auditor&#x27;s text" in page
    assert 'name="revision" value="1"' in page
    assert tool_a.answers.get(question=question).text == "The lead's text"
    # Saving again from the new revision works.
    client.post(section_url(tool_a, first), {"revision": 1, f"q{question.pk}_text": "Merged text"})
    assert tool_a.answers.get(question=question).text == "Merged text"


def test_submit_with_missing_answers_lists_each_with_a_link(client, tool_a, lead_a):
    client.force_login(lead_a)
    response = client.post(reverse("audits:tool-submit", args=[tool_a.pk]))
    assert response.status_code == 200
    assert "more questions before you can submit" in response.text
    first = selectors.sections_of(tool_a)[0]
    assert section_url(tool_a, first) + "#id_q" in response.text
    tool_a.refresh_from_db()
    assert tool_a.status == WorkStatus.NOT_STARTED


def test_lead_submits_coordinator_returns_and_accepts(client, tool_a, lead_a, coordinator):
    answer_everything(tool_a, lead_a)
    client.force_login(lead_a)
    assert client.post(reverse("audits:tool-submit", args=[tool_a.pk])).status_code == 302
    tool_a.refresh_from_db()
    assert tool_a.status == WorkStatus.SUBMITTED
    client.force_login(coordinator)
    response = client.post(reverse("audits:tool-return", args=[tool_a.pk]), {"comment": ""})
    assert "Say what the agency needs to change" in response.text
    # Returning and accepting each go through a confirmation page first (issue 12).
    response = client.post(reverse("audits:tool-return", args=[tool_a.pk]), {"comment": "Add evidence to section 3."})
    assert "Are you sure you want to return this audit tool" in response.text
    tool_a.refresh_from_db()
    assert tool_a.status == WorkStatus.SUBMITTED
    client.post(
        reverse("audits:tool-return", args=[tool_a.pk]), {"comment": "Add evidence to section 3.", "confirmed": "yes"}
    )
    tool_a.refresh_from_db()
    assert tool_a.status == WorkStatus.RETURNED
    client.force_login(lead_a)
    assert "Add evidence to section 3." in client.get(tool_a.get_absolute_url()).text
    client.post(reverse("audits:tool-submit", args=[tool_a.pk]))
    client.force_login(coordinator)
    response = client.post(reverse("audits:tool-accept", args=[tool_a.pk]))
    assert response["Location"] == reverse("audits:return-accept", args=["tools", tool_a.pk])
    tool_a.refresh_from_db()
    assert tool_a.status == WorkStatus.SUBMITTED
    client.post(reverse("audits:return-accept", args=["tools", tool_a.pk]))
    tool_a.refresh_from_db()
    assert tool_a.status == WorkStatus.ACCEPTED


def test_submitted_tool_cannot_be_edited(client, tool_a, lead_a):
    answer_everything(tool_a, lead_a)
    tool_services.tool_submit(actor=lead_a, tool=tool_a)
    first = selectors.sections_of(tool_a)[0]
    client.force_login(lead_a)
    response = client.post(section_url(tool_a, first), {"revision": 99})
    assert response.status_code == 302
    assert "can no longer be changed" in client.get(response["Location"]).text
