"""How dates and amounts read in messages: the Belgian way, in Brussels time."""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

CENT = Decimal("0.01")


def deadline(value: datetime) -> str:
    """``21-11-2026 17:00`` in Europe/Brussels, whatever the server's zone."""
    return timezone.localtime(value, ZoneInfo(settings.TIME_ZONE)).strftime("%d-%m-%Y %H:%M")


def money(value: Decimal) -> str:
    """``1.234,56 €``: thousands with a dot, decimals with a comma."""
    quantised = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if quantised < 0 else ""
    whole, cents = f"{abs(quantised):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{'.'.join(groups)},{cents} €"


def cents(value: Decimal) -> Decimal:
    """Round a money amount to the cent, half up (the way invoices and budgets round)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
