"""The complete access matrix: every URL pattern of the project, for every role, with two-factor
sign-in required and each session verified by an authenticator app.

The expectations come from the per-area MATRIX dicts of ``tests/*/test_access_*.py`` (imported, not
copied) and, for the URLs no area covers (sign-in, sign-out, password reset, keep-alive, account and
two-factor pages, the access log and Django's admin), from the MATRIX of this module. A URL pattern
that no MATRIX names fails ``test_every_url_pattern_is_in_a_matrix``.

Each URL is one test: its area's world is built once and every role's request runs in a savepoint
that is rolled back, so a coordinator's POST never changes what the next role sees."""

import importlib
import importlib.util
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import access
from tests.access import (
    ANONYMOUS,
    FORBIDDEN,
    NO_CONTENT,
    NOT_FOUND,
    OK,
    REDIRECT,
    ROLES,
    SIGNED_IN,
    RedirectTo,
    roles,
)
from tests.agencies.access_log.test_access_log import PAGES as ACCESS_LOG_PAGES

# The areas' own fixtures, so that each area's world is built exactly as its module builds it.
from tests.audits.actions.test_access import action  # noqa: F401
from tests.audits.learning.test_access_learning import round_with_learning  # noqa: F401
from tests.audits.learning.test_access_themes import theme  # noqa: F401
from tests.audits.meetings.test_access import meeting  # noqa: F401
from tests.audits.returns.test_access_chronologies import chronology  # noqa: F401
from tests.audits.returns.test_access_integrated import due_case, lead_c  # noqa: F401
from tests.audits.rounds.test_access import draw  # noqa: F401
from tests.audits.tool_templates.test_access import parts  # noqa: F401
from tests.briefings.conftest import learning_round, make_briefing  # noqa: F401
from tests.briefings.test_access_briefings import briefing, published  # noqa: F401
from tests.exports.test_access_exports import coordinators_export  # noqa: F401

pytestmark = [pytest.mark.two_factor, pytest.mark.django_db]

TESTS = Path(__file__).parent


