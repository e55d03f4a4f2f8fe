"""Access matrix of the audit tool pages. Agency A's tool: A's lead and auditor edit it, only the
lead submits, coordinators decide, administrators read, agency B's staff get 404."""

from django.urls import reverse

from audits.returns import selectors
from tests import access
from tests.access import OK, REDIRECT, round_roles


def tool_kwargs(tool):
    return {"pk": tool.pk}


def section_kwargs(tool):
    return {"pk": tool.pk, "section_pk": selectors.sections_of(tool)[0].pk}


def either_kwargs(tool):
    """The URLs shared by audit tools and chronologies (issue 12) take the kind too."""
    return {"kind": "tools", "pk": tool.pk}


MATRIX = {
    "audits:tool-detail": (
        "get",
        tool_kwargs,
        round_roles(coordinator=OK, administrator=OK, lead_a=OK, auditor_a=OK),
        {"GET", "HEAD"},
    ),
    "audits:tool-section": ("get", section_kwargs, round_roles(lead_a=OK, auditor_a=OK), {"GET", "HEAD", "POST"}),
    "audits:tool-check": (
        "get",
        tool_kwargs,
        round_roles(coordinator=OK, administrator=OK, lead_a=OK, auditor_a=OK),
        {"GET", "HEAD"},
    ),
    # The lead's submit of an incomplete tool answers 200 with the list of missing answers.
    "audits:tool-submit": ("post", tool_kwargs, round_roles(lead_a=OK), {"POST"}),
    "audits:tool-return": ("get", tool_kwargs, round_roles(coordinator=OK), {"GET", "HEAD", "POST"}),
    "audits:tool-accept": ("post", tool_kwargs, round_roles(coordinator=REDIRECT), {"POST"}),
    # Assignment (issue 12): only the lead assigns; an auditor marks it ready (the lead, who
    # submits it, is sent back to it); the page after a submission is for the agency's staff (sent
    # back to it while it is not submitted); the review and its Accept confirmation are the
    # coordinator's (sent back to it while it is not submitted).
    "audits:return-assign": ("get", either_kwargs, round_roles(lead_a=OK), {"GET", "HEAD", "POST"}),
    "audits:return-ready": (
        "get",
        either_kwargs,
        round_roles(lead_a=REDIRECT, auditor_a=OK),
        {"GET", "HEAD", "POST"},
    ),
    "audits:return-submitted": (
        "get",
        either_kwargs,
        round_roles(lead_a=REDIRECT, auditor_a=REDIRECT),
        {"GET", "HEAD"},
    ),
    "audits:return-review": ("get", either_kwargs, round_roles(coordinator=OK), {"GET", "HEAD"}),
    "audits:return-accept": ("get", either_kwargs, round_roles(coordinator=REDIRECT), {"GET", "HEAD", "POST"}),
}


AREA = access.Area(("tool_a",))
test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused = access.standard_tests(
    MATRIX, AREA, wrong_method_as="lead_a"
)


def test_auditor_of_a_cannot_open_agency_b_tool(client, tool_b, auditor_a):
    client.force_login(auditor_a)
    assert client.get(tool_b.get_absolute_url()).status_code == 404
    assert client.get(reverse("audits:tool-section", kwargs=section_kwargs(tool_b))).status_code == 404
