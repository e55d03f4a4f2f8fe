"""The access matrix of the audit tool template views: coordinators and administrators manage
templates; board viewers and agency staff are refused (403) everywhere."""

import pytest
from django.urls import reverse

from audits.models import ToolTemplate
from tests import access
from tests.access import FORBIDDEN, OK, REDIRECT, roles

MANAGE = roles(coordinator=OK, administrator=OK)
MANAGE_POST = roles(coordinator=REDIRECT, administrator=REDIRECT)
GET_POST = {"GET", "HEAD", "POST"}


def _template(t, s, q):
    return {"pk": t.pk}


def _section(t, s, q):
    return {"pk": t.pk, "section_pk": s.pk}


def _question(t, s, q):
    return {"pk": t.pk, "question_pk": q.pk}


# url name -> (method, kwargs builder, expected status per role, allowed methods)
MATRIX = {
    "audits:template-list": ("get", lambda t, s, q: {}, MANAGE, {"GET", "HEAD"}),
    "audits:template-add": ("get", lambda t, s, q: {}, MANAGE, GET_POST),
    "audits:template-detail": ("get", _template, MANAGE, {"GET", "HEAD"}),
    "audits:template-edit": ("get", _template, MANAGE, GET_POST),
    "audits:template-make-default": ("post", _template, MANAGE_POST, {"POST"}),
    "audits:template-version": ("get", lambda t, s, q: {"pk": t.pk, "number": 1}, MANAGE, {"GET", "HEAD"}),
    "audits:template-descriptors": ("get", _template, MANAGE, GET_POST),
    "audits:template-section-add": ("get", _template, MANAGE, GET_POST),
    "audits:template-section-edit": ("get", _section, MANAGE, GET_POST),
    "audits:template-section-remove": ("get", _section, MANAGE, GET_POST),
    "audits:template-section-move": ("post", _section, MANAGE_POST, {"POST"}),
    "audits:template-question-add": ("get", _section, MANAGE, GET_POST),
    "audits:template-question-edit": ("get", _question, MANAGE, GET_POST),
    "audits:template-question-remove": ("get", _question, MANAGE, GET_POST),
    "audits:template-question-move": ("post", _question, MANAGE_POST, {"POST"}),
}


@pytest.fixture
def parts(db):
    template = ToolTemplate.objects.get(is_default=True)
    section = template.current_version.sections.get(position=1)
    return template, section, section.questions.get(position=1)


AREA = access.Area(("parts",), post_data=lambda t, s, q: {"direction": "down"}, spread=True)
test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused = access.standard_tests(MATRIX, AREA)


@pytest.mark.parametrize("role", ["board_viewer", "lead_a"])
def test_refused_roles_change_nothing_by_post(client, request, parts, role):
    template = parts[0]
    client.force_login(request.getfixturevalue(role))
    for url_name, kwargs in [
        ("audits:template-section-remove", _section(*parts)),
        ("audits:template-question-remove", _question(*parts)),
        ("audits:template-section-add", _template(*parts)),
        ("audits:template-edit", _template(*parts)),
    ]:
        response = client.post(reverse(url_name, kwargs=kwargs), {"name": "Taken over", "title": "Added"})
        assert response.status_code == FORBIDDEN
    template.refresh_from_db()
    assert template.name != "Taken over"
    assert template.versions.count() == 1
    assert template.current_version.sections.count() == 9


def test_parts_of_an_older_version_are_not_found(client, coordinator, parts):
    """Only the current version is editable: a pinned version's sections and questions are 404."""
    from audits.tool_templates import services
    from tests import factories

    template, old_section, old_question = parts
    factories.AuditRoundFactory(tool_template=template, template_version=template.current_version)
    services.template_section_add(actor=coordinator, template=template, title="New")
    assert template.current_version.number == 2
    new_section = template.current_version.sections.get(position=1)
    new_question = new_section.questions.get(position=1)
    client.force_login(coordinator)

    def status(url_name, **kwargs):
        return client.get(reverse(url_name, kwargs={"pk": template.pk, **kwargs})).status_code

    assert status("audits:template-section-edit", section_pk=old_section.pk) == 404
    assert status("audits:template-question-edit", question_pk=old_question.pk) == 404
    assert status("audits:template-section-edit", section_pk=new_section.pk) == 200
    assert status("audits:template-question-edit", question_pk=new_question.pk) == 200


def test_parts_of_another_template_are_not_found(client, coordinator, parts):
    from audits.tool_templates import services

    _template, section, question = parts
    other = services.template_create(actor=coordinator, name="Another tool")
    client.force_login(coordinator)
    for url_name, kwargs in [
        ("audits:template-section-edit", {"section_pk": section.pk}),
        ("audits:template-question-edit", {"question_pk": question.pk}),
        ("audits:template-version", {"number": 2}),
    ]:
        assert client.get(reverse(url_name, kwargs={"pk": other.pk, **kwargs})).status_code == 404
    assert client.get(reverse("audits:template-detail", kwargs={"pk": 999999})).status_code == 404