def sign_in_verified(client, user):
    """Sign in with a password and a confirmed authenticator app, as two-factor sign-in ends."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


# --- The areas: each test_access*.py module's AREA says which world its kwargs builders take ---


def _area_modules():
    """Every test_access*.py module in a folder below tests/ that has a MATRIX (this one aside)."""
    modules = {}
    for path in sorted(TESTS.glob("*/**/test_access*.py")):
        name = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        module = importlib.import_module(name)
        if getattr(module, "MATRIX", None):
            modules[name] = module
    return modules


AREA_MODULES = _area_modules()


# --- The URLs no area module covers: agencies' and config's pages ---


def no_kwargs(world):
    return {}


def reset_kwargs(world):
    return {"uidb64": "MQ", "token": "set-password"}


# Django's own form views (sign-in, password reset) take PUT as POST: with no form data it is an
# empty, invalid form (and a CSRF-checked request). The account's password page refuses it.
DJANGO_FORM = {"GET", "HEAD", "POST", "PUT"}
SIGN_IN_URLS = {
    # Signed-in people are sent on to the home page.
    "sign-in": ("get", no_kwargs, roles(REDIRECT, anonymous=OK), DJANGO_FORM),
    # Signing out always ends on the sign-in page.
    "sign-out": ("post", no_kwargs, roles(REDIRECT, anonymous=REDIRECT), {"POST"}),
    "keep-alive": ("post", no_kwargs, roles(NO_CONTENT, anonymous=SIGNED_IN), {"POST"}),
    "password-reset": ("get", no_kwargs, roles(OK, anonymous=OK), DJANGO_FORM),
    "password-reset-sent": ("get", no_kwargs, roles(OK, anonymous=OK), {"GET", "HEAD"}),
    # An unknown link shows the "link has expired" page, whatever the method (Django checks the
    # link before the method).
    "password-reset-confirm": ("get", reset_kwargs, roles(OK, anonymous=OK), DJANGO_FORM | {"DELETE"}),
    "password-reset-complete": ("get", no_kwargs, roles(OK, anonymous=OK), {"GET", "HEAD"}),
}

# Your own account and two-factor sign-in: every signed-in role, for their own account only (the
# pages take no record from the URL). A verified session is sent on from the code page; the
# recovery codes page shows new codes once and otherwise sends people to their account.
ACCOUNT_URLS = {
    "account": ("get", no_kwargs, roles(OK, anonymous=SIGNED_IN), {"GET", "HEAD"}),
    "account-password": ("get", no_kwargs, roles(OK, anonymous=SIGNED_IN), {"GET", "HEAD", "POST"}),
    "account-recovery-codes": ("get", no_kwargs, roles(OK, anonymous=SIGNED_IN), {"GET", "HEAD", "POST"}),
    "two-factor-code": ("get", no_kwargs, roles(REDIRECT, anonymous=SIGNED_IN), {"GET", "HEAD", "POST"}),
    # Replacing the authenticator app, once verified with the current one.
    "two-factor-set-up": ("get", no_kwargs, roles(OK, anonymous=SIGNED_IN), {"GET", "HEAD", "POST"}),
    "two-factor-recovery-codes": ("get", no_kwargs, roles(REDIRECT, anonymous=SIGNED_IN), {"GET", "HEAD"}),
}

# Administrators' page of sign-ins, failures and exports (tests/agencies/access_log/test_access_log.py has
# its details): only administrators.
ACCESS_LOG_URLS = {
    key: (method, kwargs, {ANONYMOUS: SIGNED_IN, **expected}, allowed)
    for key, (method, kwargs, expected, allowed) in ACCESS_LOG_PAGES.items()
}

# The load balancers' health check: public, and the same for everyone (tests/test_healthz.py).
PUBLIC_URLS = {
    "healthz": ("get", no_kwargs, roles(OK, anonymous=OK), {"GET", "HEAD"}),
}

MATRIX = {**SIGN_IN_URLS, **ACCOUNT_URLS, **ACCESS_LOG_URLS, **PUBLIC_URLS}


# --- Django's admin, generated from the admin site's registry ---

# Non-staff are sent to the admin's login (which sends them home).
ADMIN_LOGIN = RedirectTo(("admin:login",), "?next=", "a redirect to the admin's login")
# Anonymous visitors are sent to sign in: by the login-required middleware, or by the admin's own
# pages (exempt from it) through the admin's login, which is the service's sign-in page.
ANONYMOUS_ADMIN = RedirectTo(
    ("sign-in", "admin:login"), "", "a redirect to sign in (perhaps through the admin's login)"
)


def _admin_expect(superuser):
    """Django's admin is for superusers only: every role, the administrator too, is sent to the
    admin's login (which sends them home); ``superuser`` is what a superuser would get (not run:
    no role of the matrix is one). The administrators' own pages are agencies/administration's."""
    return {
        ANONYMOUS: ANONYMOUS_ADMIN,
        **dict.fromkeys(ROLES, ADMIN_LOGIN),
    }


def _registered():
    return {f"{model._meta.app_label}_{model._meta.model_name}": model for model in admin.site._registry}


def _object_of(model):
    return model._default_manager.order_by("pk").first()


def _admin_object_kwargs(model):
    return lambda world: {"object_id": _object_of(model).pk}


def _admin_permission(model, what):
    """What the administrator may do by their role's permissions and the model admin's own rules."""

    def status(world):
        model_admin = admin.site._registry[model]
        request = world["admin_request"]
        obj = _object_of(model)
        if what == "view":
            allowed = model_admin.has_view_or_change_permission(request, obj)
        elif what == "add":
            allowed = model_admin.has_add_permission(request)
        else:
            allowed = getattr(model_admin, f"has_{what}_permission")(request, obj)
        return OK if allowed else FORBIDDEN

    return status


def _admin_matrix():
    matrix = {
        "admin:index": ("get", no_kwargs, _admin_expect(OK), {"GET", "HEAD"}),
        # The admin's login page is the service's sign-in page: signed-in people go home.
        "admin:login": ("get", no_kwargs, roles(REDIRECT, anonymous=SIGNED_IN), {"GET", "HEAD", "POST"}),
        # Signing out of the admin ends on the sign-in page; non-staff are sent to its index first.
        "admin:logout": ("post", no_kwargs, roles(REDIRECT, anonymous=ANONYMOUS_ADMIN), {"POST"}),
        "admin:password_change": ("get", no_kwargs, _admin_expect(OK), {"GET", "HEAD", "POST"}),
        "admin:password_change_done": ("get", no_kwargs, _admin_expect(OK), {"GET", "HEAD"}),
        # Without its query (model, field) the autocomplete is refused.
        "admin:autocomplete": ("get", no_kwargs, _admin_expect(FORBIDDEN), {"GET", "HEAD"}),
        "admin:jsi18n": ("get", no_kwargs, _admin_expect(OK), {"GET", "HEAD"}),
        # "View on site" of a case sends the administrator to the case's page (which refuses them there).
        "admin:view_on_site": (
            "get",
            lambda world: {
                "content_type_id": ContentType.objects.get_for_model(world["case"]).pk,
                "object_id": world["case"].pk,
            },
            _admin_expect(REDIRECT),
            {"GET", "HEAD"},
        ),
        "admin:app_list": ("get", lambda world: {"app_label": "agencies"}, _admin_expect(OK), {"GET", "HEAD"}),
        # Any other address below /admin/ is not found (for staff).
        "admin/(?P<url>.*)$": ("get", lambda world: "/admin/no-such-page/", _admin_expect(NOT_FOUND), {"GET"}),
    }
    for key, model in _registered().items():
        view = _admin_permission(model, "view")
        obj = _admin_object_kwargs(model)
        prefix = f"admin:{key}"
        matrix |= {
            f"{prefix}_changelist": ("get", no_kwargs, _admin_expect(view), {"GET", "HEAD", "POST"}),
            f"{prefix}_add": ("get", no_kwargs, _admin_expect(_admin_permission(model, "add")), {"GET", "POST"}),
            f"{prefix}_history": ("get", obj, _admin_expect(view), {"GET", "HEAD"}),
            f"{prefix}_delete": ("get", obj, _admin_expect(_admin_permission(model, "delete")), {"GET", "POST"}),
            f"{prefix}_change": ("get", obj, _admin_expect(view), {"GET", "POST"}),
            # admin/<app>/<model>/<pk>/ (unnamed) redirects to the change page, for staff.
            f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/": (
                "get",
                lambda world, prefix=prefix, model=model: reverse(f"{prefix}_changelist") + f"{_object_of(model).pk}/",
                _admin_expect(REDIRECT),
                {"GET"},
            ),
        }
        if hasattr(admin.site._registry[model], "history_form_view"):  # django-simple-history
            matrix[f"{prefix}_simple_history"] = (
                "get",
                lambda world, model=model: [_object_of(model).pk, _object_of(model).history.order_by("pk").first().pk],
                _admin_expect(_admin_permission(model, "change")),
                {"GET", "POST"},
            )
    return matrix


ADMIN_MATRIX = _admin_matrix() | {
    "admin:auth_user_password_change": (
        "get",
        lambda world: {"id": world["coordinator"].pk},
        _admin_expect(OK),
        {"GET", "POST"},
    ),
}


# --- Walking the URL patterns ---


def _url_keys(patterns=None, prefix="", namespace=None):
    """Every pattern: its name (with namespaces) or, unnamed, its route from the site root."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _url_keys(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name
        else:
            yield prefix + str(pattern.pattern)


