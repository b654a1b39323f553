"""Fields that keep the API's conventions (API.md "Conventions"): money and quantities as decimal strings."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.parsing import NumberError, parse_decimal, parse_int
from core.text import validate_multi_line, validate_single_line


class StrictDecimalField(serializers.DecimalField):
    """DRF's DecimalField, reading text through ``core.parsing.parse_decimal``: ASCII digits with a
    decimal point (or comma) only, so "1_000", "٥", "１２" and "1e3" are refused as they are everywhere else."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = parse_decimal(data)
            except NumberError:
                self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """DRF's IntegerField, refusing text that is not ASCII digits ("٥", "1_000", "１２"; DRF reads them)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and parse_int(data.removeprefix("-")) is None:
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id of ASCII digits only: the database lookup would read "٥" as 5."""

    def to_internal_value(self, data):
        if isinstance(data, str) and parse_int(data) is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


MAX_LINE = 200  # a title or a name
MAX_TEXT = 10_000  # a description, a note, a reason: about three pages


class LineField(serializers.CharField):
    """Single-line text: no control characters, at most ``MAX_LINE`` characters unless a field says less."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_LINE)
        kwargs["validators"] = [*kwargs.get("validators", []), validate_single_line]
        super().__init__(**kwargs)


class TextField(serializers.CharField):
    """Multi-line text: line breaks and tabs, no other control characters, at most ``MAX_TEXT`` characters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_TEXT)
        kwargs["validators"] = [*kwargs.get("validators", []), validate_multi_line]
        super().__init__(**kwargs)


class MoneyField(StrictDecimalField):
    """Euro excl. VAT as a string with two decimals (``"1234.50"``), never a float."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs["coerce_to_string"] = True
        super().__init__(**kwargs)


class QuantityField(StrictDecimalField):
    """A quantity as a decimal string (``"12.00"``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        kwargs["coerce_to_string"] = True
        super().__init__(**kwargs)


def money(value: Decimal | None) -> str | None:
    """The API form of an amount that a selector computed (already rounded to the cent)."""
    return None if value is None else MoneyField().to_representation(value)


@extend_schema_field({"oneOf": [{"type": "string", "format": "email"}, {"type": "string", "enum": [""]}]})
class OptionalEmailField(serializers.EmailField):
    """An e-mail address or ``""`` (none given): the schema says both, so that ``""`` is not outside
    ``format: email``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)
