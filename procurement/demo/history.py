"""Play a demo scenario in the past: an initiative that is already running its contract went through pooling,
the tender, the bid deadline and the standstill weeks ago, and the services check every one of those dates
against the clock. Inside ``history(start)`` ``django.utils.timezone.now`` reads the scenario's own clock, so
that every guard, deadline, audit entry and ``auto_now`` stamp is that of the moment the step happened.

Only ``manage.py demo`` uses this (one thread, nothing else running in the process); the product reads the
real clock everywhere."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

from django.utils import timezone


class HistoryClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, moment: datetime) -> datetime:
        if moment < self.now:
            raise ValueError(f"the history clock cannot go back from {self.now} to {moment}")
        self.now = moment
        return moment


@contextmanager
def history(start: datetime) -> Iterator[HistoryClock]:
    if start > timezone.now():
        raise ValueError("a history starts in the past")
    clock = HistoryClock(start)
    with mock.patch.object(timezone, "now", lambda: clock.now):
        yield clock
