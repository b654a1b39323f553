"""The admin site for the functional administrator.

What the administrator does here: keep organisations, knowledge circles, people's roles (memberships)
and the threshold table up to date, look anything up, and correct a typo. What never happens here: a
state change. FSM state fields are read-only, and so is everything the services guard: an initiative's
details are editable only as far as the current state allows (the services' ``EDITABLE_IN``), lots and
items only while the services would allow it, demand lines only while the participation is a draft of
an initiative that pools demand. Initiatives, participations and interests are not added here: they
start life through the services, which check the permission and write the first audit entry. Every
change made here is in Django's own admin history; every state change is in the audit log, shown on
the object's page.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit import log as audit
from core import formatting
from core.validation import deadlines
from procurement import selectors
from procurement.models import (
    BidTimeLimit,
    Circle,
    DemandLine,
    Initiative,
    InitiativeState,
    Interest,
    Item,
    Lot,
    Membership,
    Organisation,
    Participation,
    Threshold,
)
from procurement.services.initiatives import EDITABLE_IN

TRAIL_LENGTH = 10
# The states in which the services let lots and items be added, and changed or removed.
LOT_ADD_STATES = {InitiativeState.DRAFT, InitiativeState.POOLING}
LOT_CHANGE_STATES = {InitiativeState.DRAFT}
# Nothing legally relevant has happened yet: no demand, no decision. Later an initiative is cancelled.
INITIATIVE_DELETABLE_STATES = {InitiativeState.IDEA, InitiativeState.SHELVED, InitiativeState.DRAFT}


# --- the audit trail on an object's page ---

def audit_trail(obj) -> str:
    """The last audit entries about ``obj`` as a small table, with a link to all of them."""
    if obj is None or obj.pk is None:
        return "—"
    entries = audit.trail(obj)
    total = entries.count()
    if not total:
        return gettext("No audit entries yet.")
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    url = reverse("admin:audit_auditentry_changelist") + "?" + urlencode(
        {"content_type__id__exact": content_type.pk, "object_id__exact": obj.pk}
    )
    rows = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", (
        (
            formatting.deadline(entry.created_at),
            entry.action,
            f"{entry.from_state or '·'} → {entry.to_state}" if entry.to_state else "",
            entry.actor or gettext("system"),
            entry.organisation or "",
        )
        for entry in entries[:TRAIL_LENGTH]
    ))
    return format_html(
        '<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>'
        '<tbody>{}</tbody></table><p><a href="{}">{}</a></p>',
        gettext("when"), gettext("action"), gettext("state"), gettext("who"), gettext("organisation"),
        rows, url, gettext("All %(count)s entries in the audit log") % {"count": total},
    )


class AuditTrailMixin:
    @admin.display(description=_("audit trail (newest first)"))
    def audit_trail(self, obj) -> str:
        return audit_trail(obj)


def _no_bulk_delete(actions: dict) -> dict:
    actions.pop("delete_selected", None)
    return actions


# --- people and organisations: the administrator's daily work, fully editable ---

class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user", "organisation")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "nis_code", "enterprise_number", "postal_code", "circle_names")
    list_filter = ("kind", "circles")
    search_fields = ("name", "nis_code", "enterprise_number", "postal_code", "address")
    inlines = (MembershipInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("circles")

    @admin.display(description=_("knowledge circles"))
    def circle_names(self, obj: Organisation) -> str:
        return ", ".join(circle.name for circle in obj.circles.all())


@admin.register(Circle)
class CircleAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation_count")
    search_fields = ("name", "description")
    autocomplete_fields = ("organisations",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(organisation_count=Count("organisations"))

    @admin.display(description=_("organisations"), ordering="organisation_count")
    def organisation_count(self, obj: Circle) -> int:
        return obj.organisation_count


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "full_name", "organisation", "role")
    list_filter = ("role", "organisation__kind", "organisation__circles")
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    list_select_related = ("user", "organisation")

    @admin.display(description=_("name"), ordering="user__last_name")
    def full_name(self, obj: Membership) -> str:
        return obj.user.get_full_name()


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, with the person's roles in organisations on the same page."""

    inlines = (*DjangoUserAdmin.inlines, MembershipInline)


@admin.register(Threshold)
class ThresholdAdmin(admin.ModelAdmin):
    """The thresholds are data (DESIGN.md §5): a new period is a new row, added here."""

    list_display = ("kind", "amount", "valid_from", "valid_until", "is_confirmed")
    list_filter = ("kind", "is_confirmed")
    search_fields = ("source",)
    ordering = ("kind", "-valid_from")


