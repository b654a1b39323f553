"""The tender lifecycle through the services: the initiative follows, dates hold, every step is audited."""

from datetime import UTC, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from contracts.models import Contract
from core.errors import InvalidInput, TransitionRefused
from procurement import services
from procurement.models import InitiativeState
from tendering import services as tender_services
from tendering.models import Award, Bid, TenderState
from tendering.selectors import standstill_end

from .helpers import brussels, create_tender, prices, scores


def run_to_evaluated(round_, clock, suppliers, *, bids=None):
    """Create, publish, receive the bids, close and evaluate; returns the tender."""
    officer = round_.lead_people.procurement
    tender = create_tender(round_)
    tender_services.tender_publish(tender=tender, actor=officer, publication_reference="BE-2026-123456")
    made = []
    for supplier, lot, unit_prices, quality in bids or [
        (suppliers[0], 1, ("850.00", "170.00"), {"quality": 25, "service": 8}),
        (suppliers[1], 1, ("800.00", "190.00"), {"quality": 20, "service": 10}),
        (suppliers[0], 2, ("199.99",), {"quality": 30, "service": 10}),
    ]:
        made.append(tender_services.bid_submit(
            tender=tender, actor=officer, lot=round_.initiative.lots.get(number=lot), supplier=supplier,
            unit_prices=prices(round_, lot, *unit_prices), quality_scores=scores(tender, **quality)))
    clock.set(tender.bid_deadline + timedelta(minutes=1))
    tender_services.tender_close_bids(tender=tender, actor=officer)
    tender_services.tender_evaluate(tender=tender, actor=officer)
    tender.refresh_from_db()
    return tender, made


def test_a_joint_purchase_from_tender_to_contracts(ready_round, clock, suppliers):
    round_ = ready_round
    officer = round_.lead_people.procurement
    clock.set(timezone.now())
    tender, (a, b, c) = run_to_evaluated(round_, clock, suppliers)
    assert round_.refresh().state == InitiativeState.TENDERING
    assert tender.state == TenderState.EVALUATED
    # Lot 1: totals over the pooled quantities (laptop 65, dock 50).
    assert a.total == Decimal("63750.00")  # 65 × 850 + 50 × 170
    assert b.total == Decimal("61500.00")  # 65 × 800 + 50 × 190
    a.refresh_from_db()
    b.refresh_from_db()
    # Price 60 × 61500 / 63750 = 57.882… → 57.88; a: 57.88 + 33 = 90.88; b: 60 + 30 = 90.00.
    assert (a.price_score, a.score, a.rank) == (Decimal("57.88"), Decimal("90.88"), 1)
    assert (b.price_score, b.score, b.rank) == (Decimal("60.00"), Decimal("90.00"), 2)

    awarded_at = clock.advance(hours=2)
    tender_services.tender_award(tender=tender, actor=officer, awards=[{"lot": a.lot_id, "bid": a.pk},
                                                                 {"lot": c.lot_id, "bid": c.pk}])
    tender.refresh_from_db()
    assert tender.state == TenderState.STANDSTILL
    assert round_.refresh().state == InitiativeState.AWARDED
    assert tender.standstill_ends == standstill_end(awarded_at, 15)
    assert Award.objects.filter(tender=tender).count() == 2

    with pytest.raises(TransitionRefused) as refused:
        tender_services.tender_conclude(tender=tender, actor=officer)
    assert refused.value.code == "standstill_running"

    clock.set(tender.standstill_ends)
    tender_services.tender_conclude(tender=tender, actor=officer)
    tender.refresh_from_db()
    assert tender.state == TenderState.CONCLUDED
    assert tender.contract_start == timezone.localdate()
    assert round_.refresh().state == InitiativeState.ACTIVE
    contracts = Contract.objects.filter(tender=tender)
    assert contracts.count() == 4  # two lots × two participants
    for award in tender.awards.all():
        assert sum(c.value for c in contracts.filter(award=award)) == award.total

    actions = list(AuditEntry.objects.filter(action__startswith="procurement.tender").order_by("id")
                   .values_list("action", flat=True))
    assert actions == [
        "procurement.tender.created", "procurement.tender.published", "procurement.tender.bids_closed",
        "procurement.tender.evaluated", "procurement.tender.awarded", "procurement.tender.standstill_started",
        "procurement.tender.concluded",
    ]
    initiative_actions = list(AuditEntry.objects.filter(action__startswith="procurement.initiative.")
                              .order_by("-id").values_list("action", flat=True)[:4])
    assert initiative_actions == ["procurement.initiative.concluded", "procurement.initiative.awarded",
                                  "procurement.initiative.tender_started",
                                  "procurement.initiative.participants_confirmed"]


