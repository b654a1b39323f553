"""Identifiers of Belgian contracting authorities: NIS codes and KBO enterprise numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# ASCII digits only and ``fullmatch``: ``\d`` also matches other scripts' digits and ``$`` matches before
# a trailing newline, and neither belongs in a stored identifier.
NIS_CODE = re.compile(r"[1-9][0-9]{4}")
CPV_CODE = re.compile(r"[0-9]{8}-[0-9]")
ENTERPRISE_NUMBER = re.compile(r"[01][0-9]{9}")


def validate_nis_code(value: str) -> None:
    """A Statbel NIS (REFNIS) code of a municipality: five digits, the first one the province."""
    if not NIS_CODE.fullmatch(value or ""):
        raise ValidationError(
            _("A NIS code has exactly 5 digits and does not start with 0 (for example 42025)."),
            code="invalid_nis_code",
        )


def normalise_enterprise_number(value: str) -> str:
    """Return the enterprise number as ``0xxx.xxx.xxx``, or raise ValidationError.

    Accepts the usual ways people type it: with or without dots, spaces or a ``BE`` prefix, and the
    old nine-digit form without the leading 0. The last two digits are 97 minus the first eight modulo 97.
    """
    digits = re.sub(r"[\s.\-/]", "", (value or "").strip().upper())
    if digits.startswith("BE"):
        digits = digits[2:]
    # The old nine-digit form never started with 0; "020744736" is a ten-digit number missing a digit.
    if re.fullmatch(r"[1-9][0-9]{8}", digits):
        digits = "0" + digits
    if not ENTERPRISE_NUMBER.fullmatch(digits):
        raise ValidationError(
            _("An enterprise number has 10 digits and starts with 0 or 1, like 0207.447.366."),
            code="invalid_enterprise_number_format",
        )
    if 97 - int(digits[:8]) % 97 != int(digits[8:]):
        raise ValidationError(
            _("The check digits of enterprise number %(number)s are wrong; check the number in the KBO.")
            % {"number": f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"},
            code="invalid_enterprise_number_check",
        )
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def validate_enterprise_number(value: str) -> None:
    normalise_enterprise_number(value)


def validate_cpv_code(value: str) -> None:
    if value and not CPV_CODE.fullmatch(value):
        raise ValidationError(
            _("A CPV code has eight digits, a hyphen and a check digit, like 30213100-6."),
            code="invalid_cpv_code",
        )

