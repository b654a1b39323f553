from django.contrib import admin

from .models import Document, DocumentBatch


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "object_id", "language", "status", "page_count", "size", "created_at", "rendered_at")
    list_filter = ("kind", "status", "language")
    search_fields = ("sha256", "content_version", "task_id")
    # Documents change only through documents/services.py: the admin shows them.
    readonly_fields = [f.name for f in Document._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DocumentBatch)
class DocumentBatchAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "object_id", "language", "created_at")
    list_filter = ("kind",)
    readonly_fields = ("kind", "content_type", "object_id", "language", "requested_by", "created_at")

    def has_add_permission(self, request):
        return False
