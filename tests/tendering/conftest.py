"""Tendering fixtures (see helpers.py)."""

from contextlib import contextmanager

import pytest

from tendering.models import Supplier
from tests.factories import kbo

from .helpers import Clock, Snapshot, make_ready, ready_demand


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def ready_round(round_):
    make_ready(round_, ready_demand(round_))
    return round_


@pytest.fixture
def suppliers(db) -> list[Supplier]:
    return [Supplier.objects.create(name=name, enterprise_number=kbo(900 + n))
            for n, name in enumerate(["Bechtle", "Realdolmen", "Dustin", "Econocom"])]


@pytest.fixture
def unchanged():
    """``with unchanged(tender, initiative): <refused call>`` asserts that nothing was written."""

    @contextmanager
    def check(*objects):
        before = Snapshot.take(*objects)
        yield
        assert Snapshot.take(*objects) == before

    return check
