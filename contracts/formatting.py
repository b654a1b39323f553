"""How the contracts' messages write dates, quantities and money: the Belgian way, like ``procurement``."""

from datetime import date
from decimal import Decimal

from procurement.formatting import money

__all__ = ["day", "fraction", "money", "quantity"]


def day(value: date | None) -> str:
    """``31-12-2027``."""
    return "" if value is None else value.strftime("%d-%m-%Y")


def quantity(value: Decimal | int | None) -> str:
    """``10``, ``2,5``, ``1.250``: without needless decimals, a comma for decimals, dots for thousands."""
    if value is None:
        return ""
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):.2f}".rstrip("0").rstrip(".")
    whole, _sep, decimals = text.partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + ".".join(groups or ["0"]) + ("," + decimals if decimals else "")


def fraction(value: Decimal | None) -> str:
    """An FTE or a share with up to four decimals: ``0,3333``, ``1``, ``33,5``."""
    if value is None:
        return ""
    text = f"{Decimal(value):.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")
