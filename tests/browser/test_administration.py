"""The administration pages in Chromium without JavaScript: an administrator invites someone
(correcting a bad address), changes their access through the confirmation step, deactivates
them, and adds an agency, an area and a need; the invited person sets their password from the
e-mail's link, which then no longer works. axe checks every page, and each fits 375 px."""

import re

from django.core import mail

from agencies.administration import services
from agencies.models import AccessEvent, Agency, Area, User
from audits.models import Need
from tests import factories

PASSWORD = "a-quite-long-passphrase-2026"


def fits_a_phone(visitor):
    """The page at 375 px wide: nothing wider than the screen, then back to the desktop width."""
    page = visitor.page
    page.set_viewport_size({"width": 375, "height": 800})
    visitor.check()
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 375)"
        ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, f"{page.url} is wider than 375 px: {wide}"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_administrator_manages_people_agencies_areas_and_needs(visitor_without_js):
    visitor = visitor_without_js
    page = visitor.page
    agency = factories.AgencyFactory(name="Northshire Police", short_name="NP")
    administrator = factories.UserFactory(email="admin@example.test", full_name="Ada Min", role="Administrator")
    factories.UserFactory(email="coordinator@example.test", full_name="Cora Ordinator", role="Coordinator")
    visitor.sign_in(administrator.email)
    visitor.click("link", name="Settings")
    fits_a_phone(visitor)
    visitor.click("link", name="People")
    fits_a_phone(visitor)
    visitor.click("link", name="Invite someone")
    page.get_by_label("Full name").fill("Pat Newperson")
    page.get_by_label("E-mail address").fill("not an address")
    page.get_by_label("Agency", exact=True).select_option(label="Northshire Police")
    visitor.click("button", name="Send invitation")
    assert page.title().startswith("Error: ")
    assert page.get_by_role("link", name="Enter an e-mail address in the correct format").is_visible()
    assert page.get_by_role("link", name="Choose whether they are the agency's lead or an auditor").is_visible()
    assert page.get_by_label("Full name").input_value() == "Pat Newperson"
    fits_a_phone(visitor)
    page.get_by_label("E-mail address").fill("pat.new@example.test")
    page.get_by_label("Auditor").check()
    visitor.click("button", name="Send invitation")
    assert page.get_by_role("heading", name="Pat Newperson", level=1).is_visible()
    fits_a_phone(visitor)
    person = User.objects.get(email="pat.new@example.test")

    # Their access: the form, then the confirmation page, then the change.
    visitor.click("link", name="Change roles and agency")
    page.get_by_label("Agency lead").check()
    visitor.click("button", name="Continue")
    assert page.get_by_role("heading", name="Are you sure you want to change this person's access?").is_visible()
    fits_a_phone(visitor)
    assert person.membership.role == "auditor"
    visitor.click("button", name="Yes, change their access")
    assert User.objects.get(pk=person.pk).membership.role == "lead"
    visitor.click("link", name="Deactivate account")
    fits_a_phone(visitor)
    visitor.click("button", name="Yes, deactivate the account")
    assert not User.objects.get(pk=person.pk).is_active
    kinds = set(AccessEvent.objects.values_list("kind", flat=True))
    assert {"account_created", "agency_changed", "account_deactivated", "invitation_sent"} <= kinds

    # Agencies (with their leads), areas and needs.
    visitor.goto("/administration/agencies/")
    fits_a_phone(visitor)
    visitor.click("link", name="Add an agency")
    visitor.click("button", name="Add agency")
    assert page.get_by_role("link", name="Enter the agency's name").is_visible()
    fits_a_phone(visitor)
    page.get_by_label("Name", exact=True).fill("Northshire Health")
    page.get_by_label("Short name").fill("NH")
    page.get_by_label("Sector").select_option(label="Acute health")
    visitor.click("button", name="Add agency")
    assert Agency.objects.filter(short_name="NH").exists()
    visitor.click("link", name=f"Change {agency.name}")
    fits_a_phone(visitor)
    visitor.goto("/administration/areas/")
    visitor.click("link", name="Add an area")
    page.get_by_label("Name", exact=True).fill("Westshire")
    page.get_by_label("Short name").fill("WS")
    visitor.click("button", name="Add area")
    assert Area.objects.filter(short_name="WS").exists()
    fits_a_phone(visitor)
    visitor.goto("/administration/needs/")
    visitor.click("link", name="Add a need")
    page.get_by_label("Name", exact=True).fill("Young carer")
    page.get_by_label("Short code").fill("young-carer")
    visitor.click("button", name="Add need")
    assert Need.objects.filter(slug="young-carer").exists()
    fits_a_phone(visitor)


def test_an_invited_person_sets_their_password_and_the_link_then_fails(visitor_without_js):
    visitor = visitor_without_js
    page = visitor.page
    administrator = factories.UserFactory(email="admin@example.test", full_name="Ada Min", role="Administrator")
    services.person_invite(
        actor=administrator, full_name="Ivy Invited", email="ivy@example.test", role_names=["Board viewer"]
    )
    message = next(message for message in mail.outbox if message.to == ["ivy@example.test"])
    link = re.search(r"http://\S+/invitation/\?t=[\w-]+", message.body).group(0)
    path = "/" + link.split("/", 3)[3]
    # Someone signed in on this browser is told to sign out first, and is not signed out by it.
    visitor.sign_in(administrator.email)
    visitor.goto(path)
    assert page.get_by_role("heading", name="You are signed in as Ada Min").is_visible()
    fits_a_phone(visitor)
    visitor.click("button", name="Sign out of this account")
    visitor.goto(path)
    assert page.get_by_role("heading", name="Set your password").is_visible()
    fits_a_phone(visitor)
    page.get_by_label("Password", exact=True).fill("password")
    page.get_by_label("Confirm password").fill("password")
    visitor.click("button", name="Set password and continue")
    assert page.title().startswith("Error: ")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    visitor.click("button", name="Set password and continue")
    assert page.url.endswith("/two-factor/set-up/")
    assert User.objects.get(email="ivy@example.test").check_password(PASSWORD)
    visitor.click("button", name="Sign out")
    visitor.goto(path)
    assert page.get_by_role("heading", name="This invitation link has expired or been used").is_visible()
    fits_a_phone(visitor)
