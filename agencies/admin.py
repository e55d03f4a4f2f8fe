from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from agencies.models import Agency, Area, Membership, User


class MembershipInline(admin.StackedInline):
    model = Membership
    extra = 0
    max_num = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "is_active", "is_staff"]
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
