"""The pure scoring functions, table-driven: criteria, bid prices, quality scores and the ranking."""

from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tendering import scoring
from tendering.scoring import BidEntry, Criterion

D = Decimal
PRICE = Criterion(key="p", name="Price", weight=60, is_price=True)
QUALITY = Criterion(key="q", name="Quality", weight=30, is_price=False)
SERVICE = Criterion(key="s", name="Service", weight=10, is_price=False)
CRITERIA = [PRICE, QUALITY, SERVICE]
PRICE_ONLY = [Criterion(key="p", name="Price", weight=100, is_price=True)]


def ranked(bids, criteria=CRITERIA):
    return [(s.key, s.rank, s.score) for s in scoring.rank(bids, criteria)]


@pytest.mark.parametrize("name, bids, criteria, expected", [
    (
        "one bid gets the full price weight",
        [BidEntry("a", D("1000.00"), quality={"q": D("20"), "s": D("5")})],
        CRITERIA,
        [("a", 1, D("85.00"))],
    ),
    (
        "the lowest price gets the full weight, the others weight × lowest ÷ own (two decimals, half up)",
        [BidEntry("a", D("1000.00")), BidEntry("b", D("1500.00")), BidEntry("c", D("3000.00"))],
        PRICE_ONLY,
        [("a", 1, D("100.00")), ("b", 2, D("66.67")), ("c", 3, D("33.33"))],
    ),
    (
        "an exact half: 100 × 1 ÷ 1.6 = 62.5",
        [BidEntry("a", D("1.00")), BidEntry("b", D("1.60"))],
        PRICE_ONLY,
        [("a", 1, D("100.00")), ("b", 2, D("62.50"))],
    ),
    (
        "equal score: the lower price ranks first",
        # a: 60 + 10 = 70; b: 60 × 1000/1200 = 50 + 20 = 70.
        [BidEntry("b", D("1200.00"), quality={"q": D("20")}, received=1),
         BidEntry("a", D("1000.00"), quality={"q": D("10")}, received=2)],
        [PRICE, QUALITY, SERVICE],
        [("a", 1, D("70.00")), ("b", 2, D("70.00"))],
    ),
    (
        "equal score and equal price: the earlier bid ranks first",
        [BidEntry("late", D("1000.00"), received=datetime(2026, 12, 1, 10, 5)),
         BidEntry("early", D("1000.00"), received=datetime(2026, 12, 1, 10, 0))],
        PRICE_ONLY,
        [("early", 1, D("100.00")), ("late", 2, D("100.00"))],
    ),
    (
        "an irregular lowest bid is not ranked and does not set the lowest price",
        [BidEntry("cheap", D("500.00"), regular=False), BidEntry("a", D("1000.00")), BidEntry("b", D("2000.00"))],
        PRICE_ONLY,
        [("a", 1, D("100.00")), ("b", 2, D("50.00")), ("cheap", None, None)],
    ),
    (
        "quality-only differences decide between equal prices",
        [BidEntry("a", D("1000.00"), quality={"q": D("12.5"), "s": D("10")}),
         BidEntry("b", D("1000.00"), quality={"q": D("29.99"), "s": D("0")})],
        CRITERIA,
        [("b", 1, D("89.99")), ("a", 2, D("82.50"))],
    ),
    (
        "only irregular bids: nothing is ranked",
        [BidEntry("x", D("10.00"), regular=False)],
        PRICE_ONLY,
        [("x", None, None)],
    ),
    (
        "a bid of zero is the lowest possible",
        [BidEntry("free", D("0.00")), BidEntry("a", D("10.00"))],
        PRICE_ONLY,
        [("free", 1, D("100.00")), ("a", 2, D("0.00"))],
    ),
])
def test_ranking(name, bids, criteria, expected):
    assert ranked(bids, criteria) == expected, name


def test_the_score_is_the_exact_sum_of_its_rounded_parts():
    result = scoring.rank(
        [BidEntry("a", D("999.99"), quality={"q": D("15.55"), "s": D("3")}),
         BidEntry("b", D("1234.57"), quality={"q": D("30"), "s": D("10")})],
        CRITERIA,
    )
    by_key = {s.key: s for s in result}
    for s in result:
        assert s.score == s.price_score + s.quality_score
        assert s.scores["p"] == s.price_score
        assert s.price_score == s.price_score.quantize(D("0.01"))
    assert by_key["b"].price_score == D("48.60")  # 60 × 999.99 / 1234.57 = 48.5996…
    assert [s.key for s in result] == ["b", "a"]  # 48.60 + 40 = 88.60 before 60 + 18.55 = 78.55


@pytest.mark.parametrize("value, expected", [
    (D("37.495"), D("37.50")), (D("37.494999"), D("37.49")), (D("0.005"), D("0.01")), (D("99.999"), D("100.00")),
])
def test_the_one_rounding_rule_is_two_decimals_half_up(value, expected):
    assert scoring.round_score(value) == expected


@given(totals=st.lists(st.decimals(min_value=D("0.01"), max_value=D("1000000"), places=2), min_size=1, max_size=8))
def test_price_scores_never_exceed_the_weight_and_the_lowest_gets_it(totals):
    result = scoring.rank([BidEntry(i, t, received=i) for i, t in enumerate(totals)], PRICE_ONLY)
    assert result[0].price_score == D("100.00")
    assert all(D("0") <= s.price_score <= D("100") for s in result)
    assert [s.rank for s in result] == list(range(1, len(totals) + 1))
    assert all(a.score >= b.score for a, b in zip(result, result[1:], strict=False))


