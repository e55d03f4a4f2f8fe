"""Access matrix of the administration pages: administrators only (confirming a coordinator:
confirmed coordinators too); the invitation pages are open to anyone with the link."""

from django.urls import reverse

from audits.models import Need
from tests import access, factories
from tests.access import FORBIDDEN, OK, REDIRECT, roles

ADMINISTRATORS = roles(administrator=OK)
PAGE = {"GET", "HEAD"}
FORM = {"GET", "HEAD", "POST"}


def no_kwargs(person, agency, audit_round):
    return {}


def person_kwargs(person, agency, audit_round):
    return {"pk": person.pk}


def agency_kwargs(person, agency, audit_round):
    return {"pk": agency.pk}


def area_kwargs(person, agency, audit_round):
    return {"pk": audit_round.area_id}


def need_kwargs(person, agency, audit_round):
    return {"pk": Need.objects.order_by("pk").first().pk}


def token_kwargs(person, agency, audit_round):
    """The link's path, with the token in the query string (which no access log writes)."""
    return reverse("administration:invitation") + "?t=not-a-real-token"


def awaiting_coordinator_kwargs(person, agency, audit_round):
    """A coordinator awaiting confirmation: for any other account the confirm page is a 404."""
    return {"pk": factories.UserFactory(role="Coordinator", confirmed=False).pk}


PAGES = {
    "administration:index": ("get", no_kwargs, ADMINISTRATORS, PAGE),
    # The settings page (the navigation's "Settings"): whoever manages templates, themes or people.
    "administration:settings": ("get", no_kwargs, roles(administrator=OK, coordinator=OK), PAGE),
    "administration:person-list": ("get", no_kwargs, ADMINISTRATORS, PAGE),
    "administration:person-invite": ("get", no_kwargs, ADMINISTRATORS, FORM),
    "administration:person-detail": ("get", person_kwargs, ADMINISTRATORS, PAGE),
    "administration:person-access": ("get", person_kwargs, ADMINISTRATORS, FORM),
    "administration:person-deactivate": ("get", person_kwargs, ADMINISTRATORS, FORM),
    "administration:person-reactivate": ("get", person_kwargs, ADMINISTRATORS, FORM),
    "administration:person-two-factor-reset": ("get", person_kwargs, ADMINISTRATORS, FORM),
    "administration:person-invite-again": ("get", person_kwargs, ADMINISTRATORS, FORM),
    # Confirmed coordinators confirm new ones too (the page says why one cannot be confirmed).
    "administration:coordinator-confirm": (
        "get",
        awaiting_coordinator_kwargs,
        roles(administrator=OK, coordinator=OK),
        FORM,
    ),
    "administration:agency-list": ("get", no_kwargs, ADMINISTRATORS, PAGE),
    "administration:agency-add": ("get", no_kwargs, ADMINISTRATORS, FORM),
    "administration:agency-edit": ("get", agency_kwargs, ADMINISTRATORS, FORM),
    "administration:area-list": ("get", no_kwargs, ADMINISTRATORS, PAGE),
    "administration:area-add": ("get", no_kwargs, ADMINISTRATORS, FORM),
    "administration:area-edit": ("get", area_kwargs, ADMINISTRATORS, FORM),
    "administration:need-list": ("get", no_kwargs, ADMINISTRATORS, PAGE),
    "administration:need-add": ("get", no_kwargs, ADMINISTRATORS, FORM),
    "administration:need-edit": ("get", need_kwargs, ADMINISTRATORS, FORM),
}

# The invitation's pages are for someone not signed in yet: the link keeps its token in the
# session and sends the browser on; the password page, with no usable invitation in the session,
# says the link has expired or been used. Whoever is signed in is told to sign out first (both
# pages, 200), and is never signed out by them.
INVITATION_PAGES = {
    # A GET only: a refusal logs the path, never the query string with the token.
    "administration:invitation": ("get", token_kwargs, roles(OK, anonymous=REDIRECT), PAGE),
    "administration:invitation-accept": ("get", no_kwargs, roles(OK, anonymous=OK), FORM),
}

MATRIX = {**PAGES, **INVITATION_PAGES}

AREA = access.Area(("lead_b", "agency_a", "audit_round"))
test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused = access.standard_tests(
    PAGES, AREA, wrong_method_as="administrator"
)


def test_invitation_pages_are_open_to_anyone(client, lead_b, agency_a, audit_round):
    for url_name, (method, kwargs, expected, allowed) in INVITATION_PAGES.items():
        url = access.url_of(url_name, kwargs(lead_b, agency_a, audit_round))
        access.assert_access(client, None, method, url, expected[access.ANONYMOUS], url_name=url_name, role="anonymous")
        access.assert_methods_refused(client, url, allowed, url_name=url_name, role="anonymous")


def test_a_missing_person_is_404(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("administration:person-detail", args=[999999])).status_code == 404


def test_the_confirm_page_is_404_but_for_a_coordinator_awaiting_confirmation(client, coordinator, lead_b):
    """A confirmed coordinator may open it, but it shows no other account's name or address."""
    client.force_login(coordinator)
    confirmed = factories.UserFactory(role="Coordinator")
    for person in (lead_b, confirmed):
        response = client.get(reverse("administration:coordinator-confirm", args=[person.pk]))
        assert response.status_code == 404 and person.email not in response.text
    awaiting = factories.UserFactory(role="Coordinator", confirmed=False)
    assert client.get(reverse("administration:coordinator-confirm", args=[awaiting.pk])).status_code == OK


def test_an_unconfirmed_coordinator_cannot_confirm_anyone(client, lead_b):
    unconfirmed = factories.UserFactory(role="Coordinator", confirmed=False)
    client.force_login(unconfirmed)
    url = reverse("administration:coordinator-confirm", args=[lead_b.pk])
    assert client.get(url).status_code == FORBIDDEN