def _covered():
    """url key -> (area module name or None, MATRIX entry)."""
    covered = {}
    for name, module in AREA_MODULES.items():
        covered |= {key: (name, entry) for key, entry in module.MATRIX.items()}
    covered |= {key: (None, entry) for key, entry in (MATRIX | ADMIN_MATRIX).items()}
    return covered


COVERED = _covered()
URL_KEYS = sorted(set(_url_keys()))


def test_every_url_pattern_is_in_a_matrix():
    missing = sorted(set(URL_KEYS) - set(COVERED))
    assert not missing, f"add these URLs to an access MATRIX (tests/*/test_access_*.py or this module): {missing}"


def test_every_area_module_is_known():
    """A new tests/*/test_access_*.py module needs an AREA saying which world it builds."""
    unknown = sorted(
        name for name, module in AREA_MODULES.items() if not isinstance(getattr(module, "AREA", None), access.Area)
    )
    assert not unknown, f"give these modules an AREA = access.Area(...): {unknown}"


def test_the_administrator_sees_in_the_admin_exactly_users_agencies_and_areas(world):
    """The admin's expectations above follow the model admins; this pins what they add up to."""
    request = world["admin_request"]
    viewable = {key for key, model in _registered().items() if admin.site._registry[model].has_view_permission(request)}
    addable = {key for key, model in _registered().items() if admin.site._registry[model].has_add_permission(request)}
    deletable = {
        key for key, model in _registered().items() if admin.site._registry[model].has_delete_permission(request)
    }
    assert viewable == {"agencies_user", "agencies_agency", "agencies_area"}
    assert addable == viewable
    assert deletable == set()


def test_the_matrices_name_no_url_that_is_gone():
    gone = {key for key in COVERED if key not in URL_KEYS}
    assert not gone


# --- Running the matrix ---


