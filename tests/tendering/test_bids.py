"""Suppliers and bids through the services: every item priced, totals over the frozen pooled quantities."""

from datetime import timedelta
from decimal import Decimal

import pytest

from core.errors import InvalidInput, NotAllowed, TransitionRefused
from procurement import selectors
from procurement.models import InitiativeKind, Item
from tendering import selectors as tender_selectors
from tendering import services as tender_services
from tendering.models import Bid, BidPrice, Supplier
from tests import factories as f

from .helpers import create_tender, make_ready, prices, ready_demand, scores


@pytest.fixture
def published(ready_round):
    tender = create_tender(ready_round)
    tender_services.tender_publish(tender=tender, actor=ready_round.lead_people.procurement, publication_reference="BE-9")
    return tender


def submit(round_, tender, supplier, lot=1, unit_prices=None, **kwargs):
    return tender_services.bid_submit(
        tender=tender, actor=round_.lead_people.procurement, lot=round_.initiative.lots.get(number=lot),
        supplier=supplier, unit_prices=unit_prices if unit_prices is not None else prices(round_, lot, "850", "170"),
        **kwargs,
    )


def test_suppliers_have_a_checked_enterprise_number(round_, unchanged):
    officer = round_.lead_people.procurement
    supplier = tender_services.supplier_register(actor=officer, name="Bechtle", enterprise_number="BE 0207 447 366",
                                          email="sales@bechtle.be")
    assert supplier.enterprise_number == "0207.447.366"
    with unchanged(), pytest.raises(InvalidInput) as refused:
        tender_services.supplier_register(actor=officer, name="Copy", enterprise_number="0207447366")
    assert "enterprise_number" in refused.value.errors  # the same number, typed differently
    with unchanged(), pytest.raises(InvalidInput) as refused:
        tender_services.supplier_register(actor=officer, name="Typo", enterprise_number="0207.447.367")
    assert "check digits" in refused.value.errors["enterprise_number"][0]
    with unchanged(), pytest.raises(NotAllowed):  # ICT staff do not register suppliers
        tender_services.supplier_register(actor=round_.wetteren_people.ict, name="X", enterprise_number="0207.432.520")


def test_the_total_is_the_sum_of_unit_prices_times_the_pooled_quantities(ready_round, published, suppliers):
    bid = submit(ready_round, published, suppliers[0], unit_prices=prices(ready_round, 1, "849.99", "170.01"))
    lines = {p.item_id: p for p in BidPrice.objects.filter(bid=bid)}
    assert lines[ready_round.laptop.pk].quantity == Decimal("65.00")
    assert lines[ready_round.laptop.pk].amount == Decimal("55249.35")
    assert lines[ready_round.dock.pk].amount == Decimal("8500.50")
    assert bid.total == Decimal("63749.85")


def test_priced_at_the_estimates_a_bid_totals_the_pooled_value(ready_round, published, suppliers):
    round_ = ready_round
    one = submit(round_, published, suppliers[0], unit_prices=prices(round_, 1, "900.00", "180.00"))
    two = submit(round_, published, suppliers[0], lot=2, unit_prices=prices(round_, 2, "210.00"))
    assert one.total + two.total == selectors.pooled_value(round_.initiative) == Decimal("71490.00")


@pytest.mark.parametrize("unit_prices, errors", [
    (lambda r: [{"item": r.laptop.pk, "unit_price": "850"}], {"unit_prices": ["A unit price is missing for: "
                                                                              "Docking station USB-C."]}),
    (lambda r: [*prices(r, 1, "850", "170"), {"item": r.monitor.pk, "unit_price": "200"}],
     {"unit_prices": [{}, {}, {"item": [None]}]}),
    (lambda r: [{"item": r.laptop.pk, "unit_price": "abc"}, {"item": r.dock.pk, "unit_price": "1"}],
     {"unit_prices": [{"unit_price": [None]}, {}]}),
])
def test_missing_or_extra_items_are_refused_by_position(ready_round, published, suppliers, unchanged, unit_prices,
                                                         errors):
    with unchanged(published), pytest.raises(InvalidInput) as refused:
        submit(ready_round, published, suppliers[0], unit_prices=unit_prices(ready_round))
    found = refused.value.errors
    assert set(found) == set(errors)
    if isinstance(errors["unit_prices"][0], str):
        assert found == errors
    else:
        assert [set(row) for row in found["unit_prices"]] == [set(row) for row in errors["unit_prices"]]


def test_an_irregular_bid_needs_a_reason_and_is_not_ranked(ready_round, published, suppliers, unchanged):
    with unchanged(published), pytest.raises(InvalidInput) as refused:
        submit(ready_round, published, suppliers[0], regular=False)
    assert "irregular_reason" in refused.value.errors
    cheap = submit(ready_round, published, suppliers[0], regular=False, irregular_reason="Late signature",
                   unit_prices=prices(ready_round, 1, "1", "1"))
    assert (cheap.regular, cheap.irregular_reason) == (False, "Late signature")


