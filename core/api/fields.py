"""Fields that keep the API's conventions (API.md "Conventions"): money and quantities as decimal strings."""

from decimal import Decimal

from rest_framework import serializers


class MoneyField(serializers.DecimalField):
    """Euro excl. VAT as a string with two decimals (``"1234.50"``), never a float."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs["coerce_to_string"] = True
        super().__init__(**kwargs)


class QuantityField(serializers.DecimalField):
    """A quantity as a decimal string (``"12.00"``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        kwargs["coerce_to_string"] = True
        super().__init__(**kwargs)


def money(value: Decimal | None) -> str | None:
    """The API form of an amount that a selector computed (already rounded to the cent)."""
    return None if value is None else MoneyField().to_representation(value)
