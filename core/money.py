"""Money arithmetic that every app must do the same way: round to the cent once, split without losing a cent."""

from collections.abc import Hashable, Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """Round a money amount to the cent, half up (the way invoices and budgets round)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def line_amount(unit_price: Decimal, quantity: Decimal) -> Decimal:
    """A priced line: unit price × quantity, rounded to the cent (half up)."""
    return cents(Decimal(unit_price) * Decimal(quantity))


def allocate(total: Decimal, shares: Sequence[tuple[Hashable, Decimal]]) -> dict[Hashable, Decimal]:
    """Split ``total`` (whole cents) over ``shares`` (key, exact amount ≥ 0) in whole cents that add up to
    it exactly: the largest-remainder method. ``total`` must be the rounded sum of the shares.

    A lot's awarded total is the sum of its items' amounts, each rounded to the cent. A participant's exact
    share of an item (unit price × its quantity) has up to four decimals; rounding each share on its own can
    miss the item's amount (three participants at 0.5 × 333.33 = 166.665 each round to 166.67, together
    500.01 instead of the item's 500.00). So every share is cut down to the cent, and the cents still missing
    go, one each, to the shares that lost the most by the cut; equal losses go to the share that comes first
    in the caller's order (the callers sort by organisation name, then id: deterministic)."""
    total = Decimal(total)
    if total != total.quantize(CENT):
        raise ValueError(f"The total {total} is not a whole number of cents.")
    floors = [Decimal(amount).quantize(CENT, rounding=ROUND_FLOOR) for _key, amount in shares]
    if any(amount < 0 for _key, amount in shares):
        raise ValueError("Shares cannot be negative.")
    left = int((total - sum(floors, Decimal("0"))) / CENT)
    if not 0 <= left <= len(shares):
        raise ValueError(f"The shares do not add up to {total} (cents left over: {left}).")
    remainders = [Decimal(amount) - floor for (_key, amount), floor in zip(shares, floors, strict=True)]
    # Largest remainder first; on a tie, the earlier share in the caller's order.
    order = sorted(range(len(shares)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        floors[i] += CENT
    return {key: floors[i] for i, (key, _amount) in enumerate(shares)}
