"""Open data answers are public and cacheable (issue 16): an ETag and a Last-Modified from the releases an
answer holds, ``Cache-Control: public``, and 304 Not Modified for a client (or proxy) that has them already."""

import hashlib
from collections.abc import Iterable
from datetime import datetime

from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from rest_framework.request import Request
from rest_framework.response import Response

MAX_AGE = 300  # seconds a cache may serve an answer without asking again


def validators(parts: Iterable[str], dates: Iterable[datetime]) -> tuple[str, datetime | None]:
    """The ETag of an answer made of ``parts`` (release digests, the address) and its newest date."""
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f'"{digest}"', max(dates, default=None)


def not_modified(request: Request, etag: str, last_modified: datetime | None):
    """The 304 answer when the client's copy is current, else None."""
    return get_conditional_response(request._request, etag=etag,
                                    last_modified=int(last_modified.timestamp()) if last_modified else None)


def cacheable(response: Response, etag: str, last_modified: datetime | None) -> Response:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
