"""The access matrix helper: the statuses, the roles, the expectation builders and the three tests
every ``tests/**/test_access*.py`` module runs over its MATRIX.

A MATRIX maps a URL name to ``(method, kwargs builder, expected status per role, allowed methods)``.
The kwargs builder takes the module's world (its AREA's fixtures) and returns the URL's kwargs.
``tests/test_access_complete.py`` runs every MATRIX again with two-factor sign-in required."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

OK, NO_CONTENT, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 204, 302, 403, 404, 405
STATUS_WORDS = {
    OK: "200 OK",
    NO_CONTENT: "204 No Content",
    REDIRECT: "302 Found (a redirect)",
    FORBIDDEN: "403 Forbidden",
    NOT_FOUND: "404 Not Found",
    NOT_ALLOWED: "405 Method Not Allowed",
}

# One user of every role (tests/conftest.py's fixtures): lead_a and auditor_a work for agency A,
# which takes part in the case; lead_b for agency B, which does not. board_approver is a board
# member who also signs briefings off.
ROLES = ["coordinator", "administrator", "board_viewer", "board_approver", "lead_a", "auditor_a", "lead_b"]
ANONYMOUS = "anonymous"
# The methods a wrong-method test tries.
METHODS = ("get", "post", "put", "delete")


@dataclass(frozen=True)
class RedirectTo:
    """A 302 whose Location starts with one of these URL names' paths (then ``suffix``)."""

    url_names: tuple[str, ...]
    suffix: str
    words: str

    def prefixes(self):
        return tuple(reverse(name) + self.suffix for name in self.url_names)


# Anonymous visitors are sent to sign in, and come back after.
SIGNED_IN = RedirectTo(("sign-in",), "?next=", "a redirect to the sign-in page")


@dataclass(frozen=True)
class Area:
    """The world one module's kwargs builders take, and what its POSTs send."""

    fixtures: tuple[str, ...] = ()  # the builders' arguments, fixture by fixture
    post_data: object = None  # args -> data sent with a POST
    spread: bool = False  # the one fixture is a tuple of the builders' arguments

    def args(self, request):
        args = tuple(request.getfixturevalue(name) for name in self.fixtures)
        return args[0] if self.spread else args

    def data(self, method, args):
        return self.post_data(*args) if self.post_data and method == "post" else None


def roles(default=FORBIDDEN, *, anonymous=None, **statuses):
    """Expected status per role: the ones given, every other role ``default``; with ``anonymous``,
    what a visitor who has not signed in gets too. A board approver gets what a board viewer
    gets unless said otherwise (they differ only on briefings being signed off)."""
    if "board_viewer" in statuses:
        statuses.setdefault("board_approver", statuses["board_viewer"])
    expected = {role: statuses.get(role, default) for role in ROLES} | {
        role: status for role, status in statuses.items() if role not in ROLES
    }
    return expected if anonymous is None else {ANONYMOUS: anonymous, **expected}


def round_roles(default=FORBIDDEN, **statuses):
    """As ``roles``, for the pages of one round: lead_b, whose agency is not in the round, gets 404
    unless said otherwise."""
    return roles(default, **{"lead_b": NOT_FOUND, **statuses})


def user_of(request, role):
    """The user of a role (a conftest fixture), or None for an anonymous visitor."""
    return None if role == ANONYMOUS else request.getfixturevalue(role)


def url_of(url_name, kwargs):
    """The path of a URL name: kwargs is a dict, a list of args, or already a path."""
    if isinstance(kwargs, str):
        return kwargs
    if isinstance(kwargs, list):
        return reverse(url_name, args=kwargs)
    return reverse(url_name, kwargs=kwargs)


def words(status):
    if isinstance(status, RedirectTo):
        return status.words
    return STATUS_WORDS.get(status, str(status))


def check(response, expected, *, url_name, role):
    """Fail, saying who asked for what and what came back, unless the response is ``expected``
    (a status, or a RedirectTo)."""
    method = response.request["REQUEST_METHOD"]
    path = response.request["PATH_INFO"]
    got = words(response.status_code)
    if response.status_code == REDIRECT:
        got += f" to {response.get('Location')}"
    where = f"{role} {method} {url_name} ({path}): expected {words(expected)}, got {got}"
    if isinstance(expected, RedirectTo):
        assert response.status_code == REDIRECT, where
        assert response["Location"].startswith(expected.prefixes()), where
    else:
        assert response.status_code == expected, where


def assert_access(client, user, method, url, expected, *, url_name, role, data=None):
    """Sign ``user`` in (None: nobody), send ``method`` to ``url`` and check the answer."""
    client.logout()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data)
    check(response, expected, url_name=url_name, role=role)
    return response


def assert_methods_refused(client, url, allowed, *, url_name, role, methods=METHODS):
    """Every method of ``methods`` that is not ``allowed`` answers 405."""
    for method in methods:
        if method.upper() not in allowed:
            check(getattr(client, method)(url), NOT_ALLOWED, url_name=url_name, role=role)


def standard_tests(matrix, area=Area(), *, wrong_method_as="coordinator", methods=METHODS, role_names=ROLES):
    """The three tests of an access module, for its MATRIX and AREA: every role gets what the
    MATRIX says; anonymous visitors are sent to sign in; other methods are refused (as
    ``wrong_method_as``, a role or url name -> role).

    ``test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused =
    access.standard_tests(MATRIX, AREA)``"""
    url_names = sorted(matrix)

    @pytest.mark.parametrize("role", role_names)
    @pytest.mark.parametrize("url_name", url_names)
    def test_access(client, request, db, url_name, role):
        method, kwargs, expected, _allowed = matrix[url_name]
        args = area.args(request)
        users = {name: request.getfixturevalue(name) for name in role_names}  # every role exists
        url = url_of(url_name, kwargs(*args))
        data = area.data(method, args)
        assert_access(client, users[role], method, url, expected[role], url_name=url_name, role=role, data=data)

    @pytest.mark.parametrize("url_name", url_names)
    def test_anonymous_is_sent_to_sign_in(client, request, db, url_name):
        method, kwargs, _expected, _allowed = matrix[url_name]
        url = url_of(url_name, kwargs(*area.args(request)))
        assert_access(client, None, method, url, SIGNED_IN, url_name=url_name, role=ANONYMOUS)

    @pytest.mark.parametrize("url_name", url_names)
    def test_wrong_method_is_refused(client, request, db, url_name):
        _method, kwargs, _expected, allowed = matrix[url_name]
        url = url_of(url_name, kwargs(*area.args(request)))
        role = wrong_method_as(url_name) if callable(wrong_method_as) else wrong_method_as
        client.force_login(request.getfixturevalue(role))
        assert_methods_refused(client, url, allowed, url_name=url_name, role=role, methods=methods)

    return test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused
