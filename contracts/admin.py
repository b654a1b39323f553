"""Read-only admin: contracts come from the conclusion of a tender, call-offs and the cost sharing from their
services (lock, guard, audit); nothing here changes them."""

from django.contrib import admin

from .models import (
    AllocationKey,
    Beneficiary,
    CallOff,
    CallOffLine,
    Contract,
    ContractLine,
    CostShare,
    Delivery,
    SharedHire,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ContractLineInline(ReadOnlyInline):
    model = ContractLine
    readonly_fields = fields = ["organisation", "item", "quantity", "unit_price", "amount", "ordered", "delivered"]


class BeneficiaryInline(ReadOnlyInline):
    model = Beneficiary
    readonly_fields = fields = ["organisation", "maximum", "consumed", "warned_at"]


class AllocationKeyInline(ReadOnlyInline):
    model = AllocationKey
    readonly_fields = fields = ["version", "valid_from", "basis", "reason", "created_by", "created_at"]
    show_change_link = True


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "initiative", "lot", "organisation", "supplier", "candidate", "state", "value",
                    "ceiling", "consumed", "starts_on", "ends_on"]
    list_filter = ["kind", "state"]
    search_fields = ["initiative__title", "organisation__name", "supplier__name", "candidate"]
    inlines = [BeneficiaryInline, ContractLineInline, AllocationKeyInline]


class CallOffLineInline(ReadOnlyInline):
    model = CallOffLine
    readonly_fields = fields = ["item", "quantity", "unit_price", "amount", "delivered", "consumed", "remaining_before"]


class DeliveryInline(ReadOnlyInline):
    model = Delivery
    readonly_fields = fields = ["delivered_on", "note", "recorded_by", "recorded_at"]


@admin.register(CallOff)
class CallOffAdmin(ReadOnlyAdmin):
    list_display = ["id", "contract", "number", "organisation", "state", "total", "ordered_on"]
    list_filter = ["state"]
    search_fields = ["organisation__name", "contract__initiative__title"]
    inlines = [CallOffLineInline, DeliveryInline]


@admin.register(SharedHire)
class SharedHireAdmin(ReadOnlyAdmin):
    list_display = ["contract", "title", "fte", "employer", "annual_salary_cost", "indexation_percentage", "base_year"]


class CostShareInline(ReadOnlyInline):
    model = CostShare
    readonly_fields = fields = ["organisation", "value"]


@admin.register(AllocationKey)
class AllocationKeyAdmin(ReadOnlyAdmin):
    list_display = ["contract", "version", "valid_from", "basis", "reason"]
    inlines = [CostShareInline]
