"""Reads and aggregates: the pooled value and subtotals to the cent, whose demand counts, which date's
thresholds apply, and the counts per state."""

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest

from procurement import selectors
from procurement.models import InitiativeKind, InitiativeState, ParticipationState, Threshold, ThresholdKind
from tests import factories as f
from tests.conftest import move

BRUSSELS = ZoneInfo("Europe/Brussels")
CENT = Decimal("0.01")
P = ParticipationState
S = InitiativeState

pytestmark = [pytest.mark.django_db]


def exact(pairs, vat=Decimal("0")) -> Decimal:
    """The reference: Decimal arithmetic on the whole sum, rounded once, half up."""
    total = sum((Decimal(q) * Decimal(p) for q, p in pairs), Decimal("0"))
    return (total * (1 + vat / 100)).quantize(CENT, rounding=ROUND_HALF_UP)


@pytest.fixture
def initiative():
    return move(f.InitiativeFactory(), S.POOLING)


def item(initiative, price: str, vat: str = "21"):
    return f.ItemFactory(lot__initiative=initiative, estimated_unit_price=Decimal(price), vat_rate=Decimal(vat))


def participation(initiative, state=P.DRAFT, lines=()):
    p = f.ParticipationFactory(initiative=initiative, state=state)
    for it, quantity, *maximum in lines:
        f.DemandLineFactory(participation=p, item=it, quantity=Decimal(quantity),
                            max_quantity=Decimal(maximum[0]) if maximum else None)
    return p


# --- exact to the cent ---

AMOUNTS = [
    # (quantity, unit price): products with 3 or 4 decimals, and the floats that go wrong in binary
    [("3.33", "19.99")],  # 66.5667
    [("0.5", "0.01")],  # 0.005 → 0.01 (half up)
    [("0.49", "0.01")],  # 0.0049 → 0.00
    [("2.5", "0.35"), ("1.5", "0.35")],  # 0.875 + 0.525 = 1.40 (rounded once, not 0.88 + 0.53)
    [("0.1", "0.10"), ("0.2", "0.10"), ("0.3", "0.10")],  # 0.06 exactly, floats would say 0.060000000000000005
    [("1.15", "100.00")],  # 115.00 (1.15 is 1.149999… as a float)
    [("40", "900.00"), ("12", "210.00"), ("7.25", "180.00")],  # 39 825.00
    [("1000000", "99999999.99")],  # the largest line there can be
    [("999999.99", "0.01"), ("0.01", "99999999.99")],
]


@pytest.mark.parametrize("pairs", AMOUNTS, ids=lambda pairs: "+".join("×".join(p) for p in pairs))
def test_pooled_value_and_subtotal_are_exact_to_the_cent(initiative, pairs):
    p = participation(initiative, lines=[(item(initiative, price), quantity) for quantity, price in pairs])
    totals = selectors.demand_totals(initiative)
    assert totals.pooled_value == exact(pairs)
    assert totals.subtotals == {p.pk: exact(pairs)}
    assert totals.pooled_value_incl_vat == exact(pairs, Decimal("21"))
    assert totals.subtotals_incl_vat == {p.pk: exact(pairs, Decimal("21"))}
    assert selectors.pooled_value(initiative) == exact(pairs)
    assert selectors.participation_subtotal(p) == exact(pairs)


