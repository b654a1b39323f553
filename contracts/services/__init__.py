"""Every state change of the contracts (DESIGN.md §4). Import from here."""

from .agreements import contract_expire, contract_renew, contract_terminate, expire_due_contracts
from .calloffs import (
    call_off_cancel,
    call_off_close,
    call_off_create,
    call_off_deliver,
    call_off_order,
    framework_prices,
    lock_call_off,
)
from .conclusion import add_months, contracts_for_tender
from .sharing import allocation_key_add, cost_model_update, eligible_organisations, hire_set_up

__all__ = [
    "add_months",
    "allocation_key_add",
    "call_off_cancel",
    "call_off_close",
    "call_off_create",
    "call_off_deliver",
    "call_off_order",
    "contract_expire",
    "contract_renew",
    "contract_terminate",
    "contracts_for_tender",
    "cost_model_update",
    "eligible_organisations",
    "expire_due_contracts",
    "framework_prices",
    "hire_set_up",
    "lock_call_off",
]
