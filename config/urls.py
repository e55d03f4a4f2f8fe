from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import include, path

from audits.home import views as home
from config import views as config_views

# The administration site signs people in through the service's own sign-in page (with lockout).
admin.site.login = login_not_required(lambda request, extra_context=None: redirect_to_sign_in(request))
admin.site.site_header = "Multi-agency case audit administration"
# Django's admin is for superusers (the technical administrators) only: the partnership's
# administrators use the service's own pages (agencies/administration).
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser


def redirect_to_sign_in(request):
    from django.contrib.auth.views import redirect_to_login

    if request.user.is_authenticated:
        return redirect("home")
    return redirect_to_login(request.GET.get("next", "/admin/"))


urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", config_views.healthz, name="healthz"),
    path("", include("agencies.accounts.urls")),
    path("", include("agencies.access_log.urls")),
    path("", include("agencies.administration.urls")),
    path("", include("audits.urls")),
    path("briefings/", include("briefings.urls")),
    path("exports/", include("exports.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
