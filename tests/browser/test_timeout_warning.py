from tests import factories


def test_timeout_warning_appears_and_stay_signed_in_keeps_the_session(visitor, settings):
    settings.SESSION_COOKIE_AGE = 123  # the warning shows 120 seconds before expiry: after 3 seconds
    settings.SESSION_TOUCH_SECONDS = 0  # saved on every request, so pages count down from all 123
    factories.UserFactory(email="coordinator@example.test", role="Coordinator")
    visitor.sign_in("coordinator@example.test")
    dialog = visitor.page.locator("dialog.app-timeout-dialog")
    dialog.wait_for(state="visible", timeout=15_000)
    assert "You will be signed out soon" in dialog.inner_text()
    visitor.check()
    visitor.page.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden", timeout=5_000)
    visitor.goto("/")
    assert "Your tasks" in visitor.page.content()
