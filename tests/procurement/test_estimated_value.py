"""The estimated value as the law defines it (art. 7 KB plaatsing 18 april 2017): all lots, all participants,
a framework's maximum quantities, and every renewal; the advice reads it at and around every threshold."""

from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import pytest

from procurement import advice, selectors, valuation
from procurement.advice import procedure_advice
from tests import factories as f
from tests.procurement.test_advice import BELGIAN, EUROPEAN, INVOICE, NEGOTIATED, seeded_in_force

ON = date(2026, 6, 1)  # 30 000 / 140 000 (unconfirmed) / 216 000
CENT = Decimal("0.01")
# threshold, the advice just below it, the advice at or above it
THRESHOLDS = [(Decimal(30000), INVOICE, NEGOTIATED), (Decimal(140000), NEGOTIATED, BELGIAN),
              (Decimal(216000), BELGIAN, EUROPEAN)]


def _table():
    """For every threshold and 0–3 renewals: the largest demand (to the cent) whose estimated value stays
    below the threshold, and the smallest that reaches it."""
    rows = []
    for threshold, below, above in THRESHOLDS:
        for renewals in range(4):
            share = threshold / (renewals + 1)
            low = share.quantize(CENT, rounding=ROUND_FLOOR)
            if low * (renewals + 1) >= threshold:
                low -= CENT
            high = share.quantize(CENT, rounding=ROUND_CEILING)
            rows.append((renewals, low, below))
            rows.append((renewals, high, above))
    return rows


TABLE = _table()


@pytest.mark.parametrize(("renewals", "demand", "expected"), TABLE, ids=[f"{r}x-{d}" for r, d, _ in TABLE])
def test_renewals_count_at_and_around_every_threshold(renewals, demand, expected):
    estimate = valuation.estimate(demand=demand, renewals=renewals)
    assert estimate.total == demand * (renewals + 1)
    assert estimate.demand + estimate.renewals_value == estimate.total
    result = procedure_advice(value=estimate.total, on=ON, thresholds=seeded_in_force(ON), estimate=estimate)
    assert (result.procedure, result.publication) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("renewals", "demand", "expected"), TABLE, ids=[f"{r}x-{d}" for r, d, _ in TABLE])
def test_the_selector_advises_on_the_value_with_renewals(renewals, demand, expected):
    initiative = f.InitiativeFactory(planned_procedure_start=ON, renewals=renewals,
                                     kind="framework_contract", framework_term_months=12)
    result = selectors.advice_for(initiative, demand=demand)
    assert (result.procedure, result.publication) == expected
    assert result.value == selectors.estimated_value(initiative, demand=demand).total == demand * (renewals + 1)
    assert result.as_dict()["estimated_value"]["renewals"] == renewals


def test_the_value_is_rounded_once_from_the_exact_demand():
    # 0.005 € of demand over the term: 0.01 alone, 0.02 with three renewals (0.02 exact), not 4 × 0.01.
    estimate = valuation.estimate(demand=Decimal("0.005"), renewals=3)
    assert (estimate.demand, estimate.total, estimate.renewals_value) == (CENT, Decimal("0.02"), CENT)


def test_the_advice_says_what_the_renewals_add():
    estimate = valuation.estimate(demand=Decimal("108470"), renewals=1)
    result = procedure_advice(value=estimate.total, on=ON, thresholds=seeded_in_force(ON), estimate=estimate)
    assert (result.procedure, result.publication) == (advice.OPEN, advice.PUBLICATION_EUROPEAN)
    assert result.reasons[1] == (
        "The demand over the initial term is worth 108.470,00 €; with 1 renewal(s) of that term (108.470,00 €) "
        "the estimated value is 216.940,00 € (art. 7 KB plaatsing 18 april 2017).")


def test_without_renewals_nothing_is_added():
    estimate = valuation.estimate(demand=Decimal("1234.565"), renewals=0)
    assert (estimate.demand, estimate.renewals_value, estimate.total) == (Decimal("1234.57"), 0, Decimal("1234.57"))