@admin.register(BidTimeLimit)
class BidTimeLimitAdmin(admin.ModelAdmin):
    """The minimum time limits for bids are data (DESIGN.md §5.1), like the thresholds."""

    list_display = ("procedure", "publication", "reduction", "days", "valid_from", "valid_until", "is_confirmed")
    list_filter = ("procedure", "publication", "reduction", "is_confirmed")
    search_fields = ("source",)


# --- initiatives, lots and items: viewable, editable only as far as the services allow ---

def lots_open(initiative: Initiative | None, *, adding: bool = False) -> bool:
    """Whether the services would let lots and items change now: added while the initiative is a draft
    or pools demand, changed or removed only while it is a draft."""
    return initiative is not None and initiative.state in (LOT_ADD_STATES if adding else LOT_CHANGE_STATES)


class LotsOpenInlineMixin:
    """For an inline of lots (parent: the initiative) or items (parent: the lot)."""

    def _initiative(self, parent) -> Initiative | None:
        return parent

    def has_add_permission(self, request, obj=None) -> bool:
        return lots_open(self._initiative(obj), adding=True) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return lots_open(self._initiative(obj)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return lots_open(self._initiative(obj)) and super().has_delete_permission(request, obj)


class LotsOpenAdminMixin:
    """For the lot and item admins: no adding here (on the parent's page, where the state is known);
    each object may be changed or removed while the services would allow it."""

    def _initiative(self, obj) -> Initiative | None:
        raise NotImplementedError

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return (obj is None or lots_open(self._initiative(obj))) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is not None and lots_open(self._initiative(obj)) and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        return _no_bulk_delete(super().get_actions(request))


class LotInline(LotsOpenInlineMixin, admin.TabularInline):
    model = Lot
    extra = 0
    fields = ("number", "title", "description", "item_count")
    readonly_fields = ("item_count",)
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(description=_("items"))
    def item_count(self, obj: Lot) -> int:
        return getattr(obj, "item_count", 0)


class InitiativeForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if {"demand_deadline", "decision_deadline"} & set(self.changed_data):
            errors: dict[str, list[str]] = {}
            deadlines(errors, cleaned.get("demand_deadline"), cleaned.get("decision_deadline"))
            for field, messages in errors.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return cleaned


@admin.register(Initiative)
class InitiativeAdmin(AuditTrailMixin, admin.ModelAdmin):
    form = InitiativeForm
    list_display = ("title", "kind", "state", "lead_organisation", "demand_deadline", "decision_deadline",
                    "created_at")
    list_filter = ("state", "kind", "legal_basis", "circles", ("lead_organisation", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "description", "lead_organisation__name", "proposing_organisation__name")
    autocomplete_fields = ("circles", "lead_organisation", "proposing_organisation", "created_by")
    list_select_related = ("lead_organisation",)
    date_hierarchy = "created_at"
    inlines = (LotInline,)
    fieldsets = (
        (None, {"fields": ("title", "kind", "state", "description", "circles")}),
        (_("Lead and legal basis"), {"fields": ("proposing_organisation", "lead_organisation", "legal_basis")}),
        (_("Deadlines and term"), {"fields": ("demand_deadline", "decision_deadline", "planned_procedure_start",
                                              "framework_term_months", "renewals")}),
        (_("Pooled value"), {"fields": ("pooled_value", "procedure_advice")}),
        (_("History"), {"fields": ("reason", "created_by", "created_at", "updated_at", "audit_trail")}),
    )

    def has_add_permission(self, request) -> bool:
        return False  # proposed or created through the product (services: permission check, audit entry)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.state not in INITIATIVE_DELETABLE_STATES:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        return _no_bulk_delete(super().get_actions(request))

    def get_readonly_fields(self, request, obj=None):
        editable = set(EDITABLE_IN.get(obj.state, set())) if obj is not None else set()
        if obj is not None and obj.state in (InitiativeState.IDEA, InitiativeState.DRAFT, InitiativeState.POOLING):
            editable.add("circles")  # offering the round to one more circle is an administrator's call
        fields = [f.name for f in Initiative._meta.get_fields() if getattr(f, "editable", False)
                  and not f.auto_created and f.name not in editable and f.name != "state"]
        return (*fields, "state", "created_at", "updated_at", "pooled_value", "procedure_advice", "audit_trail")

    @admin.display(description=_("pooled value excl. VAT"))
    def pooled_value(self, obj: Initiative) -> str:
        return formatting.money(selectors.estimated_value(obj).total) if obj and obj.pk else "—"

    @admin.display(description=_("procedure advice"))
    def procedure_advice(self, obj: Initiative) -> str:
        if not (obj and obj.pk):
            return "—"
        advice = selectors.advice_for(obj).as_dict()
        lines = [*advice.get("reasons", []), *advice.get("warnings", [])]
        return format_html("<strong>{}</strong> · {}: {}<ul>{}</ul>", advice.get("procedure"), gettext("publication"),
                           advice.get("publication"), format_html_join("", "<li>{}</li>", ((line,) for line in lines)))


class ItemInline(LotsOpenInlineMixin, admin.TabularInline):
    model = Item
    extra = 0
    fields = ("position", "name", "unit", "estimated_unit_price", "vat_rate", "cpv_code", "specification")

    def _initiative(self, obj: Lot | None) -> Initiative | None:
        return obj.initiative if obj is not None else None


@admin.register(Lot)
class LotAdmin(LotsOpenAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "initiative", "number", "title")
    list_filter = ("initiative__state", "initiative__kind")
    search_fields = ("title", "description", "initiative__title")
    autocomplete_fields = ("initiative",)
    list_select_related = ("initiative",)
    inlines = (ItemInline,)

    def _initiative(self, obj: Lot) -> Initiative:
        return obj.initiative


@admin.register(Item)
class ItemAdmin(LotsOpenAdminMixin, admin.ModelAdmin):
    list_display = ("name", "lot", "initiative", "unit", "estimated_unit_price", "vat_rate", "cpv_code")
    list_filter = ("unit", "vat_rate", "lot__initiative__state")
    search_fields = ("name", "cpv_code", "specification", "lot__title", "lot__initiative__title")
    autocomplete_fields = ("lot",)
    list_select_related = ("lot", "lot__initiative")
    readonly_fields = ("lot",)

    def _initiative(self, obj: Item) -> Initiative:
        return obj.lot.initiative

    @admin.display(description=_("initiative"), ordering="lot__initiative__title")
    def initiative(self, obj: Item) -> Initiative:
        return obj.lot.initiative


# --- participations, demand and interest ---

class DemandLineInline(admin.TabularInline):
    """The demand, read-only: the organisation's ICT staff enter it on the demand page or through the API
    (``services.demand_set``), which checks the guards, keeps the participation's demand value, records the
    change in the audit log and notices a threshold crossing. An edit here would do none of that."""

    model = DemandLine
    extra = 0
    fields = ("item", "quantity", "max_quantity")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item", "item__lot")


@admin.register(Participation)
class ParticipationAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ("organisation", "initiative", "state", "deciding_body", "decision_date", "decision_reference",
                    "submitted_at")
    list_filter = ("state", "initiative__state", "initiative__kind", "deciding_body",
                   ("initiative", admin.RelatedOnlyFieldListFilter))
    search_fields = ("organisation__name", "initiative__title", "decision_reference", "contact__username")
    autocomplete_fields = ("contact",)
    list_select_related = ("organisation", "initiative")
    date_hierarchy = "created_at"
    inlines = (DemandLineInline,)
    readonly_fields = ("initiative", "organisation", "state", "subtotal", "submitted_at", "decided_at", "decided_by",
                       "created_at", "updated_at", "audit_trail")
    fieldsets = (
        (None, {"fields": ("initiative", "organisation", "state", "contact", "subtotal")}),
        (_("Decision"), {"fields": ("deciding_body", "decision_date", "decision_reference", "decision_reason",
                                    "decided_at", "decided_by")}),
        (_("History"), {"fields": ("withdraw_reason", "submitted_at", "created_at", "updated_at", "audit_trail")}),
    )

    def has_add_permission(self, request) -> bool:
        return False  # an organisation joins through the product (services.participation_join)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a participation ends by withdrawal, decline or lapse, which the audit log records

    @admin.display(description=_("subtotal excl. VAT"))
    def subtotal(self, obj: Participation) -> str:
        return formatting.money(selectors.participation_subtotal(obj)) if obj and obj.pk else "—"


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ("organisation", "initiative", "estimated_quantity", "registered_by", "created_at")
    list_filter = ("initiative__state", ("initiative", admin.RelatedOnlyFieldListFilter))
    search_fields = ("organisation__name", "initiative__title", "note")
    list_select_related = ("organisation", "initiative", "registered_by")
    readonly_fields = ("initiative", "organisation", "registered_by", "created_at", "updated_at")
    fields = ("initiative", "organisation", "estimated_quantity", "note", "registered_by", "created_at",
              "updated_at")

    def has_add_permission(self, request) -> bool:
        return False  # registered through the product (services.interest_register)


admin.site.site_header = _("Samenaankoop administration")
admin.site.site_title = _("Samenaankoop")