def test_standstill_across_the_autumn_dst_change_keeps_the_brussels_wall_clock(ready_round, clock, suppliers):
    """Awarded on 20 October 2026 at 10:00 in Brussels (CEST); 15 days later is 4 November at 10:00 (CET),
    across the switch of 25 October: 15 days and one hour in absolute time."""
    round_ = ready_round
    clock.set(brussels(2026, 10, 1, 9, 0))
    tender, (a, _b, c) = run_to_evaluated(round_, clock, suppliers)
    clock.set(brussels(2026, 10, 20, 10, 0))
    tender_services.tender_award(tender=tender, actor=round_.lead_people.procurement,
                          awards=[{"lot": a.lot_id, "bid": a.pk}, {"lot": c.lot_id, "bid": c.pk}])
    tender.refresh_from_db()
    ends = timezone.localtime(tender.standstill_ends)
    assert (ends.date().isoformat(), ends.hour, ends.minute) == ("2026-11-04", 10, 0)
    assert ends.utcoffset() == timedelta(hours=1)
    assert tender.standstill_ends - tender.awarded_at == timedelta(days=15, hours=1)

    clock.set(brussels(2026, 11, 4, 9, 59))
    with pytest.raises(TransitionRefused, match="04-11-2026 10:00"):
        tender_services.tender_conclude(tender=tender, actor=round_.lead_people.procurement)
    clock.set(brussels(2026, 11, 4, 10, 0))
    tender_services.tender_conclude(tender=tender, actor=round_.lead_people.procurement)


def test_standstill_across_the_spring_dst_change(clock):
    start = brussels(2027, 3, 20, 16, 30)
    ends = standstill_end(start, 15)
    assert timezone.localtime(ends).replace(tzinfo=None).isoformat() == "2027-04-04T16:30:00"
    # Compared in UTC: Python subtracts two datetimes of the same zone object as wall-clock times.
    assert ends.astimezone(UTC) - start.astimezone(UTC) == timedelta(days=14, hours=23)


def test_the_standstill_period_is_configurable_per_tender(ready_round, clock, suppliers):
    clock.set(timezone.now())
    with pytest.raises(InvalidInput) as refused:
        create_tender(ready_round, standstill_days=61)
    assert "standstill_days" in refused.value.errors
    tender = create_tender(ready_round, standstill_days=10)
    assert tender.standstill_days == 10


