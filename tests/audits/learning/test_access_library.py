"""Access matrix of the learning library: whoever may read published briefings and the
practitioners the learning is for (coordinators, administrators, board viewers, agency leads and
auditors of any agency). What each reader sees of it is test_library.py's."""

import pytest
from django.urls import reverse

from tests import access
from tests.access import OK, roles

READ = roles(coordinator=OK, administrator=OK, board_viewer=OK, lead_a=OK, auditor_a=OK, lead_b=OK)

MATRIX = {
    "audits:library": ("get", dict, READ, {"GET", "HEAD"}),
    "audits:library-themes": ("get", dict, READ, {"GET", "HEAD"}),
    "audits:library-grades": ("get", dict, READ, {"GET", "HEAD"}),
}


AREA = access.Area()
test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused = access.standard_tests(MATRIX, AREA)


@pytest.mark.parametrize("role", ["coordinator", "administrator", "board_viewer", "lead_a", "auditor_a"])
def test_the_library_is_in_the_navigation_of_those_who_may_read_it(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert f'href="{reverse("audits:library")}"' in client.get(reverse("home")).text
