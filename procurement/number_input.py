"""One reading of the numbers people type in the page forms, Belgian and plain formats alike.

The pages write numbers the Belgian way (``200.000``, ``1.880,00``), so a form must read back what it shows,
and also what people type from habit or paste from elsewhere:

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

Anything else (letters, two commas, a misplaced group) is refused with a message that shows the formats.
The API reads JSON numbers and plain strings on its own (issue 16); this module is for what people type.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

INVALID = _("Enter a number, like 12 or 2,5.")
NOT_FINITE = _("Enter a finite number.")
_NOT_FINITE = {"nan", "snan", "inf", "infinity"}
_BLANKS = re.compile(r"[\s\u00a0\u202f€]")
_GROUPED = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$")  # 200.000, 1.000.000 (not 0.012)


class NumberInputError(ValueError):
    """The text is not a number in any accepted format; ``message`` says which formats are."""

    def __init__(self, text: str, message=INVALID):
        super().__init__(text)
        self.message = message


def _grouped(whole: str, separator: str) -> str:
    """``whole`` without its thousands separators, checked to be groups of three."""
    if separator not in whole:
        return whole
    if not re.fullmatch(r"\d{1,3}(" + re.escape(separator) + r"\d{3})+", whole):
        raise ValueError(whole)
    return whole.replace(separator, "")


def parse_number(text: str | None) -> Decimal | None:
    """The number in ``text`` (None when blank); raises ``NumberInputError`` when it is not one."""
    if text is None:
        return None
    raw = str(text)
    compact = _BLANKS.sub("", raw)
    if not compact:
        return None
    sign = ""
    if compact[0] in "+-":
        sign, compact = ("-" if compact[0] == "-" else ""), compact[1:]
    if compact.lower() in _NOT_FINITE:
        raise NumberInputError(raw, NOT_FINITE)
    try:
        if "," in compact and "." in compact:
            decimal_sep = "," if compact.rfind(",") > compact.rfind(".") else "."
            group_sep = "." if decimal_sep == "," else ","
            whole, _sep, fraction = compact.rpartition(decimal_sep)
            number = _grouped(whole, group_sep) + "." + fraction
        elif "," in compact:
            if compact.count(",") > 1:
                raise ValueError(compact)
            number = compact.replace(",", ".")
        elif compact.count(".") > 1 or _GROUPED.match(compact):
            number = _grouped(compact, ".")
        else:
            number = compact
        if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", number):
            raise ValueError(number)
        return Decimal(sign + number)
    except (ValueError, InvalidOperation):
        raise NumberInputError(raw) from None
