"""The API's JSON parser: a bounded body, a bounded nesting depth and an object at the top.

DRF's own parser hands any body to ``json.load``: 2 KB nested a thousand deep ends in a ``RecursionError``
(a 500), a body of any size is read into memory, and ``null``, ``[]`` or ``"x"`` reach views that expect an
object. Here the body is read up to ``API_JSON_MAX_BYTES``, its nesting is counted before it is decoded
(brackets outside strings, by one regular expression at C speed), and anything but an object is refused.
Each refusal is a 400 ``{"detail": "…"}`` like every other parse error (API.md "Conventions").
"""

import io
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# A JSON string (with its escapes) or one bracket; strings are skipped so that "[[[" in a text counts nothing.
_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_OPENING = frozenset(b"[{")


def json_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in ``raw`` (0 for a scalar)."""
    depth = deepest = 0
    for match in _TOKENS.finditer(raw):
        token = match.group()
        if len(token) != 1:
            continue
        if token[0] in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit: int = settings.API_JSON_MAX_BYTES
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise ParseError(_("The JSON body is larger than %(limit)s bytes; send less at a time.")
                             % {"limit": f"{limit:,}".replace(",", ".")})
        max_depth: int = settings.API_JSON_MAX_DEPTH
        if json_depth(raw) > max_depth:
            raise ParseError(_("The JSON body nests deeper than %(depth)s levels.") % {"depth": max_depth})
        data = super().parse(io.BytesIO(raw), media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError(_('The body must be a JSON object, like {"field": "value"}.'))
        return data
