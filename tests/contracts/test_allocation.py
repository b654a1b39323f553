"""Largest-remainder allocation: the parts are whole cents and sum exactly to the rounded total."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import allocate

D = Decimal


def rounded(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize("name, unit_price, quantities, expected", [
    ("333.33 × 0.5 three times: 499.995 → 500.00; ties go to the first two",
     "333.33", ["0.5", "0.5", "0.5"], ["166.67", "166.67", "166.66"]),
    ("333.33 × 1 three times: exact", "333.33", ["1", "1", "1"], ["333.33", "333.33", "333.33"]),
    ("333.33 × 1.25, 2.5, 3.75: 2499.975 → 2499.98, the largest remainders first",
     "333.33", ["1.25", "2.5", "3.75"], ["416.66", "833.33", "1249.99"]),
    ("333.33 × 0.33, 0.33, 0.34: 333.33 → 333.33", "333.33", ["0.33", "0.33", "0.34"], ["110.00", "110.00", "113.33"]),
    ("0.01 × 0.5 twice: 0.01 to the first", "0.01", ["0.5", "0.5"], ["0.01", "0.00"]),
    ("a participant without demand gets nothing", "333.33", ["0.5", "0", "0.5"], ["166.67", "0.00", "166.66"]),
])
def test_awkward_prices(name, unit_price, quantities, expected):
    price = D(unit_price)
    shares = [(i, price * D(q)) for i, q in enumerate(quantities)]
    total = rounded(price * sum(D(q) for q in quantities))
    parts = allocate(total, shares)
    assert [str(parts[i]) for i in range(len(quantities))] == expected, name
    assert sum(parts.values()) == total


def test_the_order_breaks_ties_deterministically():
    shares = [("b", D("166.665")), ("a", D("166.665")), ("c", D("166.665"))]
    assert allocate(D("500.00"), shares) == {"b": D("166.67"), "a": D("166.67"), "c": D("166.66")}


def test_a_total_that_does_not_fit_is_refused():
    with pytest.raises(ValueError):
        allocate(D("10.00"), [("a", D("1.00"))])
    with pytest.raises(ValueError):
        allocate(D("1.005"), [("a", D("1.005"))])


@given(
    price=st.decimals(min_value=D("0.00"), max_value=D("99999.99"), places=2),
    quantities=st.lists(st.decimals(min_value=D("0"), max_value=D("9999.99"), places=2), min_size=1, max_size=12),
)
def test_parts_always_sum_to_the_rounded_total_and_stay_within_a_cent(price, quantities):
    shares = [(i, price * q) for i, q in enumerate(quantities)]
    total = rounded(price * sum(quantities, D("0")))
    parts = allocate(total, shares)
    assert sum(parts.values(), D("0")) == total
    for i, exact in shares:
        assert parts[i] == parts[i].quantize(D("0.01"))
        assert abs(parts[i] - exact) < D("0.01")
