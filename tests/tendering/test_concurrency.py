"""Tendering under concurrency, on PostgreSQL (real row locks, several connections): two conclusions at once
make one set of contracts; bids racing the close of the bids are either in before it or refused.

Only in the PostgreSQL pass (deselected on SQLite by tests/conftest.py):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helper_tender .venv/bin/pytest -q -m postgres \\
        tests/procurement/tendering/test_concurrency.py
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from audit.models import AuditEntry
from contracts.models import Contract
from core.errors import DomainError
from tendering import services as tender_services
from tendering.models import Bid, Supplier, Tender, TenderState
from tests.factories import kbo
from tests.threads import run_at_once

from .helpers import create_tender, prices

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_thresholds"),
]


@pytest.fixture(autouse=True)
def _on_postgresql():
    assert connection.vendor == "postgresql", "tests/procurement/tendering/test_concurrency.py needs PostgreSQL"


def test_two_conclusions_at_once_make_one_set_of_contracts(ready_round, clock):
    round_ = ready_round
    officer = round_.lead_people.procurement
    clock.set(timezone.now())
    tender = create_tender(round_, criteria=[{"name": "Price", "weight": 100, "is_price": True}])
    tender_services.tender_publish(tender=tender, actor=officer, publication_reference="BE-1")
    supplier = Supplier.objects.create(name="Bechtle", enterprise_number=kbo(1))
    bids = [tender_services.bid_submit(tender=tender, actor=officer, lot=lot, supplier=supplier,
                                unit_prices=prices(round_, lot.number, *(["333.33"] * lot.items.count())))
            for lot in round_.initiative.lots.all()]
    clock.set(tender.bid_deadline + timedelta(seconds=1))
    tender_services.tender_close_bids(tender=tender, actor=officer)
    tender_services.tender_evaluate(tender=tender, actor=officer)
    tender_services.tender_award(tender=tender, actor=officer, awards=[{"lot": b.lot_id, "bid": b.pk} for b in bids])
    tender.refresh_from_db()
    clock.set(tender.standstill_ends)
    results = run_at_once(*[lambda: tender_services.tender_conclude(tender=tender, actor=officer)] * 2)
    assert sum(isinstance(r, Tender) for r in results) == 1
    assert sum(isinstance(r, DomainError) for r in results) == 1
    assert Contract.objects.filter(tender=tender).count() == 4
    assert AuditEntry.objects.filter(action="procurement.tender.concluded").count() == 1


def test_bids_racing_the_close_are_in_before_it_or_refused(ready_round, clock):
    round_ = ready_round
    officer = round_.lead_people.procurement
    clock.set(timezone.now())
    tender = create_tender(round_, criteria=[{"name": "Price", "weight": 100, "is_price": True}])
    tender_services.tender_publish(tender=tender, actor=officer, publication_reference="BE-1")
    suppliers = [Supplier.objects.create(name=f"Supplier {n}", enterprise_number=kbo(100 + n)) for n in range(8)]
    lot2 = round_.initiative.lots.get(number=2)
    clock.set(tender.bid_deadline)  # at the deadline: bids are still accepted, the close is refused
    calls = [lambda s=s: tender_services.bid_submit(tender=tender, actor=officer, lot=lot2, supplier=s,
                                             unit_prices=prices(round_, 2, "200.00")) for s in suppliers]
    results = run_at_once(*calls, lambda: tender_services.tender_close_bids(tender=tender, actor=officer))
    assert all(isinstance(r, Bid) for r in results[:-1]), results
    assert isinstance(results[-1], DomainError) and results[-1].code == "bid_deadline_ahead"

    clock.set(tender.bid_deadline + timedelta(microseconds=1))  # now the close wins and late bids are refused
    late = [Supplier.objects.create(name=f"Late {n}", enterprise_number=kbo(200 + n)) for n in range(6)]
    calls = [lambda s=s: tender_services.bid_submit(tender=tender, actor=officer, lot=lot2, supplier=s,
                                             unit_prices=prices(round_, 2, "190.00")) for s in late]
    results = run_at_once(lambda: tender_services.tender_close_bids(tender=tender, actor=officer), *calls)
    assert isinstance(results[0], Tender) and results[0].state == TenderState.BIDS_CLOSED
    assert all(isinstance(r, DomainError) for r in results[1:])
    assert Bid.objects.filter(tender=tender).count() == 8
