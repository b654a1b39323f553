"""Strict numbers from text: ASCII digits only, with the separators people type on the pages (issue 16).

Python's ``Decimal`` and ``int`` read far more than a person means: "1_000", Arabic-Indic "٥", full-width
"１２" and "1e3" all become numbers. Every number that comes in as text — the API's decimal strings, the
pages' fields, the demand service — goes through ``parse_decimal`` (and ids through ``parse_int``), so that the
same text means the same number everywhere, or is refused with the same message.

Two styles:

- ``belgian=True`` (the pages): "," is the decimal comma; "." and spaces group thousands, in threes
  ("1.000", "1 000", "1.880,00"); without a comma a single "." followed by other than three digits is a
  decimal point ("2.5"), as people paste it.
- ``belgian=False`` (the API, plain): "." is the decimal point and "," is accepted for it ("2,5"); no grouping.

Both take an optional leading "-" or "+", and leading and trailing spaces.
"""

import re
from decimal import Decimal

from django.utils.translation import gettext as _

_SPACES = " \u00a0\u202f"  # space, no-break space, narrow no-break space (what Excel and browsers paste)
_NON_FINITE = {"nan", "snan", "inf", "infinity"}
_PLAIN = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)", re.ASCII)
_BELGIAN = re.compile(
    r"[+-]?(?:"
    r"\d{1,3}(?:\.\d{3})+(?:,\d*)?"  # 1.880,00 · 1.000
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d*)?"  # 1 880,00 · 1 000
    r"|\d+(?:[.,]\d*)?|[.,]\d+"  # 1000,5 · 2.5 · ,5
    r")",
    re.ASCII,
)


class NumberError(ValueError):
    """Not a number in the accepted form; ``message`` says what to type."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


def example(belgian: bool) -> str:
    return _("Enter a number, like 12 or 2,5.") if belgian else _("Enter a number, like 12 or 2.5.")


def parse_decimal(value: object, *, belgian: bool = False) -> Decimal:
    """The number in ``value`` (text, int, float or Decimal), or NumberError. Infinite and NaN values are
    refused here (``code="not_finite"``); bounds and decimals are for the caller."""
    if isinstance(value, bool):
        raise NumberError(_("Enter a number."))
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip(_SPACES + "\t")
        if text.lstrip("+-").lower() in _NON_FINITE:
            raise NumberError(_("Enter a finite number."), code="not_finite")
        pattern = _BELGIAN if belgian else _PLAIN
        if not pattern.fullmatch(text):
            raise NumberError(example(belgian))
        if belgian and ("," in text or re.fullmatch(r"[+-]?\d{1,3}(?:\.\d{3})+", text)):
            text = text.replace(".", "").replace(",", ".")
        for space in _SPACES:
            text = text.replace(space, "")
        number = Decimal(text.replace(",", "."))
    else:
        raise NumberError(_("Enter a number."))
    if not number.is_finite():
        raise NumberError(_("Enter a finite number."), code="not_finite")
    return number


def parse_int(value: object) -> int | None:
    """An id or count: an int, or text of ASCII digits only ("12", " 12 "); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip(_SPACES)
        if text.isascii() and text.isdigit():
            return int(text)
    return None

