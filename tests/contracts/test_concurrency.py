"""Call-offs ordered at the same moment, on PostgreSQL (real row locks, one connection per thread): the check
and the consumption happen under one lock on the framework agreement, so no ceiling is ever exceeded.

Only in the PostgreSQL pass (deselected on SQLite by tests/conftest.py):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helper_contracts .venv/bin/pytest -q -m postgres \\
        tests/contracts/test_concurrency.py
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from audit.models import AuditEntry
from contracts import selectors, services
from contracts.models import Beneficiary, CallOff, CallOffLine, CallOffState, Contract, ContractLine, ContractState
from core.errors import DomainError, TransitionRefused
from tests.threads import run_at_once

from .helpers import framework_agreement

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_thresholds"),
]


@pytest.fixture(autouse=True)
def _on_postgresql():
    assert connection.vendor == "postgresql", "tests/contracts/test_concurrency.py needs PostgreSQL"


def drafts(round_, agreement, key: str, count: int) -> list[CallOff]:
    people = getattr(round_, f"{key}_people")
    return [services.call_off_create(contract=agreement, actor=people.ict, organisation=getattr(round_, key),
                                     lines=[{"item": round_.laptop.pk, "quantity": "1"}]) for _ in range(count)]


def order_call(call_off: CallOff, actor):
    return lambda: services.call_off_order(call_off=call_off, actor=actor)


def assert_consumption_is_the_sum_of_the_ordered_call_offs(agreement: Contract) -> None:
    agreement.refresh_from_db()
    ordered = CallOff.objects.filter(contract=agreement, state=CallOffState.ORDERED)
    assert agreement.consumed == ordered.aggregate(s=Sum("total"))["s"]
    for beneficiary in Beneficiary.objects.filter(contract=agreement):
        own = ordered.filter(organisation=beneficiary.organisation).aggregate(s=Sum("total"))["s"] or Decimal("0")
        assert beneficiary.consumed == own
    for line in ContractLine.objects.filter(contract=agreement):
        quantity = CallOffLine.objects.filter(call_off__in=ordered.filter(organisation=line.organisation),
                                              item=line.item).aggregate(s=Sum("quantity"))["s"] or Decimal("0")
        assert line.ordered == quantity
    assert selectors.check_counters(agreement) == []


def test_twenty_concurrent_call_offs_against_a_ceiling_that_allows_ten(fixed_round, clock):
    """Wetteren may call off 10 laptops; 20 call-offs of one laptop are ordered at the same moment."""
    agreement = framework_agreement(fixed_round, clock)
    call_offs = drafts(fixed_round, agreement, "wetteren", 20)
    results = run_at_once(*[order_call(c, fixed_round.wetteren_people.ict) for c in call_offs])
    ordered = [r for r in results if isinstance(r, CallOff)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert (len(ordered), len(refused)) == (10, 10), results
    for error in refused:
        assert isinstance(error, TransitionRefused) and error.code == "item_maximum_exceeded"
        assert error.message == ("This call-off exceeds Wetteren's maximum for Laptop 14 inch: 10 ordered of 10, "
                                 "0 remain, this call-off asks 1.")
    assert CallOff.objects.filter(contract=agreement, state=CallOffState.ORDERED).count() == 10
    assert CallOff.objects.filter(contract=agreement, state=CallOffState.DRAFT).count() == 10
    line = ContractLine.objects.get(contract=agreement, organisation=fixed_round.wetteren, item=fixed_round.laptop)
    assert (line.ordered, line.quantity) == (Decimal("10.00"), Decimal("10.00"))
    assert_consumption_is_the_sum_of_the_ordered_call_offs(agreement)
    assert AuditEntry.objects.filter(action="contracts.call_off.ordered").count() == 10
    # The 80 % warning on Wetteren's laptops went out exactly once.
    assert AuditEntry.objects.filter(action="contracts.ceiling.warning", data__ceiling="item").count() == 1


def test_concurrent_call_offs_of_two_beneficiaries_against_the_overall_maximum(fixed_round, clock):
    """Test set-up: an overall maximum of 9 000,00 € (ten laptops) below the sum of the beneficiaries' maxima;
    Wetteren orders 10 and Laarne 4 laptops, one per call-off, all at once: ten get through."""
    agreement = framework_agreement(fixed_round, clock)
    Contract.objects.filter(pk=agreement.pk).update(ceiling=Decimal("9000.00"))
    wetteren = drafts(fixed_round, agreement, "wetteren", 10)
    laarne = drafts(fixed_round, agreement, "laarne", 4)
    results = run_at_once(*[order_call(c, fixed_round.wetteren_people.ict) for c in wetteren],
                          *[order_call(c, fixed_round.laarne_people.ict) for c in laarne])
    refused = [r for r in results if isinstance(r, DomainError)]
    assert sum(isinstance(r, CallOff) for r in results) == 10 and len(refused) == 4, results
    for error in refused:
        # Refused by the ceiling check, or (once the tenth made it exhausted) by the exhausted agreement:
        # either way the message names the overall maximum and what remains.
        assert error.code in ("overall_maximum_exceeded", "agreement_exhausted"), error.code
        assert "overall maximum of the framework agreement, 9.000,00 €: 9.000,00 € ordered by all beneficiaries, " \
               "0,00 € remain" in error.message or "overall maximum of 9.000,00 € has been ordered in full " \
               "(9.000,00 € ordered by all beneficiaries, 0,00 € remain)" in error.message, error.message
    agreement.refresh_from_db()
    assert agreement.consumed == agreement.ceiling and agreement.state == ContractState.EXHAUSTED
    assert AuditEntry.objects.filter(action="contracts.contract.exhausted").count() == 1
    assert_consumption_is_the_sum_of_the_ordered_call_offs(agreement)


def test_cancels_and_orders_at_the_same_moment_keep_the_counters_right(fixed_round, clock):
    agreement = framework_agreement(fixed_round, clock)
    ict = fixed_round.wetteren_people.ict
    placed = [services.call_off_order(call_off=c, actor=ict) for c in drafts(fixed_round, agreement, "wetteren", 10)]
    waiting = drafts(fixed_round, agreement, "wetteren", 10)
    results = run_at_once(
        *[(lambda c=c: services.call_off_cancel(call_off=c, actor=ict, reason="Not needed")) for c in placed[:5]],
        *[order_call(c, ict) for c in waiting],
    )
    cancels, orders = results[:5], results[5:]
    assert all(isinstance(r, CallOff) and r.state == CallOffState.CANCELLED for r in cancels), cancels
    # An order gets through only once a cancel has made room: at most five, whatever the timing.
    got_through = sum(isinstance(r, CallOff) for r in orders)
    assert got_through <= 5 and all(isinstance(r, (CallOff, TransitionRefused)) for r in orders)
    assert_consumption_is_the_sum_of_the_ordered_call_offs(agreement)
    line = ContractLine.objects.get(contract=agreement, organisation=fixed_round.wetteren, item=fixed_round.laptop)
    assert line.ordered == Decimal(5 + got_through)
