"""Where a learning form returns to: the page the author came from, at the point they were on,
so that a long record page does not jump to the top. (A view helper; it belongs in
``lib/views.py`` once other features want it.)"""

from django.utils.http import url_has_allowed_host_and_scheme


def return_url(request, default: str, anchor: str) -> str:
    """The ``next`` page of the query string when it is this site's, else ``default``, at
    ``#anchor`` (any anchor ``next`` had is replaced)."""
    wanted = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        wanted = default
    return f"{wanted.partition('#')[0]}#{anchor}"
