from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import feeds
from .models import CalendarFeed, Release


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Read-only: a published release is never changed; a correction is a later release."""

    list_display = ("release_id", "initiative", "tag", "date")
    list_filter = ("date",)
    search_fields = ("ocid", "release_id", "initiative__title")
    date_hierarchy = "date"
    list_select_related = ("initiative",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Who has a calendar address, and revoking one that leaked. The token itself is not shown."""

    list_display = ("user", "created_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username",)
    list_select_related = ("user",)
    fields = ("user", "created_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoked, never deleted: the audit log refers to them

    def has_revoke_permission(self, request) -> bool:
        return request.user.has_perm("opendata.change_calendarfeed")

    @admin.action(description=_("Revoke the selected calendar addresses"), permissions=["revoke"])
    def revoke(self, request, queryset) -> None:
        count = 0
        for feed in queryset.filter(revoked_at__isnull=True).select_related("user"):
            count += feeds.feed_revoke(actor=request.user, user=feed.user)
        self.message_user(request, ngettext("%(count)s calendar address revoked.", "%(count)s calendar addresses revoked.",
                                            count) % {"count": count}, messages.SUCCESS)
