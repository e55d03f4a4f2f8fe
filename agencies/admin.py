from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.access_log.services import Kind, client_ip, record
from agencies.accounts import two_factor
from agencies.administration.services import access_of, account_deleted, privileges_changed
from agencies.models import Agency, Area, Membership, User


class MembershipInline(admin.StackedInline):
    model = Membership
    extra = 0
    max_num = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "is_active", "is_staff", "has_two_factor"]
    list_filter = ["is_active", "is_staff", "groups", "agency_membership__agency"]
    search_fields = ["full_name", "email"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title"]}),
        ("Partnership role", {"fields": ["groups", "is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]
    filter_horizontal = ["groups"]
    actions = ["reset_two_factor"]

    def get_queryset(self, request):
        confirmed_apps = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_two_factor=Exists(confirmed_apps))

    @admin.display(boolean=True, description="Two-factor set up", ordering="has_two_factor")
    def has_two_factor(self, obj):
        return getattr(obj, "has_two_factor", None)

    @admin.action(description="Reset two-factor sign-in", permissions=["change"])
    def reset_two_factor(self, request, queryset):
        """Remove the chosen people's authenticator apps and recovery codes (a lost phone): they
        set two-factor sign-in up again when they next sign in. Never one's own."""
        done = 0
        for user in queryset:
            if user.pk == request.user.pk:
                self.message_user(
                    request,
                    "You cannot reset your own two-factor sign-in: ask another administrator",
                    messages.ERROR,
                )
                continue
            try:
                two_factor.two_factor_reset(actor=request.user, user=user, request=request)
            except PermissionError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                continue
            done += 1
        if done:
            self.message_user(
                request,
                f"Two-factor sign-in reset for {done} {'person' if done == 1 else 'people'}. "
                "They will set it up again when they next sign in.",
                messages.SUCCESS,
            )

    @staticmethod
    def _out_of_reach(request, obj) -> bool:
        """Only a superuser changes a superuser: otherwise an administrator could set their
        password (or e-mail address) and reset their two-factor sign-in, and become them."""
        return obj is not None and obj.is_superuser and not request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return not self._out_of_reach(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._out_of_reach(request, obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # What the account could do before, read before anything is saved, for save_related.
        request._access_before = access_of(obj) if change and obj.pk else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """After the roles and the agency are saved: every change to what the person may do is
        recorded and e-mailed, as when it is made on the service's own pages."""
        super().save_related(request, form, formsets, change)
        privileges_changed(
            actor=request.user,
            user=form.instance,
            before=getattr(request, "_access_before", None),
            origin=client_ip(request),
        )

    def delete_model(self, request, obj):
        account_deleted(actor=request.user, user=obj, origin=client_ip(request))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            account_deleted(actor=request.user, user=obj, origin=client_ip(request))
        super().delete_queryset(request, queryset)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            record(Kind.PASSWORD_CHANGED, request=request, what=f"Password set by an administrator for user #{id}")
        return response

    def get_readonly_fields(self, request, obj=None):
        """Administrators manage accounts and roles, but cannot raise themselves: only a superuser
        grants superuser status, and nobody changes their own roles or switches."""
        readonly = ["last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly.append("is_superuser")
        if obj is not None and obj.pk == request.user.pk:
            readonly += ["groups", "is_staff", "is_active", "is_superuser"]
        return sorted(set(readonly))


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "sector", "is_active"]
    list_filter = ["sector", "is_active"]
    search_fields = ["name", "short_name"]


# django-otp registers its devices in the admin site, where their secret keys and recovery codes
# can be read and changed without a trace. The logged "Reset two-factor sign-in" action on the user
# list is the only way an administrator touches someone's two-factor sign-in.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