def test_one_bid_per_supplier_and_lot(ready_round, published, suppliers, unchanged):
    submit(ready_round, published, suppliers[0])
    with unchanged(published), pytest.raises(InvalidInput) as refused:
        submit(ready_round, published, suppliers[0])
    assert "already has a bid for lot 1" in refused.value.errors["supplier"][0]
    submit(ready_round, published, suppliers[0], lot=2, unit_prices=prices(ready_round, 2, "200"))


def test_a_lot_of_another_initiative_and_a_missing_supplier_are_refused(ready_round, published, suppliers, unchanged):
    other = f.LotFactory()
    with unchanged(published), pytest.raises(InvalidInput) as refused:
        tender_services.bid_submit(tender=published, actor=ready_round.lead_people.procurement, lot=other, supplier=None,
                            unit_prices=[])
    assert {"lot", "supplier"} <= set(refused.value.errors)


def test_quality_scores_lie_between_zero_and_the_weight(ready_round, published, suppliers, unchanged):
    with unchanged(published), pytest.raises(InvalidInput) as refused:
        submit(ready_round, published, suppliers[0], quality_scores=scores(published, quality=31, service=10))
    assert refused.value.errors["quality_scores"][0]["score"]
    bid = submit(ready_round, published, suppliers[0], quality_scores=scores(published, quality=30, service=0))
    assert {s.criterion.name: s.score for s in bid.scores.all()} == {"Quality": Decimal("30"), "Service": Decimal("0")}


def test_assessment_until_the_evaluation(ready_round, published, suppliers, clock, unchanged):
    officer = ready_round.lead_people.procurement
    bid = submit(ready_round, published, suppliers[0])
    with unchanged(published), pytest.raises(InvalidInput):
        tender_services.bid_assess(bid=bid, actor=officer, regular=False)
    tender_services.bid_assess(bid=bid, actor=officer, regular=False, irregular_reason="No technical file")
    tender_services.bid_assess(bid=bid, actor=officer, regular=True)
    bid.refresh_from_db()
    assert (bid.regular, bid.irregular_reason) == (True, "")
    tender_services.bid_assess(bid=bid, actor=officer, quality_scores=scores(published, quality=12, service=3))
    clock.set(published.bid_deadline + timedelta(seconds=1))
    tender_services.tender_close_bids(tender=published, actor=officer)
    tender_services.tender_evaluate(tender=published, actor=officer)
    with unchanged(published), pytest.raises(TransitionRefused):
        tender_services.bid_assess(bid=bid, actor=officer, regular=False, irregular_reason="Too late")


def test_a_framework_is_priced_over_the_maximum_quantities(round_):
    demand = ready_demand(round_)
    demand["wetteren"][0]["max_quantity"] = "60"  # laptop: 40 now, at most 60 over the term
    initiative = make_ready(round_, demand, kind=InitiativeKind.FRAMEWORK_CONTRACT, framework_term_months=48)
    tender = create_tender(round_)
    tender_services.tender_publish(tender=tender, actor=round_.lead_people.procurement, publication_reference="BE-10")
    bid = submit(round_, tender, Supplier.objects.create(name="Dustin", enterprise_number=f.kbo(77)),
                 unit_prices=prices(round_, 1, "900.00", "180.00"))
    assert BidPrice.objects.get(bid=bid, item=round_.laptop).quantity == Decimal("85.00")  # 60 + 25
    lot1_value = sum(q * Item.objects.get(pk=i).estimated_unit_price
                     for i, q in tender_selectors.pooled_quantities(initiative, lot=bid.lot).items())
    assert bid.total == lot1_value


def test_a_shared_hire_receives_candidates(round_, unchanged):
    make_ready(round_, {"wetteren": [{"item": round_.laptop.pk, "quantity": "0.5"}],
                        "laarne": [{"item": round_.laptop.pk, "quantity": "0.3"}]}, kind=InitiativeKind.SHARED_HIRE)
    tender = create_tender(round_)
    officer = round_.lead_people.procurement
    tender_services.tender_publish(tender=tender, actor=officer, publication_reference="Vacature GIS/2026/3")
    lot1 = round_.initiative.lots.get(number=1)
    line = [{"item": round_.laptop.pk, "unit_price": "72000.00"}, {"item": round_.dock.pk, "unit_price": "0"}]
    with unchanged(tender), pytest.raises(InvalidInput) as refused:
        tender_services.bid_submit(tender=tender, actor=officer, lot=lot1, unit_prices=line)
    assert "candidate" in refused.value.errors
    bid = tender_services.bid_submit(tender=tender, actor=officer, lot=lot1, candidate="An Peeters", unit_prices=line)
    assert (bid.bidder, bid.total) == ("An Peeters", Decimal("57600.00"))  # 0.8 FTE × 72 000 a year
    assert Bid.objects.get(pk=bid.pk).supplier is None