def test_bids_come_only_between_publication_and_the_deadline(ready_round, clock, suppliers, unchanged):
    round_ = ready_round
    officer = round_.lead_people.procurement
    clock.set(brussels(2026, 12, 1, 9, 0))
    tender = tender_services.tender_create(initiative=round_.initiative, actor=officer,
                                    bid_deadline=brussels(2026, 12, 15, 11, 0),
                                    award_criteria=[{"name": "Price", "weight": 100, "is_price": True}])
    lot2 = round_.initiative.lots.get(number=2)
    bid = {"tender": tender, "actor": officer, "lot": lot2, "supplier": suppliers[0],
           "unit_prices": prices(round_, 2, "200.00")}
    with unchanged(tender), pytest.raises(TransitionRefused, match="only while the tender is published"):
        tender_services.bid_submit(**bid)  # still a draft
    tender_services.tender_publish(tender=tender, actor=officer, publication_reference="BE-2026-555")
    clock.set(brussels(2026, 12, 15, 11, 0))  # at the deadline itself: still in time
    tender_services.bid_submit(**bid)
    # The bids cannot be closed before the deadline has passed (at the deadline itself bids still come in).
    with pytest.raises(TransitionRefused, match="until the bid deadline of 15-12-2026 11:00"):
        tender_services.tender_close_bids(tender=tender, actor=officer)
    clock.set(brussels(2026, 12, 15, 11, 0, 1))
    with unchanged(tender), pytest.raises(TransitionRefused, match="bid deadline of 15-12-2026 11:00 has passed"):
        tender_services.bid_submit(**{**bid, "supplier": suppliers[1]})
    tender_services.tender_close_bids(tender=tender, actor=officer)
    with unchanged(tender), pytest.raises(TransitionRefused):
        tender_services.bid_submit(**{**bid, "supplier": suppliers[2]})
    assert Bid.objects.filter(tender=tender).count() == 1


def test_the_bid_deadline_must_lie_ahead_at_creation_and_publication(ready_round, clock, unchanged):
    round_ = ready_round
    officer = round_.lead_people.procurement
    clock.set(timezone.now())
    with unchanged(round_.initiative), pytest.raises(InvalidInput) as refused:
        create_tender(round_, deadline_days=-1)
    assert "bid_deadline" in refused.value.errors
    tender = create_tender(round_, deadline_days=3)
    clock.advance(days=4)
    with unchanged(tender), pytest.raises(TransitionRefused) as refused:
        tender_services.tender_publish(tender=tender, actor=officer, publication_reference="BE-1")
    assert refused.value.code == "bid_deadline_passed"
    # A draft's deadline can move; then it publishes.
    tender_services.tender_update(tender=tender, actor=officer, bid_deadline=timezone.now() + timedelta(days=7))
    tender_services.tender_publish(tender=tender, actor=officer, publication_reference="BE-1")
    # Once published the deadline only moves later.
    with pytest.raises(InvalidInput):
        tender_services.tender_update(tender=tender, actor=officer, bid_deadline=timezone.now() + timedelta(days=6))
    with pytest.raises(TransitionRefused):
        tender_services.tender_update(tender=tender, actor=officer, standstill_days=20)


def test_publication_needs_a_reference(ready_round, clock, unchanged):
    clock.set(timezone.now())
    tender = create_tender(ready_round)
    with unchanged(tender), pytest.raises(InvalidInput) as refused:
        tender_services.tender_publish(tender=tender, actor=ready_round.lead_people.procurement, publication_reference="  ")
    assert "publication_reference" in refused.value.errors


def test_evaluation_waits_for_every_quality_score(ready_round, clock, suppliers, unchanged):
    round_ = ready_round
    officer = round_.lead_people.procurement
    clock.set(timezone.now())
    tender = create_tender(round_)
    tender_services.tender_publish(tender=tender, actor=officer, publication_reference="BE-2")
    lot2 = round_.initiative.lots.get(number=2)
    bid = tender_services.bid_submit(tender=tender, actor=officer, lot=lot2, supplier=suppliers[0],
                              unit_prices=prices(round_, 2, "205.00"),
                              quality_scores=[{"criterion": tender.criteria.get(name="Quality").pk, "score": 20}])
    clock.set(tender.bid_deadline + timedelta(seconds=1))
    tender_services.tender_close_bids(tender=tender, actor=officer)
    with unchanged(tender), pytest.raises(TransitionRefused, match="Dustin|Bechtle") as refused:
        tender_services.tender_evaluate(tender=tender, actor=officer)
    assert refused.value.code == "quality_scores_missing"
    tender_services.bid_assess(bid=bid, actor=officer, quality_scores=scores(tender, quality=20, service=5))
    tender_services.tender_evaluate(tender=tender, actor=officer)


