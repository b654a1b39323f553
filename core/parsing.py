"""Numbers from text, one reading for the whole product: ASCII digits only, with the separators people type.

Python's ``Decimal`` and ``int`` read far more than a person means: "1_000", Arabic-Indic "٥", full-width
"１２" and "1e3" all become numbers. Every number that comes in as text — the API's decimal strings, the
pages' fields, the demand template's cells, the services — goes through ``parse_decimal`` (ids through
``parse_int``), so that the same text means the same number everywhere, or is refused with the same message.

Pages (``belgian=True``) read back what they show and what people type from habit or paste:

====================  ===========  ==============================================================
typed                 read as      why
====================  ===========  ==============================================================
``200.000``           200000       dots between groups of three digits: thousands (Belgian)
``1.000`` ``1 000``   1000         thousands with a dot or a (non-breaking) space
``1000,5`` ``2,5``    1000.5 2.5   a comma is the decimal separator
``1.880,00``          1880.00      Belgian thousands and decimals
``1,880.00``          1880.00      when both appear, the last one is the decimal separator
``2.5`` ``0.012``     2.5 0.012    one dot not followed by exactly three digits, or a leading 0: a decimal point
``12 €``              12           the euro sign is ignored
====================  ===========  ==============================================================

The API (``belgian=False``) reads plain decimal strings: "." is the decimal point, "," is accepted for it,
no grouping. Both take a leading "+" or "-" and surrounding spaces; bounds and decimals are the caller's.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

_SPACES = " \u00a0\u202f"  # space, no-break space, narrow no-break space (what Excel and browsers paste)
_NON_FINITE = {"nan", "snan", "inf", "infinity"}
_PLAIN = re.compile(r"(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_DOT_GROUPS = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+")  # 200.000, 1.000.000 (not 0.012)


class NumberError(ValueError):
    """Not a number in an accepted form; ``message`` says what to type."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


def example(belgian: bool) -> str:
    return _("Enter a number, like 12 or 2,5.") if belgian else _("Enter a number, like 12 or 2.5.")


def _ungrouped(whole: str, separator: str) -> str:
    """``whole`` without its thousands separators, which must stand between groups of three digits."""
    if separator not in whole:
        return whole
    if not re.fullmatch(r"[0-9]{1,3}(?:" + re.escape(separator) + r"[0-9]{3})+", whole):
        raise ValueError(whole)
    return whole.replace(separator, "")


def _belgian(text: str) -> str:
    """The plain form ("1880.00") of a number typed the Belgian way (or plainly); ValueError otherwise."""
    if " " in text:  # spaces only between groups of three digits of the whole part
        match = re.search(r"[.,]", text)
        whole, rest = (text[:match.start()], text[match.start():]) if match else (text, "")
        text = _ungrouped(whole, " ") + rest
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        whole, _sep, fraction = text.rpartition(decimal)
        return _ungrouped(whole, "." if decimal == "," else ",") + "." + fraction
    if "," in text:
        if text.count(",") > 1:
            raise ValueError(text)
        return text.replace(",", ".")
    if text.count(".") > 1 or _DOT_GROUPS.fullmatch(text):
        return _ungrouped(text, ".")
    return text


def parse_decimal(value: object, *, belgian: bool = False) -> Decimal:
    """The number in ``value`` (text, int, float or Decimal), or NumberError. Infinite and NaN values are
    refused (``code="not_finite"``)."""
    if isinstance(value, bool):
        raise NumberError(_("Enter a number."))
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value
        if belgian:  # the euro sign and the spaces Excel and browsers paste
            text = text.replace("€", "")
            for space in _SPACES[1:]:
                text = text.replace(space, " ")
        text = text.strip(_SPACES + "\t")
        sign = ""
        if text[:1] in ("+", "-"):
            sign, text = ("-" if text[0] == "-" else ""), text[1:]
        if text.lower() in _NON_FINITE:
            raise NumberError(_("Enter a finite number."), code="not_finite")
        if not text.isascii():
            raise NumberError(example(belgian))
        try:
            plain = _belgian(text) if belgian else (text if _PLAIN.fullmatch(text) else "").replace(",", ".")
            if plain.endswith(".") and len(plain) > 1:  # "3." is 3, as typed in a hurry
                plain = plain[:-1]
            if not _NUMBER.fullmatch(plain):
                raise ValueError(text)
            number = Decimal(sign + plain)
        except (ValueError, InvalidOperation):
            raise NumberError(example(belgian)) from None
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
