from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence, a functional administrator may search it but never edit it."""

    list_display = ("created_at", "action", "object_repr", "from_state", "to_state", "actor", "organisation")
    list_filter = ("action", "content_type", "organisation")
    search_fields = ("action", "object_repr", "actor__username", "organisation__name")
    date_hierarchy = "created_at"
    list_select_related = ("actor", "organisation", "content_type")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
