def test_sign_in_page(visitor_without_js, visitor):
    visitor.goto("/sign-in/")
    assert visitor.page.title().startswith("Sign in")
    visitor_without_js.goto("/sign-in/")