def test_several_participations_vat_rates_and_lots(initiative):
    laptop, book, food, phone = (item(initiative, "899.99", "21"), item(initiative, "12.35", "6"),
                                 item(initiative, "3.33", "12"), item(initiative, "0.07", "0"))
    a = participation(initiative, lines=[(laptop, "17"), (book, "3.5"), (food, "0.33")])
    b = participation(initiative, P.SUBMITTED, lines=[(laptop, "2.25"), (phone, "333.33")])
    c = participation(initiative, P.APPROVED, lines=[(book, "1000000")])
    totals = selectors.demand_totals(initiative)
    excl = {
        a.pk: exact([("17", "899.99"), ("3.5", "12.35"), ("0.33", "3.33")]),
        b.pk: exact([("2.25", "899.99"), ("333.33", "0.07")]),
        c.pk: exact([("1000000", "12.35")]),
    }
    incl = {
        a.pk: (Decimal("17") * Decimal("899.99") * Decimal("1.21") + Decimal("3.5") * Decimal("12.35")
               * Decimal("1.06") + Decimal("0.33") * Decimal("3.33") * Decimal("1.12")).quantize(CENT, ROUND_HALF_UP),
        b.pk: (Decimal("2.25") * Decimal("899.99") * Decimal("1.21") + Decimal("333.33") * Decimal("0.07"))
        .quantize(CENT, ROUND_HALF_UP),
        c.pk: (Decimal("1000000") * Decimal("12.35") * Decimal("1.06")).quantize(CENT, ROUND_HALF_UP),
    }
    assert totals.subtotals == excl
    assert totals.subtotals_incl_vat == incl
    assert totals.pooled_value == exact([("17", "899.99"), ("3.5", "12.35"), ("0.33", "3.33"), ("2.25", "899.99"),
                                         ("333.33", "0.07"), ("1000000", "12.35")])
    assert totals.pooled_value == Decimal("12367392.46")
    assert totals.pooled_value_incl_vat == Decimal("13112033.40")


def test_nothing_yet_is_zero(initiative):
    totals = selectors.demand_totals(initiative)
    assert (totals.pooled_value, totals.pooled_value_incl_vat, totals.subtotals) == (Decimal("0.00"),
                                                                                     Decimal("0.00"), {})
    assert selectors.participation_subtotal(participation(initiative)) == Decimal("0.00")


def test_other_initiatives_do_not_count(initiative):
    other = move(f.InitiativeFactory(), S.POOLING)
    participation(other, lines=[(item(other, "100.00"), "5")])
    participation(initiative, lines=[(item(initiative, "100.00"), "1")])
    assert selectors.pooled_value(initiative) == Decimal("100.00")


def test_framework_counts_the_maximum_quantity_where_given():
    framework = move(f.InitiativeFactory(kind=InitiativeKind.FRAMEWORK_CONTRACT, framework_term_months=48),
                     S.POOLING)
    printer, toner = item(framework, "250.00"), item(framework, "45.50")
    p = participation(framework, lines=[(printer, "4", "10"), (toner, "20")])
    assert selectors.pooled_value(framework) == Decimal("3410.00")  # 10 × 250 + 20 × 45.50
    assert selectors.participation_subtotal(p) == Decimal("3410.00")


# --- whose demand counts ---

BEFORE_FREEZE = [S.DRAFT, S.POOLING, S.DECIDING]
FROZEN = [S.READY, S.TENDERING, S.AWARDED, S.ACTIVE, S.CLOSED, S.UNSUCCESSFUL]


@pytest.mark.parametrize("state", BEFORE_FREEZE + FROZEN)
def test_counting_states(initiative, state):
    laptop = item(initiative, "1000.00")
    by_state = {s: participation(initiative, s, lines=[(laptop, str(i + 1))]) for i, s in enumerate(P.values)}
    move(initiative, state)
    counted = [P.APPROVED] if state in FROZEN else [P.DRAFT, P.SUBMITTED, P.APPROVED]
    totals = selectors.demand_totals(initiative)
    assert set(totals.subtotals) == {by_state[s].pk for s in counted}
    assert totals.pooled_value == sum(Decimal(1000 * (P.values.index(s) + 1)) for s in counted)
    assert selectors.counting_states(initiative) == tuple(counted)
    # A participation's own subtotal counts whatever its state (the alderman sees what is decided on).
    assert selectors.participation_subtotal(by_state[P.DECLINED]) == Decimal("4000.00")


