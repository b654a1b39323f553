"""The moment a service acts at.

A participation service checks the deadline and then stamps the participation (``submitted_at``,
``decided_at``). Read from the clock twice, a busy server can pass the check a moment before the deadline
and stamp a moment after it, so that an accepted submission looks late. Inside ``instant()`` every reading
gives the same moment: the one at which the service holds its locks and decides.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_instant: ContextVar[datetime | None] = ContextVar("procurement_instant", default=None)


def now() -> datetime:
    """The moment of the service that is running (``instant``), else the current time."""
    return _instant.get() or timezone.now()


@contextmanager
def instant() -> Iterator[datetime]:
    """Within the block, ``now()`` is the moment the block began (an enclosing block's moment, if any)."""
    token = _instant.set(now())
    try:
        yield _instant.get()
    finally:
        _instant.reset(token)