def test_award_checks_every_lot(ready_round, clock, suppliers, unchanged):
    round_ = ready_round
    officer = round_.lead_people.procurement
    clock.set(timezone.now())
    tender, (a, b, c) = run_to_evaluated(round_, clock, suppliers)
    lot1, lot2 = a.lot_id, c.lot_id
    refused_inputs = [
        ([], "awards"),
        ([{"lot": lot1, "bid": a.pk}], "awards"),  # lot 2 not decided
        ([{"lot": lot1, "bid": c.pk}, {"lot": lot2, "bid": c.pk}], "awards"),  # c is a lot 2 bid
        ([{"lot": lot1, "bid": b.pk}, {"lot": lot2, "bid": c.pk}], "awards"),  # b is second: a reason is needed
        ([{"lot": lot1, "bid": None}, {"lot": lot2, "bid": c.pk}], "awards"),  # unsuccessful without reason
        ([{"lot": lot1, "bid": None, "reason": "x"}, {"lot": lot2, "bid": None, "reason": "y"}], "awards"),
        ([{"lot": lot1, "bid": a.pk}, {"lot": lot1, "bid": a.pk}, {"lot": lot2, "bid": c.pk}], "awards"),
    ]
    for awards, field in refused_inputs:
        with unchanged(tender, round_.initiative), pytest.raises(InvalidInput) as refused:
            tender_services.tender_award(tender=tender, actor=officer, awards=awards)
        assert field in refused.value.errors, awards
    # The second-ranked bid with a reason, and a lot declared unsuccessful with a reason.
    tender_services.tender_award(tender=tender, actor=officer, awards=[
        {"lot": lot1, "bid": b.pk, "reason": "The first-ranked bidder withdrew its bid."},
        {"lot": lot2, "bid": None, "reason": "The only bid exceeds the budget."},
    ])
    awards = {award.lot_id: award for award in Award.objects.filter(tender=tender)}
    assert awards[lot1].bid_id == b.pk and awards[lot1].total == b.total
    assert awards[lot2].unsuccessful and awards[lot2].total is None


def test_an_irregular_bid_cannot_be_awarded(ready_round, clock, suppliers, unchanged):
    round_ = ready_round
    officer = round_.lead_people.procurement
    clock.set(timezone.now())
    tender, (a, b, c) = run_to_evaluated(round_, clock, suppliers)
    Bid.objects.filter(pk=c.pk).update(regular=False, irregular_reason="Unsigned")  # set-up after evaluation
    with unchanged(tender), pytest.raises(InvalidInput) as refused:
        tender_services.tender_award(tender=tender, actor=officer,
                              awards=[{"lot": a.lot_id, "bid": a.pk}, {"lot": c.lot_id, "bid": c.pk}])
    assert refused.value.errors["awards"][1]["bid"]


def test_fail_when_no_lot_has_a_regular_bid(ready_round, clock, suppliers, unchanged):
    round_ = ready_round
    officer = round_.lead_people.procurement
    clock.set(timezone.now())
    tender = create_tender(round_)
    tender_services.tender_publish(tender=tender, actor=officer, publication_reference="BE-3")
    lot2 = round_.initiative.lots.get(number=2)
    bid = tender_services.bid_submit(tender=tender, actor=officer, lot=lot2, supplier=suppliers[0],
                              unit_prices=prices(round_, 2, "205.00"), quality_scores=scores(tender, quality=1, service=1))
    clock.set(tender.bid_deadline + timedelta(seconds=1))
    tender_services.tender_close_bids(tender=tender, actor=officer)
    with unchanged(tender, round_.initiative), pytest.raises(TransitionRefused) as refused:
        tender_services.tender_fail(tender=tender, actor=officer)
    assert refused.value.code == "regular_bid_exists"
    tender_services.bid_assess(bid=bid, actor=officer, regular=False, irregular_reason="Submitted without a signature.")
    tender_services.tender_evaluate(tender=tender, actor=officer)
    with unchanged(tender, round_.initiative), pytest.raises(TransitionRefused) as refused:
        tender_services.tender_award(tender=tender, actor=officer, awards=[{"lot": lot2.pk, "bid": None, "reason": "x"}])
    assert refused.value.code == "no_regular_bid"
    tender_services.tender_fail(tender=tender, actor=officer, reason="No regular bid.")
    tender.refresh_from_db()
    assert tender.state == TenderState.UNSUCCESSFUL
    assert round_.refresh().state == InitiativeState.UNSUCCESSFUL