def test_explicit_states(initiative):
    laptop = item(initiative, "10.00")
    participation(initiative, P.DECLINED, lines=[(laptop, "3")])
    participation(initiative, P.APPROVED, lines=[(laptop, "1")])
    assert selectors.demand_totals(initiative, states=(P.DECLINED,)).pooled_value == Decimal("30.00")


# --- which date's thresholds ---

def test_the_planned_start_decides(initiative):
    initiative.planned_procedure_start = date(2025, 12, 31)
    assert selectors.procedure_start(initiative) == date(2025, 12, 31)


def test_without_a_planned_start_the_day_after_the_decision_deadline_in_brussels(initiative, clock):
    clock.set(datetime(2025, 11, 1, 9, tzinfo=UTC))
    # 31-12-2025 23:30 UTC is already 1 January in Brussels: the procedure can start on 2 January.
    initiative.decision_deadline = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
    assert selectors.procedure_start(initiative) == date(2026, 1, 2)
    initiative.decision_deadline = datetime(2025, 12, 31, 17, 0, tzinfo=BRUSSELS)
    assert selectors.procedure_start(initiative) == date(2026, 1, 1)
    initiative.decision_deadline = datetime(2025, 12, 30, 17, 0, tzinfo=BRUSSELS)
    assert selectors.procedure_start(initiative) == date(2025, 12, 31)


def test_a_decision_deadline_on_new_years_eve_uses_the_new_thresholds(initiative, clock):
    clock.set(datetime(2025, 11, 1, 9, tzinfo=UTC))
    initiative.planned_procedure_start = None
    initiative.decision_deadline = datetime(2025, 12, 31, 17, 0, tzinfo=BRUSSELS)
    advice = selectors.advice_for(initiative, demand=Decimal("141000"))
    assert advice.on == date(2026, 1, 1)
    assert advice.threshold == Decimal("216000")  # 141 000 ≥ 140 000: a procedure with publication


def test_a_past_decision_deadline_means_today(initiative, clock):
    clock.set(datetime(2026, 11, 21, 12, tzinfo=UTC))
    initiative.decision_deadline = datetime(2026, 1, 1, tzinfo=UTC)
    assert selectors.procedure_start(initiative) == date(2026, 11, 21)
    initiative.decision_deadline = None
    assert selectors.procedure_start(initiative) == date(2026, 11, 21)


def test_thresholds_in_force_takes_the_newest_row_per_kind():
    Threshold.objects.create(kind=ThresholdKind.ACCEPTED_INVOICE, amount=Decimal("35000"),
                             valid_from=date(2026, 7, 1), valid_until=None, source="test")
    assert selectors.thresholds_in_force(date(2026, 6, 30))[ThresholdKind.ACCEPTED_INVOICE].amount == Decimal("30000")
    assert selectors.thresholds_in_force(date(2026, 7, 1))[ThresholdKind.ACCEPTED_INVOICE].amount == Decimal("35000")
    # Open-ended: still in force after the seeded period ends.
    in_2030 = selectors.thresholds_in_force(date(2030, 1, 1))
    assert list(in_2030) == [ThresholdKind.ACCEPTED_INVOICE]


# --- counts and lines ---

def test_participation_counts_name_every_state(initiative):
    participation(initiative, P.SUBMITTED)
    participation(initiative, P.SUBMITTED)
    participation(initiative, P.DECLINED)
    assert selectors.participation_counts(initiative) == {
        "draft": 0, "submitted": 2, "approved": 0, "declined": 1, "withdrawn": 0, "lapsed": 0,
    }


def test_demand_lines_in_lot_and_item_order(initiative):
    lot2 = f.LotFactory(initiative=initiative, number=2)
    lot1 = f.LotFactory(initiative=initiative, number=1)
    second = f.ItemFactory(lot=lot1, position=2)
    first = f.ItemFactory(lot=lot1, position=1)
    last = f.ItemFactory(lot=lot2, position=1)
    p = participation(initiative, lines=[(last, "1"), (second, "1"), (first, "1")])
    assert [line.item for line in selectors.demand_lines(p)] == [first, second, last]
