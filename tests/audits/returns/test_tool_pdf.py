"""An agency's audit tool as a PDF: its status, grades and every answer with its evidence, made as
an export for the agency's staff and the coordinator, logged on download, never with the child's
restricted identifiers."""

import io

import pytest
from django.test import TestCase
from django.urls import reverse
from pypdf import PdfReader

from agencies.models import AccessEvent
from audits.models import AuditTool, TemplateQuestion, ToolAnswer, WorkStatus
from audits.returns.selectors import sections_of
from exports.models import Export
from tests.exports.flow import export_of


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def answered_tool(tool_a):
    """Agency A's tool with its first section's questions answered and the rest not, returned for
    changes with a comment."""
    section = sections_of(tool_a)[0]
    for question in section.questions.all():
        choice = {TemplateQuestion.Kind.GRADE: TemplateQuestion.Grade.REQUIRES_IMPROVEMENT}.get(question.kind, "")
        if question.kind == TemplateQuestion.Kind.YES_NO:
            choice = question.choices[0][0]
        ToolAnswer.objects.create(tool=tool_a, question=question, choice=choice, text=f"Evidence Q{question.pk}")
    grade = TemplateQuestion.objects.filter(section__version=tool_a.template_version, kind="grade").first()
    ToolAnswer.objects.update_or_create(
        tool=tool_a, question=grade, defaults={"choice": TemplateQuestion.Grade.OUTSTANDING, "text": "Graded well"}
    )
    AuditTool.objects.filter(pk=tool_a.pk).update(status=WorkStatus.RETURNED, return_comment="Please add the dates")
    tool_a.refresh_from_db()
    tool_a.grade_question = grade
    return tool_a


def get_pdf(client, user, tool):
    client.force_login(user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("audits:tool-pdf", args=[tool.pk]))
    export = export_of(response)
    assert export.kind == Export.Kind.AUDIT_TOOL and export.params == {"tool": tool.pk}
    assert export.is_done, export.state
    response = client.get(reverse("exports:export-download", args=[export.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return pdf_text(response.content)


@pytest.mark.parametrize("role", ["auditor_a", "coordinator"])
def test_the_pdf_holds_status_grades_answers_and_evidence(client, request, answered_tool, role, identifier_texts):
    text = get_pdf(client, request.getfixturevalue(role), answered_tool)
    assert "Audit tool: Case 1, Agency A" in text
    assert "Returned for changes" in text and "Please add the dates" in text
    first = sections_of(answered_tool)[0]
    for question in first.questions.all():
        assert f"Evidence Q{question.pk}" in text
    assert answered_tool.grade_question.prompt in text and "Outstanding" in text and "Graded well" in text
    assert "Not answered" in text  # the later sections
    assert f"Sections completed 1 of {len(sections_of(answered_tool))}" in text
    for identifier in identifier_texts:
        assert identifier not in text


def test_the_download_is_logged(client, auditor_a, answered_tool):
    get_pdf(client, auditor_a, answered_tool)
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.EXPORT)
    assert event.user == auditor_a and event.what == f"Audit tool PDF, tool {answered_tool.pk}"


def test_the_tool_page_offers_the_pdf_to_those_who_may_have_it(client, tool_a, lead_a, coordinator, administrator):
    url = reverse("audits:tool-pdf", args=[tool_a.pk])
    for user, offered in ((lead_a, True), (coordinator, True), (administrator, False)):
        client.force_login(user)
        page = client.get(tool_a.get_absolute_url())
        assert page.status_code == 200 and (url in page.text) == offered, user


def test_another_agencys_tool_is_not_printed(client, tool_b, lead_a):
    client.force_login(lead_a)
    assert client.post(reverse("audits:tool-pdf", args=[tool_b.pk])).status_code == 404
    assert not Export.objects.exists()