@pytest.mark.parametrize("name, criteria, error", [
    ("valid", [{"name": "Price", "weight": 70, "is_price": True}, {"name": "Quality", "weight": 30}], None),
    ("weights summing to 90", [{"name": "Price", "weight": 60, "is_price": True},
                               {"name": "Quality", "weight": 30}], "sum to 90"),
    ("weights summing to 110", [{"name": "Price", "weight": 80, "is_price": True},
                                {"name": "Quality", "weight": 30}], "sum to 110"),
    ("no price criterion", [{"name": "Quality", "weight": 100, "is_price": False}], "exactly one price"),
    ("two price criteria", [{"name": "Price", "weight": 50, "is_price": True},
                            {"name": "TCO", "weight": 50, "is_price": True}], "one price criterion only"),
    ("a weight with decimals", [{"name": "Price", "weight": "99.5", "is_price": True},
                                {"name": "Quality", "weight": "0.5"}], "whole number"),
    ("a zero weight", [{"name": "Price", "weight": 100, "is_price": True}, {"name": "Q", "weight": 0}], "from 1"),
    ("a name twice", [{"name": "Price", "weight": 50, "is_price": True}, {"name": "price", "weight": 50}],
     "appears twice"),
    ("nothing", [], "Give the award criteria"),
])
def test_award_criteria(name, criteria, error):
    errors = scoring.criteria_errors(criteria)
    if error is None:
        assert errors == {}, name
    else:
        assert error in str(errors["award_criteria"]), name


def test_criteria_errors_come_by_position():
    errors = scoring.criteria_errors([{"name": "Price", "weight": 100, "is_price": True}, {"name": "", "weight": "x"}])
    assert errors["award_criteria"][0] == {}
    assert set(errors["award_criteria"][1]) == {"name", "weight"}


QUANTITIES = {1: D("65.00"), 2: D("50.00")}


@pytest.mark.parametrize("name, unit_prices, errors, total", [
    ("every item priced", [{"item": 1, "unit_price": "850.00"}, {"item": 2, "unit_price": "170"}], None,
     D("63750.00")),
    ("a missing unit price", [{"item": 1, "unit_price": "850.00"}], {"unit_prices": ["A unit price is missing for: "
                                                                                     "Dock."]}, None),
    ("an item of another lot", [{"item": 1, "unit_price": "1"}, {"item": 2, "unit_price": "1"},
                                {"item": 9, "unit_price": "1"}], {"unit_prices": [{}, {}, {"item": ["Item 9 is not "
                                                                                                    "part of this "
                                                                                                    "lot."]}]}, None),
    ("an item twice", [{"item": 1, "unit_price": "1"}, {"item": 1, "unit_price": "2"}, {"item": 2, "unit_price": "1"}],
     {"unit_prices": [{}, {"item": ["Item “Laptop” appears twice; give one unit price per item."]}, {}]}, None),
    ("a unit price without the item", [{"item": 1}, {"item": 2, "unit_price": "1"}],
     {"unit_prices": [{"unit_price": ["This field is required."]}, {}]}, None),
    ("a negative unit price", [{"item": 1, "unit_price": "-1"}, {"item": 2, "unit_price": "1"}],
     {"unit_prices": [{"unit_price": ["Enter zero or more."]}, {}]}, None),
    ("three decimals", [{"item": 1, "unit_price": "1.005"}, {"item": 2, "unit_price": "1"}],
     {"unit_prices": [{"unit_price": ["Use at most two decimals."]}, {}]}, None),
    ("no lines", [], {"unit_prices": ["Give a unit price for every item of the lot."]}, None),
])
def test_bid_prices(name, unit_prices, errors, total):
    lines, found = scoring.priced_lines(QUANTITIES, unit_prices, names={1: "Laptop", 2: "Dock"})
    if errors is None:
        assert found == {}, name
        assert sum(line.amount for line in lines) == total
    else:
        assert found == errors, name
        assert lines == []


def test_a_line_is_rounded_to_the_cent_half_up():
    lines, _ = scoring.priced_lines({1: D("0.50")}, [{"item": 1, "unit_price": "333.33"}])
    assert lines[0].amount == D("166.67")  # 166.665


@pytest.mark.parametrize("name, entered, error", [
    ("within the weights", [{"criterion": "q", "score": "30"}, {"criterion": "s", "score": "0"}], None),
    ("above the weight", [{"criterion": "q", "score": "30.01"}], "from 0 to 30"),
    ("below zero", [{"criterion": "s", "score": "-1"}], "zero or more"),
    ("the price criterion", [{"criterion": "p", "score": "10"}], "computed from the totals"),
    ("an unknown criterion", [{"criterion": "x", "score": "1"}], "not an award criterion"),
    ("a criterion twice", [{"criterion": "q", "score": "1"}, {"criterion": "q", "score": "2"}], "appears twice"),
])
def test_quality_scores(name, entered, error):
    parsed, errors = scoring.quality_errors(CRITERIA, entered)
    if error is None:
        assert errors == {} and parsed == {"q": D("30.00"), "s": D("0.00")}, name
    else:
        assert error in str(errors["quality_scores"]), name
