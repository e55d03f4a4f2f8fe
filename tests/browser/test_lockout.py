"""Lockout through the real sign-in page in Chromium: five wrong passwords typed in mixed letter
case lock the account, and the right password in any case is then refused (the locked page passes
axe like every other)."""

from tests import factories
from tests.factories import PASSWORD

SPELLINGS = ["someone@example.org", "SOMEONE@EXAMPLE.ORG", "Someone@Example.Org", "someone@EXAMPLE.org"]


def test_case_variants_of_one_address_lock_it_and_the_right_password_is_refused(visitor):
    factories.UserFactory(email="someone@example.org", role="Coordinator")
    for attempt in range(4):
        visitor.sign_in_with(SPELLINGS[attempt], f"wrong-guess-{attempt}")
        assert "Enter a correct e-mail address and password" in visitor.page.content()
    visitor.sign_in_with("SomeOne@example.org", "wrong-guess-5")
    assert visitor.page.get_by_role("heading", level=1).inner_text() == "Your account is locked for now"
    for typed in SPELLINGS:
        visitor.sign_in_with(typed, PASSWORD)
        assert visitor.page.get_by_role("heading", level=1).inner_text() == "Your account is locked for now"
    visitor.goto("/")
    assert "/sign-in/" in visitor.page.url
