"""The check-your-answers step before a call-off is ordered: what is ordered, at what price, and what remains of
the ordering organisation's maximum per item and in value, before and after, with the lines that do not fit.
It only reads; the order service decides under the agreement's lock (the figures may have moved by then)."""

from dataclasses import dataclass
from decimal import Decimal

from ..models import Beneficiary, CallOff, ContractLine


@dataclass
class CheckLine:
    item: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    remaining: Decimal  # of the organisation's maximum for the item, before this call-off

    @property
    def fits(self) -> bool:
        return self.quantity <= self.remaining


@dataclass
class OrderCheck:
    lines: list[CheckLine]
    total: Decimal
    remaining_before: Decimal  # of the organisation's maximum in value
    overall_remaining: Decimal | None  # of the agreement's overall maximum

    @property
    def remaining_after(self) -> Decimal:
        return self.remaining_before - self.total

    @property
    def fits(self) -> bool:
        return all(line.fits for line in self.lines) and self.remaining_after >= 0 and (
            self.overall_remaining is None or self.total <= self.overall_remaining)


def order_check(call_off: CallOff) -> OrderCheck:
    contract = call_off.contract
    maxima = {line.item_id: line.quantity - line.ordered
              for line in ContractLine.objects.filter(contract=contract, organisation=call_off.organisation_id)}
    lines = [CheckLine(item=line.item.name, unit=line.item.get_unit_display(), quantity=line.quantity,
                       unit_price=line.unit_price, amount=line.amount, remaining=maxima.get(line.item_id, Decimal(0)))
             for line in call_off.lines.select_related("item").order_by("item__position", "item_id")]
    beneficiary = Beneficiary.objects.filter(contract=contract, organisation=call_off.organisation_id).first()
    return OrderCheck(lines=lines, total=sum((line.amount for line in lines), Decimal(0)),
                      remaining_before=beneficiary.remaining if beneficiary else Decimal(0),
                      overall_remaining=contract.remaining)
