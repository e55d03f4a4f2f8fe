"""The service's URLs and one page that asks nothing of the database itself: what it costs is
what every signed-in page costs before its view (tests/agencies/accounts/test_request_overhead.py)."""

from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as service_urls


def empty_page(request):
    return render(request, "base.html", {})


urlpatterns = [path("overhead/", empty_page, name="overhead"), *service_urls]
