"""Notices are read-only in the admin: they are made and validated by the services (an edit here would show a
notice as valid that was never checked)."""

from django.contrib import admin

from .models import Notice, SupplierProfile


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("id", "tender", "kind", "subtype", "status", "sdk_version", "publication_reference", "created_at")
    list_filter = ("kind", "subtype", "status", "sdk_version")
    search_fields = ("notice_id", "publication_reference", "tender__initiative__title")
    readonly_fields = [f.name for f in Notice._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SupplierProfile)
class SupplierProfileAdmin(admin.ModelAdmin):
    list_display = ("supplier", "size", "recorded_by", "recorded_at")
    autocomplete_fields = ()
    readonly_fields = ("recorded_by", "recorded_at")
