"""How dates, amounts, quantities and percentages read: the Belgian way, in Brussels time.

One formatter per kind, used by messages, pages (template filters), sheets and documents alike, whatever
the page's language: the people who read them are Flemish civil servants, also on the English pages.
``1.234,56 €``, ``1.250`` / ``2,5``, ``57,8 %``, ``21-11-2026`` and ``21-11-2026 17:00``.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from core.money import cents


def _grouped(whole: str) -> str:
    """``1234567`` → ``1.234.567``: thousands with a dot."""
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return ".".join(groups or ["0"])


def deadline(value: datetime) -> str:
    """``21-11-2026 17:00`` in Europe/Brussels, whatever the server's zone."""
    return timezone.localtime(value, ZoneInfo(settings.TIME_ZONE)).strftime("%d-%m-%Y %H:%M")


def day(value: date | datetime | None) -> str:
    """``31-12-2027``; a moment is read in Brussels time first."""
    if isinstance(value, datetime):
        value = timezone.localtime(value, ZoneInfo(settings.TIME_ZONE)).date()
    return "" if value is None else value.strftime("%d-%m-%Y")


def money(value: Decimal) -> str:
    """``1.234,56 €``: thousands with a dot, decimals with a comma."""
    quantised = cents(value)
    sign = "-" if quantised < 0 else ""
    whole, cents_ = f"{abs(quantised):.2f}".split(".")
    return f"{sign}{_grouped(whole)},{cents_} €"


def quantity(value: Decimal | int | None) -> str:
    """``10``, ``2,5``, ``1.250``: without needless decimals, a comma for decimals, dots for thousands."""
    if value is None:
        return ""
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    whole, _sep, decimals = f"{abs(amount):.2f}".rstrip("0").rstrip(".").partition(".")
    return sign + _grouped(whole) + ("," + decimals if decimals else "")


def input_quantity(value: Decimal | int | None) -> str:
    """A quantity for an input field: ``40.00`` → ``40``, ``2.50`` → ``2,5`` (no thousands separator)."""
    if value is None:
        return ""
    return f"{Decimal(value):.2f}".rstrip("0").rstrip(".").replace(".", ",")


def fraction(value: Decimal | None) -> str:
    """An FTE or a share with up to four decimals: ``0,3333``, ``1``, ``33,5``."""
    if value is None:
        return ""
    return f"{Decimal(value):.4f}".rstrip("0").rstrip(".").replace(".", ",")


def percent(value: Decimal | float | None, places: int = 1) -> str:
    """``57,8 %`` (a percentage, not a fraction: 57.79 → ``57,8 %``)."""
    if value is None:
        return ""
    return f"{Decimal(str(value)):.{places}f}".replace(".", ",") + " %"