@pytest.mark.parametrize("stop_at", ["draft", "published", "evaluated", "standstill"])
def test_cancel_with_a_reason_from_any_state_before_concluded(ready_round, clock, suppliers, unchanged, stop_at):
    round_ = ready_round
    officer = round_.lead_people.procurement
    clock.set(timezone.now())
    if stop_at in ("draft", "published"):
        tender = create_tender(round_)
        if stop_at == "published":
            tender_services.tender_publish(tender=tender, actor=officer, publication_reference="BE-4")
    else:
        tender, (a, _b, c) = run_to_evaluated(round_, clock, suppliers)
        if stop_at == "standstill":
            tender_services.tender_award(tender=tender, actor=officer,
                                  awards=[{"lot": a.lot_id, "bid": a.pk}, {"lot": c.lot_id, "bid": c.pk}])
    with unchanged(tender, round_.initiative), pytest.raises(InvalidInput):
        tender_services.tender_cancel(tender=tender, actor=officer, reason=" ")
    tender_services.tender_cancel(tender=tender, actor=officer, reason="The budget was withdrawn.")
    tender.refresh_from_db()
    assert (tender.state, tender.reason) == (TenderState.CANCELLED, "The budget was withdrawn.")
    initiative = round_.refresh()
    assert (initiative.state, initiative.reason) == (InitiativeState.CANCELLED, "The budget was withdrawn.")


def test_the_initiative_is_not_cancelled_on_its_own_while_its_tender_runs(ready_round, clock, unchanged):
    clock.set(timezone.now())
    tender = create_tender(ready_round)
    with unchanged(tender, ready_round.initiative), pytest.raises(TransitionRefused) as refused:
        services.initiative_cancel(initiative=ready_round.initiative, actor=ready_round.lead_people.procurement,
                                   reason="Budget withdrawn")
    assert refused.value.code == "tender_running"
    assert "cancel the tender" in refused.value.message


def test_no_cancel_after_conclusion(ready_round, clock, suppliers, unchanged):
    round_ = ready_round
    officer = round_.lead_people.procurement
    clock.set(timezone.now())
    tender, (a, _b, c) = run_to_evaluated(round_, clock, suppliers)
    tender_services.tender_award(tender=tender, actor=officer,
                          awards=[{"lot": a.lot_id, "bid": a.pk}, {"lot": c.lot_id, "bid": c.pk}])
    tender.refresh_from_db()
    clock.set(tender.standstill_ends)
    tender_services.tender_conclude(tender=tender, actor=officer)
    with unchanged(tender, round_.initiative), pytest.raises(TransitionRefused):
        tender_services.tender_cancel(tender=tender, actor=officer, reason="Too late")


def test_a_tender_needs_a_ready_initiative(round_, clock, unchanged):
    clock.set(timezone.now())
    with unchanged(round_.initiative), pytest.raises(TransitionRefused) as refused:
        create_tender(round_)  # the round is still pooling
    assert refused.value.code == "invalid_state"


def test_a_second_tender_is_refused(ready_round, clock):
    clock.set(timezone.now())
    create_tender(ready_round)
    with pytest.raises(TransitionRefused):
        create_tender(ready_round)
