"""Conclusion turns the awards into contracts, in the same transaction: per participant for a joint purchase
(summing exactly to the award), one framework agreement per lot, one agreement for a shared hire."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from contracts.models import Beneficiary, Contract, ContractKind, ContractLine, ContractState
from core.errors import InvalidInput
from procurement.models import InitiativeKind, InitiativeState
from tendering import events
from tendering import services as tender_services
from tendering.models import BidPrice, Supplier, TenderState
from tests import factories as f
from tests.tendering.helpers import create_tender, make_ready

PRICE_ONLY = [{"name": "Price", "weight": 100, "is_price": True}]


def conclude(round_, clock, unit_prices: dict, *, awards=None, contract_start=None, candidate=None):
    """Tender, one bid per lot at ``unit_prices`` (item → price), award every lot, wait out the standstill,
    conclude. Returns the tender."""
    officer = round_.lead_people.procurement
    clock.set(timezone.now())
    tender = create_tender(round_, criteria=PRICE_ONLY, deadline_days=10)
    tender_services.tender_publish(tender=tender, actor=officer, publication_reference="BE-2026-1")
    supplier = None if candidate else Supplier.objects.create(name="Bechtle", enterprise_number=f.kbo(3))
    bids = {}
    for lot in round_.initiative.lots.all():
        lines = [{"item": item.pk, "unit_price": unit_prices.get(item.pk, "1.00")} for item in lot.items.all()]
        bids[lot.pk] = tender_services.bid_submit(tender=tender, actor=officer, lot=lot, supplier=supplier,
                                           candidate=candidate or "", unit_prices=lines)
    clock.set(tender.bid_deadline + timedelta(seconds=1))
    tender_services.tender_close_bids(tender=tender, actor=officer)
    tender_services.tender_evaluate(tender=tender, actor=officer)
    tender_services.tender_award(tender=tender, actor=officer,
                          awards=awards(bids) if awards else [{"lot": lot, "bid": b.pk} for lot, b in bids.items()])
    tender.refresh_from_db()
    clock.set(tender.standstill_ends + timedelta(minutes=1))
    return tender_services.tender_conclude(tender=tender, actor=officer, contract_start=contract_start)


def assert_contracts_add_up(tender):
    for award in tender.awards.filter(bid__isnull=False):
        contracts = Contract.objects.filter(award=award)
        assert sum(c.value for c in contracts) == award.total
        for contract in contracts:
            assert contract.value == sum(line.amount for line in contract.lines.all())
        for price in BidPrice.objects.filter(bid=award.bid):
            lines = ContractLine.objects.filter(contract__award=award, item=price.item)
            assert sum(line.amount for line in lines) == price.amount
            assert sum(line.quantity for line in lines) == price.quantity
            for line in lines:
                assert abs(line.amount - line.unit_price * line.quantity) < Decimal("0.01")


@pytest.fixture
def three_participants(round_):
    """Destelbergen (the lead takes part too), Laarne and Wetteren, with odd quantities."""
    make_ready(round_, {
        "lead": [{"item": round_.laptop.pk, "quantity": "0.5"}, {"item": round_.dock.pk, "quantity": "1.25"},
                 {"item": round_.monitor.pk, "quantity": "1"}],
        "wetteren": [{"item": round_.laptop.pk, "quantity": "0.5"}, {"item": round_.dock.pk, "quantity": "3.75"},
                     {"item": round_.monitor.pk, "quantity": "1"}],
        "laarne": [{"item": round_.laptop.pk, "quantity": "0.5"}, {"item": round_.dock.pk, "quantity": "2.5"},
                   {"item": round_.monitor.pk, "quantity": "1"}],
    })
    return round_


def test_joint_purchase_contracts_sum_to_the_award_to_the_cent(three_participants, clock):
    round_ = three_participants
    price = "333.33"
    tender = conclude(round_, clock, {round_.laptop.pk: price, round_.dock.pk: price, round_.monitor.pk: price})
    assert tender.state == TenderState.CONCLUDED
    lot1 = round_.initiative.lots.get(number=1)
    award = tender.awards.get(lot=lot1)
    # 1.5 × 333.33 = 499.995 → 500.00; 7.5 × 333.33 = 2499.975 → 2499.98.
    assert award.total == Decimal("2999.98")
    contracts = Contract.objects.filter(award=award).select_related("organisation")
    assert {c.organisation.name: c.value for c in contracts} == {
        "Destelbergen": Decimal("166.67") + Decimal("416.66"),
        "Laarne": Decimal("166.67") + Decimal("833.33"),
        "Wetteren": Decimal("166.66") + Decimal("1249.99"),
    }
    assert all(c.kind == ContractKind.PURCHASE and c.state == ContractState.ACTIVE for c in contracts)
    assert Contract.objects.filter(tender=tender).count() == 6
    assert_contracts_add_up(tender)
    assert AuditEntry.objects.filter(action="contracts.contract.created").count() == 6
    assert round_.refresh().state == InitiativeState.ACTIVE


@pytest.mark.parametrize("price", ["0.01", "0.07", "333.33", "999.99", "12345.67", "0.00"])
def test_awkward_prices_add_up(three_participants, clock, price):
    round_ = three_participants
    tender = conclude(round_, clock, {round_.laptop.pk: price, round_.dock.pk: "333.35", round_.monitor.pk: price})
    assert_contracts_add_up(tender)


def test_no_contract_without_demand_in_the_lot_nor_for_an_unsuccessful_lot(round_, clock):
    make_ready(round_, {
        "wetteren": [{"item": round_.laptop.pk, "quantity": "3"}, {"item": round_.monitor.pk, "quantity": "2"}],
        "laarne": [{"item": round_.monitor.pk, "quantity": "5"}],
    })
    lot2 = round_.initiative.lots.get(number=2)
    tender = conclude(round_, clock, {round_.laptop.pk: "900"}, awards=lambda bids: [
        {"lot": lot, "bid": bid.pk} if lot != lot2.pk else {"lot": lot, "bid": None, "reason": "Over budget"}
        for lot, bid in bids.items()
    ])
    contracts = Contract.objects.filter(tender=tender)
    assert [(c.lot.number, c.organisation.name) for c in contracts] == [(1, "Wetteren")]
    assert contracts[0].value == Decimal("2700.00")


def test_a_framework_agreement_per_lot_with_the_frozen_beneficiaries_and_their_maxima(round_, clock):
    make_ready(round_, {
        "wetteren": [{"item": round_.laptop.pk, "quantity": "10", "max_quantity": "15"},
                     {"item": round_.monitor.pk, "quantity": "4"}],
        "laarne": [{"item": round_.laptop.pk, "quantity": "3.5", "max_quantity": "7.5"},
                   {"item": round_.dock.pk, "quantity": "1"}],
    }, kind=InitiativeKind.FRAMEWORK_CONTRACT, framework_term_months=48)
    tender = conclude(round_, clock, {round_.laptop.pk: "333.33", round_.dock.pk: "99.99", round_.monitor.pk: "250"},
                      contract_start=date(2027, 1, 31))
    agreements = Contract.objects.filter(tender=tender).order_by("lot__number")
    assert [(c.kind, c.organisation) for c in agreements] == [(ContractKind.FRAMEWORK, None)] * 2
    lot1 = agreements[0]
    # Maximum quantities over the term: laptops 15 + 7.5 = 22.5 × 333.33 = 7499.925 → 7499.93; docks 1 × 99.99.
    assert lot1.ceiling == lot1.value == lot1.award.total == Decimal("7599.92")
    maxima = {b.organisation.name: b.maximum for b in Beneficiary.objects.filter(contract=lot1)}
    assert maxima == {"Laarne": Decimal("2499.98") + Decimal("99.99"), "Wetteren": Decimal("4999.95")}
    assert sum(maxima.values()) == lot1.ceiling
    assert (lot1.starts_on, lot1.ends_on) == (date(2027, 1, 31), date(2031, 1, 30))
    # Lot 2: Laarne has no monitor demand and is still a frozen beneficiary, with a zero maximum.
    assert {b.organisation.name: b.maximum for b in Beneficiary.objects.filter(contract=agreements[1])} == {
        "Laarne": Decimal("0.00"), "Wetteren": Decimal("1000.00")}
    assert_contracts_add_up(tender)


def test_a_shared_hire_agreement_with_the_chosen_candidate_and_the_start_date(round_, clock):
    make_ready(round_, {"wetteren": [{"item": round_.laptop.pk, "quantity": "0.5"}],
                        "laarne": [{"item": round_.laptop.pk, "quantity": "0.3"}],
                        "lead": [{"item": round_.laptop.pk, "quantity": "0.2"}]}, kind=InitiativeKind.SHARED_HIRE)
    lot2 = round_.initiative.lots.get(number=2)
    tender = conclude(round_, clock, {round_.laptop.pk: "68123.45"}, candidate="An Peeters",
                      contract_start=date(2027, 2, 1), awards=lambda bids: [
                          {"lot": lot, "bid": bid.pk} if lot != lot2.pk else {"lot": lot, "bid": None, "reason": "-"}
                          for lot, bid in bids.items()])
    [hire] = Contract.objects.filter(tender=tender)
    assert (hire.kind, hire.candidate, hire.supplier, hire.organisation, hire.starts_on) == (
        ContractKind.SHARED_HIRE, "An Peeters", None, None, date(2027, 2, 1))
    assert hire.value == hire.award.total == Decimal("68123.45")  # 1 FTE (the dock item has no demand)
    # 0.5, 0.3 and 0.2 × 68 123.45 = 34 061.725, 20 437.035 and 13 624.69: one cent left over, two equal
    # remainders, so it goes to the first by name (Laarne before Wetteren).
    shares = {b.organisation.name: b.maximum for b in hire.beneficiaries.all()}
    assert shares == {"Destelbergen": Decimal("13624.69"), "Laarne": Decimal("20437.04"),
                      "Wetteren": Decimal("34061.72")}


def test_conclusion_and_contracts_commit_together(three_participants, clock, monkeypatch):
    """A failing receiver rolls the conclusion back: no concluded tender without its contracts."""
    round_ = three_participants

    def broken(sender, tender, actor, **kwargs):
        raise RuntimeError("disk full")

    events.tender_concluded.connect(broken, dispatch_uid="test-broken")
    try:
        with pytest.raises(RuntimeError):
            conclude(round_, clock, {})
    finally:
        events.tender_concluded.disconnect(dispatch_uid="test-broken")
    tender = round_.initiative.tender
    tender.refresh_from_db()
    assert tender.state == TenderState.STANDSTILL
    assert round_.refresh().state == InitiativeState.AWARDED
    assert not Contract.objects.exists()
    assert not AuditEntry.objects.filter(action="procurement.tender.concluded").exists()
    tender_services.tender_conclude(tender=tender, actor=round_.lead_people.procurement)
    assert Contract.objects.filter(tender=tender).count() == 6


def test_the_contracts_start_today_or_later(three_participants, clock):
    with pytest.raises(InvalidInput) as refused:
        conclude(three_participants, clock, {}, contract_start=date(2020, 1, 1))
    assert "contract_start" in refused.value.errors
