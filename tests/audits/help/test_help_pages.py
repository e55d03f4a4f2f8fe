"""The help pages: the glossary, the round guides, the grade scale, the accessibility statement
and the privacy notice, and the links to them from every page."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from audits.help.content import GLOSSARY, GUIDES
from config.env import env_date


def test_the_glossary_explains_the_terms_people_meet(client, lead_a):
    client.force_login(lead_a)
    page = client.get(reverse("audits:help-glossary")).text
    for term in ["CIN", "CP", "CLA / LAC", "MASH", "MARAC", "MAPPA", "EHA", "RAG", "Strategy discussion"]:
        assert f'<dt class="govuk-summary-list__key">{term}</dt>' in page
    for term in ["Section 47 enquiry", "Chronology", "Audit tool", "Integrated chronology", "Multi-agency meeting"]:
        assert term in page
    assert "6 step briefing" in page
    assert "Multi-agency risk assessment conference" in page


def test_glossary_terms_are_in_order_with_distinct_anchors():
    assert [term.term.lower() for term in GLOSSARY if term.term[0].isalpha()] == sorted(
        term.term.lower() for term in GLOSSARY if term.term[0].isalpha()
    )
    anchors = [term.anchor for term in GLOSSARY]
    assert len(set(anchors)) == len(anchors)


@pytest.mark.parametrize("guide", GUIDES, ids=lambda guide: guide.slug)
def test_every_roles_guide_shows_the_round_and_links_the_others(client, board_viewer, guide, settings):
    settings.ROUND_MILESTONE_OFFSETS = {"tools_due": 21, "meeting": 35, "learning_due": 49, "briefing_due": 63}
    client.force_login(board_viewer)
    response = client.get(reverse("audits:help-round-guide", args=[guide.slug]))
    assert response.status_code == 200
    page = response.text
    assert f"For {guide.title.lower()}" in page
    assert "due 21 days after launch" in page  # the milestones come from the settings
    others = [other for other in GUIDES if other.slug != guide.slug]
    for other in others:
        assert reverse("audits:help-round-guide", args=[other.slug]) in page


def test_an_unknown_guide_is_not_found(client, lead_a):
    client.force_login(lead_a)
    assert client.get(reverse("audits:help-round-guide", args=["superhero"])).status_code == 404


def test_the_coordinators_guide_says_what_four_eyes_means(client, coordinator, settings):
    client.force_login(coordinator)
    url = reverse("audits:help-round-guide", args=["coordinator"])
    settings.BRIEFING_FOUR_EYES = True
    assert "never its author" in client.get(url).text
    settings.BRIEFING_FOUR_EYES = False
    assert "You may approve and publish it yourself" in client.get(url).text


@pytest.mark.parametrize(
    ("role", "yours"),
    [
        ("coordinator", {"coordinator"}),
        ("lead_a", {"agency-lead"}),
        ("auditor_a", {"auditor"}),
        ("board_viewer", {"board"}),
        ("board_approver", {"board"}),
        ("administrator", {"administrator"}),
    ],
)
def test_the_help_page_marks_the_guide_of_your_role(client, request, role, yours):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("audits:help"))
    marked = {item["guide"].slug for item in response.context["guides"] if item["yours"]}
    assert marked == yours
    assert response.text.count("Your role</strong>") == len(yours)


def test_the_grade_scale_describes_each_grade(client, auditor_a):
    client.force_login(auditor_a)
    page = client.get(reverse("audits:help-grades")).text
    positions = [
        page.index(f'<h2 class="govuk-heading-m">{grade}</h2>')
        for grade in ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    ]
    assert positions == sorted(positions)


def test_the_accessibility_statement_is_public_and_takes_the_partnerships_details(client, settings):
    settings.SUPPORT_EMAIL = "access.help@example.test"
    settings.DATA_CONTROLLER = "Eastmere Children's Partnership"
    settings.ACCESSIBILITY_STATEMENT_PREPARED = datetime.date(2026, 9, 1)
    settings.ACCESSIBILITY_STATEMENT_REVIEWED = datetime.date(2026, 11, 2)
    response = client.get(reverse("audits:accessibility-statement"))
    assert response.status_code == 200
    page = response.text
    assert "Web Content Accessibility Guidelines version 2.2" in page
    assert "partially compliant" in page
    assert "mailto:access.help@example.test" in page
    assert "This service is run by Eastmere Children&#x27;s Partnership" in page
    assert "Enforcement procedure" in page and "Equality Advisory and Support Service" in page
    assert "prepared on 1 September 2026. It was last reviewed on 2 November 2026." in page
    assert "How accessible this service is" in page


def test_the_privacy_notice_is_public_and_takes_the_partnerships_details(client, settings):
    settings.DATA_PROTECTION_EMAIL = "dpo@example.test"
    settings.DATA_CONTROLLER = "Eastmere Children's Partnership"
    settings.RETENTION_DAYS_AFTER_CLOSE = 200
    settings.PRIVACY_NOTICE_UPDATED = datetime.date(2026, 10, 5)
    response = client.get(reverse("audits:privacy-notice"))
    assert response.status_code == 200
    page = response.text
    assert "Eastmere Children&#x27;s Partnership is the data controller" in page
    assert "mailto:dpo@example.test" in page
    assert "destroyed 200 days after a round closes" in page
    assert "last updated on 5 October 2026" in page
    for heading in [
        "What information we hold",
        "Why we hold it",
        "Who can see it",
        "How long we keep it",
        "Your rights",
    ]:
        assert f">{heading}</h2>" in page


def test_every_page_links_the_statement_and_the_notice_and_signed_in_pages_help(client, lead_a):
    signed_out = client.get(reverse("sign-in")).text
    assert f'href="{reverse("audits:accessibility-statement")}">Accessibility statement</a>' in signed_out
    assert f'href="{reverse("audits:privacy-notice")}">Privacy notice</a>' in signed_out
    assert reverse("audits:help") not in signed_out  # the help pages need signing in
    client.force_login(lead_a)
    page = client.get(reverse("home")).text
    assert page.count(f'href="{reverse("audits:help")}"') == 2  # the header and the footer
    assert 'class="govuk-footer__inline-list"' in page
    assert f'href="{reverse("audits:privacy-notice")}">Privacy notice</a>' in page


def test_a_date_setting_must_be_a_real_date(monkeypatch):
    monkeypatch.setenv("SOME_DATE", "2026-02-28")
    assert env_date("SOME_DATE", datetime.date(2020, 1, 1)) == datetime.date(2026, 2, 28)
    monkeypatch.setenv("SOME_DATE", "")
    assert env_date("SOME_DATE", datetime.date(2020, 1, 1)) == datetime.date(2020, 1, 1)
    monkeypatch.setenv("SOME_DATE", "28/02/2026")
    with pytest.raises(ImproperlyConfigured, match="SOME_DATE must be a date written YYYY-MM-DD"):
        env_date("SOME_DATE", datetime.date(2020, 1, 1))
