"""Contracts fixtures: a clock that starts at a fixed moment, and fast passwords."""

import pytest

from tests.tendering.helpers import Clock, brussels

# The contracts tests run on a fixed clock: the tender concludes on 18-12-2026 (10 days of bidding and 15 of
# standstill after this moment), whatever the day the tests run.
NOW = brussels(2026, 11, 23, 10, 0)


@pytest.fixture
def fixed_round(clock, round_):
    """``round_`` created and run with the clock at ``NOW`` (the clock is set before the round exists)."""
    return round_


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock(monkeypatch)
    clock.set(NOW)
    return clock
