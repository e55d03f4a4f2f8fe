from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from audits.models import AuditRound, Case, Need


@admin.register(AuditRound)
class AuditRoundAdmin(SimpleHistoryAdmin):
    """Read-only here: rounds change through the service's pages, which check the rules."""

    list_display = ["title", "area", "period_label", "status", "launch_date"]
    list_filter = ["area", "status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "round", "age_band", "plan_type"]
    list_filter = ["round__area", "plan_type"]
    exclude = []

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
