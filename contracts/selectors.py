"""Reads of the contracts (no state changes): the consumption of a framework agreement, who sees what.

The consumption table comes from the counters the call-off services keep under the agreement's lock
(``ContractLine.ordered`` / ``delivered``, ``Beneficiary.consumed``, ``Contract.consumed``) plus one aggregate
of the call-off lines for the value per item; ``check_counters`` recomputes the counters from the call-offs.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from contracts import rules
from procurement import permissions

from .models import ZERO, Beneficiary, CallOff, CallOffLine, Contract, ContractLine


@dataclass
class ItemRow:
    item_id: int
    item: str
    unit: str
    unit_price: Decimal
    maximum: Decimal
    ordered: Decimal
    delivered: Decimal
    maximum_value: Decimal
    ordered_value: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.maximum - self.ordered

    @property
    def remaining_value(self) -> Decimal:
        return self.maximum_value - self.ordered_value

    @property
    def percentage(self) -> Decimal:
        return ZERO if not self.maximum else (self.ordered * 100 / self.maximum).quantize(Decimal("0.1"))


@dataclass
class BeneficiaryRow:
    organisation_id: int
    organisation: str
    maximum: Decimal
    consumed: Decimal
    items: list[ItemRow] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return self.maximum - self.consumed

    @property
    def percentage(self) -> Decimal:
        return ZERO if not self.maximum else (self.consumed * 100 / self.maximum).quantize(Decimal("0.1"))


@dataclass
class Consumption:
    contract: Contract
    complete: bool  # every beneficiary shown (the lead), or only the user's own
    beneficiaries: list[BeneficiaryRow]

    @property
    def ceiling(self) -> Decimal:
        return self.contract.ceiling or ZERO

    @property
    def consumed(self) -> Decimal:
        return self.contract.consumed

    @property
    def remaining(self) -> Decimal:
        return self.ceiling - self.consumed

    @property
    def percentage(self) -> Decimal:
        return ZERO if not self.ceiling else (self.consumed * 100 / self.ceiling).quantize(Decimal("0.1"))


def sees_all_call_offs(user, contract: Contract) -> bool:
    """The lead's procurement officers (and superusers) see every beneficiary's consumption and call-offs."""
    return bool(user.is_superuser) or rules.may_manage_contract(user, contract)


def consumption(contract: Contract, user) -> Consumption:
    """Per beneficiary and item: the maximum, ordered, delivered and remaining (quantities and values).
    The lead's procurement officers see every beneficiary; a beneficiary sees its own rows (and the
    overall totals)."""
    complete = sees_all_call_offs(user, contract)
    beneficiaries = Beneficiary.objects.filter(contract=contract).select_related("organisation").order_by(
        "organisation__name", "organisation_id")
    if not complete:
        beneficiaries = beneficiaries.filter(organisation__in=permissions.organisation_ids(user))
    values = {
        (row["call_off__organisation_id"], row["item_id"]): row["value"] or ZERO
        for row in CallOffLine.objects.filter(call_off__contract=contract)
        .values("call_off__organisation_id", "item_id").annotate(value=Sum("consumed")).order_by()
    }
    lines: dict[int, list[ItemRow]] = {}
    for line in ContractLine.objects.filter(contract=contract).select_related("item").order_by(
            "item__position", "item_id"):
        lines.setdefault(line.organisation_id, []).append(ItemRow(
            item_id=line.item_id, item=line.item.name, unit=line.item.get_unit_display(), unit_price=line.unit_price,
            maximum=line.quantity, ordered=line.ordered, delivered=line.delivered, maximum_value=line.amount,
            ordered_value=values.get((line.organisation_id, line.item_id), ZERO),
        ))
    rows = [BeneficiaryRow(organisation_id=b.organisation_id, organisation=b.organisation.name, maximum=b.maximum,
                           consumed=b.consumed, items=lines.get(b.organisation_id, []))
            for b in beneficiaries]
    return Consumption(contract=contract, complete=complete, beneficiaries=rows)


def check_counters(contract: Contract) -> list[str]:
    """Where the counters differ from the sums of the call-offs (empty: they agree). For tests and support."""
    problems = []
    lines = CallOffLine.objects.filter(call_off__contract=contract)
    total = lines.aggregate(s=Sum("consumed"))["s"] or ZERO
    if total != contract.consumed:
        problems.append(f"contract {contract.pk}: consumed {contract.consumed} != call-offs {total}")
    for beneficiary in Beneficiary.objects.filter(contract=contract):
        own = lines.filter(call_off__organisation_id=beneficiary.organisation_id).aggregate(s=Sum("consumed"))["s"]
        if (own or ZERO) != beneficiary.consumed:
            problems.append(f"beneficiary {beneficiary.organisation_id}: consumed {beneficiary.consumed} != {own}")
    for line in ContractLine.objects.filter(contract=contract):
        own = lines.filter(call_off__organisation_id=line.organisation_id, item_id=line.item_id)
        ordered = ZERO
        delivered = ZERO
        for row in own.select_related("call_off"):
            delivered += row.delivered
            if row.call_off.state in ("ordered", "delivered"):
                ordered += row.quantity
            elif row.call_off.state == "closed":
                ordered += row.delivered
        if (ordered, delivered) != (line.ordered, line.delivered):
            problems.append(f"line {line.organisation_id}/{line.item_id}: ordered/delivered "
                            f"{line.ordered}/{line.delivered} != {ordered}/{delivered}")
    return problems


def visible_call_offs(user, contract: Contract | None = None):
    call_offs = CallOff.objects.visible_to(user).select_related("organisation", "contract", "contract__lot")
    if contract is not None:
        call_offs = call_offs.filter(contract=contract)
    return call_offs.order_by("contract_id", "number")
