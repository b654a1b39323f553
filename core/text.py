"""Text that comes in: single-line text (titles, names, references) and multi-line text (descriptions, notes)
take no control characters (issue 16)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Control characters (C0 and C1, bar NUL, which DRF and Django refuse with their own message) and the
# invisible bidirectional overrides that make text read differently from how it is stored. Single-line text
# (titles, names, references) takes none of them; multi-line text (descriptions, notes) keeps tab and line
# breaks.
_CONTROL_IN_LINE = re.compile(r"[\x01-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_IN_TEXT = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def validate_single_line(value: str) -> None:
    if isinstance(value, str) and _CONTROL_IN_LINE.search(value):
        raise ValidationError(
            _("Remove the control characters (line breaks, tabs or invisible direction marks) from this text."),
            code="control_characters",
        )


def validate_multi_line(value: str) -> None:
    if isinstance(value, str) and _CONTROL_IN_TEXT.search(value):
        raise ValidationError(
            _("Remove the control characters (invisible characters or direction marks) from this text."),
            code="control_characters",
        )
