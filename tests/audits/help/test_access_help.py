"""The access matrix of the help pages: every signed-in role reads them all; the accessibility
statement and the privacy notice are public too, as a public-sector service must publish them."""

import pytest
from django.urls import reverse

from tests import access
from tests.access import ANONYMOUS, OK, roles

EVERYONE = roles(OK)
SIGNED_IN_PAGES = {
    "audits:help": ("get", dict, EVERYONE, {"GET", "HEAD"}),
    "audits:help-glossary": ("get", dict, EVERYONE, {"GET", "HEAD"}),
    "audits:help-grades": ("get", dict, EVERYONE, {"GET", "HEAD"}),
    # Every role may read every role's guide (to see what the others do).
    "audits:help-round-guide": ("get", lambda: {"role": "agency-lead"}, EVERYONE, {"GET", "HEAD"}),
}
PUBLIC_PAGES = {
    "audits:accessibility-statement": ("get", dict, roles(OK, anonymous=OK), {"GET", "HEAD"}),
    "audits:privacy-notice": ("get", dict, roles(OK, anonymous=OK), {"GET", "HEAD"}),
}

# url name -> (method, kwargs builder, expected status per role, allowed methods)
MATRIX = SIGNED_IN_PAGES | PUBLIC_PAGES

AREA = access.Area()
test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused = access.standard_tests(
    SIGNED_IN_PAGES, AREA
)


@pytest.mark.parametrize("role", [ANONYMOUS, *access.ROLES])
@pytest.mark.parametrize("url_name", sorted(PUBLIC_PAGES))
def test_public_pages_are_read_by_everyone(client, request, db, url_name, role):
    method, kwargs, expected, _allowed = PUBLIC_PAGES[url_name]
    url = access.url_of(url_name, kwargs())
    user = access.user_of(request, role)
    access.assert_access(client, user, method, url, expected[role], url_name=url_name, role=role)


@pytest.mark.parametrize("url_name", sorted(PUBLIC_PAGES))
def test_public_pages_refuse_other_methods(client, db, url_name):
    _method, _kwargs, _expected, allowed = PUBLIC_PAGES[url_name]
    access.assert_methods_refused(client, reverse(url_name), allowed, url_name=url_name, role=ANONYMOUS)
