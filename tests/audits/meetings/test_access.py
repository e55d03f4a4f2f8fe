"""Access matrix of the meeting pages. The round's case has agency A only, and the meeting has
ended: coordinators write; administrators and agency A's lead read the record; agency A's
auditor only downloads the invitation; board viewers 403; agency B's lead (not in the round) 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.models import LearningPoint
from tests import access, factories
from tests.access import OK, round_roles

MANAGE = round_roles(coordinator=OK)
READ_RECORD = round_roles(coordinator=OK, administrator=OK, lead_a=OK)


def round_kwargs(m):
    return {"pk": m.round_id}


def sitting_kwargs(m):
    return {"pk": m.round_id, "sitting": m.sitting}


def meeting_kwargs(m):
    return {"pk": m.pk}


def case_kwargs(m):
    return {"pk": m.pk, "number": 1}


def add_kwargs(m):
    return {"pk": m.pk, "number": 1, "kind": "strength"}


def point_kwargs(m):
    return {"pk": m.pk, "number": 1, "point_pk": m.point.pk}


MATRIX = {
    "audits:meeting-arrange": ("get", round_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "audits:meeting-edit": ("get", sitting_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "audits:meeting-detail": ("get", meeting_kwargs, READ_RECORD, {"GET", "HEAD"}),
    "audits:meeting-invitation": (
        "get",
        meeting_kwargs,
        round_roles(coordinator=OK, lead_a=OK, auditor_a=OK),
        {"GET", "HEAD"},
    ),
    # GET is the confirmation page (who is e-mailed); the POST needs confirm=yes (test_views.py).
    "audits:meeting-send-invitations": ("get", meeting_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "audits:meeting-attendance": ("get", meeting_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "audits:meeting-case": ("get", case_kwargs, READ_RECORD, {"GET", "HEAD"}),
    "audits:meeting-discussion": ("get", case_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "audits:learning-add": ("get", add_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "audits:learning-edit": ("get", point_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "audits:learning-remove": ("get", point_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
}


@pytest.fixture
def meeting(open_case, coordinator):
    meeting = factories.MeetingFactory(round=open_case.round)
    meeting.point = factories.LearningPointFactory(case=open_case, kind=LearningPoint.Kind.STRENGTH)
    return meeting


AREA = access.Area(("meeting",))
test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused = access.standard_tests(MATRIX, AREA)


@pytest.mark.parametrize("url_name", ["audits:meeting-detail", "audits:meeting-case"])
def test_lead_cannot_read_the_record_before_the_meeting_ends(client, meeting, lead_a, url_name):
    meeting.starts_at = timezone.now() - datetime.timedelta(hours=1)
    meeting.ends_at = timezone.now() + datetime.timedelta(hours=1)
    meeting.save()
    client.force_login(lead_a)
    kwargs = MATRIX[url_name][1](meeting)
    assert client.get(reverse(url_name, kwargs=kwargs)).status_code == 403
    assert client.get(reverse("audits:meeting-invitation", kwargs={"pk": meeting.pk})).status_code == 200


def test_unknown_kind_of_learning_is_404(client, meeting, coordinator):
    client.force_login(coordinator)
    url = reverse("audits:learning-add", kwargs={"pk": meeting.pk, "number": 1, "kind": "key_message"})
    assert client.get(url).status_code == 404


def test_case_of_another_round_is_404(client, meeting, coordinator):
    other = factories.CaseFactory(number=2)
    client.force_login(coordinator)
    assert (
        client.get(reverse("audits:meeting-case", kwargs={"pk": meeting.pk, "number": other.number})).status_code == 404
    )


def test_learning_point_of_another_case_is_404(client, meeting, coordinator):
    other_case = factories.CaseFactory(round=meeting.round, number=2)
    point = factories.LearningPointFactory(case=other_case, kind=LearningPoint.Kind.FINDING)
    client.force_login(coordinator)
    url = reverse("audits:learning-edit", kwargs={"pk": meeting.pk, "number": 1, "point_pk": point.pk})
    assert client.get(url).status_code == 404


def test_lead_reads_only_their_own_agencys_cases_of_the_meeting(client, meeting, agency_b, lead_b, coordinator):
    """Agency B takes part in case 2 only: after the meeting its lead reads case 2, not case 1."""
    other = factories.CaseFactory(round=meeting.round, number=2)
    factories.CaseAgencyFactory(case=other, agency=agency_b, added_by=coordinator)
    client.force_login(lead_b)
    assert client.get(reverse("audits:meeting-case", args=[meeting.pk, 2])).status_code == 200
    assert client.get(reverse("audits:meeting-case", args=[meeting.pk, 1])).status_code == 404
    agenda = client.get(meeting.get_absolute_url()).text
    assert f'href="{reverse("audits:meeting-case", args=[meeting.pk, 2])}"' in agenda
    assert f'href="{reverse("audits:meeting-case", args=[meeting.pk, 1])}"' not in agenda