@pytest.fixture
def world(request, open_case, coordinator, administrator, board_viewer, lead_a, auditor_a, lead_b, rf):
    """Users of every role, an open case, and at least one object of every model the admin lists."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice

    for user in (coordinator, administrator, board_viewer, lead_a, auditor_a, lead_b):
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    StaticDevice.objects.create(user=lead_a, name="Backup codes")
    AccessAttempt.objects.create(username="someone@example.test", ip_address="192.0.2.1", failures_since_start=1)
    AccessLog.objects.create(username="lead.a@example.test", ip_address="192.0.2.1")
    AccessFailureLog.objects.create(username="someone@example.test", ip_address="192.0.2.1")
    _make_task_result()
    for model in admin.site._registry:
        assert _object_of(model) is not None, f"the world needs a {model.__name__} for the admin's pages"
    admin_request = rf.get("/admin/")
    admin_request.user = administrator
    return {"case": open_case, "coordinator": coordinator, "admin_request": admin_request}


def _make_task_result():
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    DBTaskResult._default_manager.create(
        task_path="audits.returns.tasks.nothing",
        backend_name="default",
        args_kwargs={"args": [], "kwargs": {}},
        enqueued_at=timezone.now(),
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )


def _cases():
    """The (area module or None, key) of every URL that exists now."""
    return [key for key in URL_KEYS if key in COVERED]


def _prepare(request, key):
    """The URL, method, POST data and expected status per role of one URL key."""
    module_name, (method, kwargs, expected, _allowed) = COVERED[key]
    if module_name is not None:
        area = AREA_MODULES[module_name].AREA
        args = area.args(request)
        expected = {ANONYMOUS: SIGNED_IN, **expected}
        return access.url_of(key, kwargs(*args)), method, area.data(method, args), expected
    world = request.getfixturevalue("world")
    expected = {role: status(world) if callable(status) else status for role, status in expected.items()}
    return access.url_of(key, kwargs(world)), method, None, expected


@pytest.mark.parametrize("key", _cases())
def test_access_with_two_factor(client, request, settings, key):
    """Every role, signed in with a password and an authenticator app, gets what its MATRIX says."""
    assert settings.TWO_FACTOR_REQUIRED
    url, method, data, expected = _prepare(request, key)
    for role in expected:
        user = access.user_of(request, role)
        with transaction.atomic():
            client.logout()
            if user is not None:
                sign_in_verified(client, user)
            response = getattr(client, method)(url, data)
            transaction.set_rollback(True)
        access.check(response, expected[role], url_name=key, role=role)


# --- Password-only sessions while two-factor sign-in is required ---

ENFORCING = importlib.util.find_spec("agencies.accounts.middleware") is not None
# Where a password-only session may still go: the second step of signing in (the code, or setting
# up an authenticator app when there is none yet) and signing out. Everything else, the admin,
# the keep-alive and the password reset pages included, sends it to the second step.
OPEN_BEFORE_VERIFIED = {"two-factor-code", "two-factor-set-up", "sign-out"}


@pytest.mark.skipif(not ENFORCING, reason="two-factor enforcement (agencies/middleware.py) is not written yet")
@pytest.mark.parametrize("key", _cases())
def test_a_password_only_session_is_sent_to_the_second_step(client, request, settings, key):
    assert settings.TWO_FACTOR_REQUIRED
    url, method, data, _expected = _prepare(request, key)
    second_step = (reverse("two-factor-code"), reverse("two-factor-set-up"))
    for role in ROLES:
        with transaction.atomic():
            client.logout()
            client.force_login(request.getfixturevalue(role))
            response = getattr(client, method)(url, data)
            transaction.set_rollback(True)
        where = f"{role} {method.upper()} {key} ({url})"
        if key in OPEN_BEFORE_VERIFIED:
            assert response.status_code in (OK, REDIRECT), where
            if response.status_code == REDIRECT:
                assert response["Location"].startswith((*second_step, reverse("sign-in"))), where
            continue
        assert response.status_code == REDIRECT, where
        assert response["Location"].startswith(second_step), where


@pytest.mark.parametrize("key", sorted(key for key in MATRIX if key in URL_KEYS))
def test_wrong_method_is_refused(client, request, coordinator, key):
    """The pages of this module's MATRIX answer 405 to the methods they do not take (the area
    modules check theirs; the admin is Django's)."""
    url, _method, _data, expected = _prepare(request, key)
    role = ANONYMOUS
    if expected[ANONYMOUS] != OK:
        sign_in_verified(client, coordinator)
        role = "coordinator"
    access.assert_methods_refused(client, url, MATRIX[key][3], url_name=key, role=role)
