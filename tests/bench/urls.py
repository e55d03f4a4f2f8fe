"""The service's URLs and the bare page: 50 rows from one query, rendered by a small template,
through the same middleware and server settings as every page (not signed in)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from agencies.models import AccessEvent
from config.urls import urlpatterns as service_urls

BARE = engines["django"].from_string(
    "<!DOCTYPE html><html lang='en'><head><title>Bare</title></head><body><table>"
    "{% for row in rows %}<tr><td>{{ row.pk }}</td><td>{{ row.occurred_at }}</td><td>{{ row.user_email }}</td>"
    "<td>{{ row.what }}</td></tr>{% endfor %}</table></body></html>"
)


@login_not_required
def bare(request):
    rows = list(AccessEvent.objects.order_by("-pk")[:50])
    return HttpResponse(BARE.render({"rows": rows}, request))


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *service_urls]
