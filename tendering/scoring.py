"""Award criteria, bid prices and the ranking of bids: pure functions, no database.

The rounding rule, stated once and applied in one place (``round_score``): a score is rounded to two
decimals, half up. Only the price score involves a division, so it is the only score that is rounded; a
quality score is entered with at most two decimals and the total score is the exact sum of the rounded
parts, so that the scores in the award report always add up. Money is rounded to the cent, half up, per
line (``line_amount``): a bid's total is the sum of its rounded lines.

Sharing an award over the participants (``allocate``): see there; the contracts and the award report use it.

Ranking per lot: regular bids only (an irregular bid is never ranked, whatever its price); a higher score
ranks first; an equal score ranks the lower total first, then the bid received first, then the lower id.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from core.money import line_amount

SCORE_QUANTUM = Decimal("0.01")
WEIGHT_TOTAL = 100
MAX_UNIT_PRICE = Decimal("99999999.99")


def round_score(value: Decimal) -> Decimal:
    """THE rounding rule for scores: two decimals, half up."""
    return Decimal(value).quantize(SCORE_QUANTUM, rounding=ROUND_HALF_UP)


# --- award criteria ---


@dataclass(frozen=True)
class Criterion:
    key: Hashable
    name: str
    weight: int
    is_price: bool


def criteria_errors(criteria: Any) -> dict[str, list]:
    """Check the award criteria as entered: ``[{name, weight, is_price}, …]``.

    Exactly one price criterion; whole-number weights from 1 to 100 that sum to 100; distinct names.
    Errors by position under ``award_criteria`` (``[{"weight": [...]}, {}]``), or one message for the set.
    """
    if not isinstance(criteria, (list, tuple)) or not criteria:
        return {"award_criteria": [_("Give the award criteria, with a price criterion; the weights sum to 100.")]}
    rows: list[dict[str, list[str]]] = []
    names: set[str] = set()
    weights: list[int] = []
    prices = 0
    for entry in criteria:
        errors: dict[str, list[str]] = {}
        if not isinstance(entry, Mapping):
            rows.append({"non_field_errors": [_("Each criterion is an object with name, weight and is_price.")]})
            continue
        name = str(entry.get("name") or "").strip()
        if not name:
            errors["name"] = [_("This field is required.")]
        elif len(name) > 200:
            errors["name"] = [_("Use at most 200 characters.")]
        elif name.lower() in names:
            errors["name"] = [_("Criterion “%(name)s” appears twice.") % {"name": name}]
        names.add(name.lower())
        weight = entry.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, (int, Decimal, str, float)):
            errors["weight"] = [_("Enter a whole number from 1 to 100.")]
        else:
            try:
                number = Decimal(str(weight).strip())
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite() or number != number.to_integral_value():
                errors["weight"] = [_("A weight is a whole number.")]
            elif not 1 <= number <= WEIGHT_TOTAL:
                errors["weight"] = [_("Enter a whole number from 1 to 100.")]
            else:
                weights.append(int(number))
        if entry.get("is_price") is True:
            prices += 1
        elif entry.get("is_price") not in (False, None):
            errors["is_price"] = [_("Must be true or false.")]
        rows.append(errors)
    if any(rows):
        return {"award_criteria": rows}
    if prices != 1:
        return {"award_criteria": [
            _("Name exactly one price criterion (is_price: true); the price counts in every award.")
            if prices == 0 else _("Name one price criterion only; the price score is computed once.")
        ]}
    if sum(weights) != WEIGHT_TOTAL:
        return {"award_criteria": [
            _("The weights must sum to 100; they sum to %(total)s now.") % {"total": sum(weights)}
        ]}
    return {}


# --- quality scores ---


def quality_errors(criteria: Sequence[Criterion], scores: Any) -> tuple[dict[Hashable, Decimal], dict[str, list]]:
    """Parse ``[{criterion, score}, …]``: only quality criteria, each once, a score from 0 to its weight
    with at most two decimals. Returns the scores by criterion key, or the errors by position."""
    if scores in (None, ""):
        scores = []
    if not isinstance(scores, (list, tuple)):
        return {}, {"quality_scores": [_("Send a list of {criterion, score}.")]}
    by_key = {c.key: c for c in criteria}
    parsed: dict[Hashable, Decimal] = {}
    rows: list[dict[str, list[str]]] = []
    for entry in scores:
        errors: dict[str, list[str]] = {}
        if not isinstance(entry, Mapping):
            rows.append({"non_field_errors": [_("Each score is an object with criterion and score.")]})
            continue
        criterion = by_key.get(entry.get("criterion"))
        if entry.get("criterion") in (None, ""):
            errors["criterion"] = [_("This field is required.")]
        elif criterion is None:
            errors["criterion"] = [_("Criterion %(id)s is not an award criterion of this tender.")
                                   % {"id": entry.get("criterion")}]
        elif criterion.is_price:
            errors["criterion"] = [_("The price score is computed from the totals; do not enter it.")]
        elif criterion.key in parsed:
            errors["criterion"] = [_("Criterion “%(name)s” appears twice.") % {"name": criterion.name}]
        score = _decimal(entry.get("score"), errors, "score")
        if score is not None and criterion is not None and not criterion.is_price and not 0 <= score <= criterion.weight:
            errors["score"] = [_("Enter a score from 0 to %(weight)s (the weight of “%(name)s”).")
                               % {"weight": criterion.weight, "name": criterion.name}]
        if not errors and criterion is not None and score is not None:
            parsed[criterion.key] = score
        rows.append(errors)
    if any(rows):
        return {}, {"quality_scores": rows}
    return parsed, {}


def missing_quality(criteria: Sequence[Criterion], scores: Mapping[Hashable, Decimal]) -> list[Criterion]:
    return [c for c in criteria if not c.is_price and c.key not in scores]


# --- bid prices ---


@dataclass(frozen=True)
class PricedLine:
    item: Hashable
    unit_price: Decimal
    quantity: Decimal
    amount: Decimal


def priced_lines(
    quantities: Mapping[Hashable, Decimal], unit_prices: Any, *, names: Mapping[Hashable, str] | None = None,
) -> tuple[list[PricedLine], dict[str, list]]:
    """Price every item of a lot: ``quantities`` are the lot's items with their pooled quantity,
    ``unit_prices`` the entered ``[{item, unit_price}, …]``.

    Every item needs exactly one unit price: an unknown or repeated item is an error at its position, a
    missing item is named in one message. Returns the lines in the lot's order, or the errors."""
    names = names or {}
    if not isinstance(unit_prices, (list, tuple)) or not unit_prices:
        return [], {"unit_prices": [_("Give a unit price for every item of the lot.")]}
    prices: dict[Hashable, Decimal] = {}
    named: set[Hashable] = set()  # items given on some line, right or wrong (so not "missing")
    rows: list[dict[str, list[str]]] = []
    for entry in unit_prices:
        errors: dict[str, list[str]] = {}
        if not isinstance(entry, Mapping):
            rows.append({"non_field_errors": [_("Each line is an object with item and unit_price.")]})
            continue
        item = entry.get("item")
        if item in (None, ""):
            errors["item"] = [_("This field is required.")]
        elif item not in quantities:
            errors["item"] = [_("Item %(item)s is not part of this lot.") % {"item": item}]
        elif item in prices:
            errors["item"] = [_("Item “%(name)s” appears twice; give one unit price per item.")
                              % {"name": names.get(item, item)}]
        if item in quantities:
            named.add(item)
        price = _decimal(entry.get("unit_price"), errors, "unit_price")
        if price is not None and price > MAX_UNIT_PRICE:
            errors["unit_price"] = [_("Enter at most 99.999.999,99.")]
        if not errors:
            prices[item] = price
        rows.append(errors)
    result: dict[str, list] = {}
    if any(rows):
        result["unit_prices"] = rows
    missing = [item for item in quantities if item not in named]
    if missing and not result:
        result["unit_prices"] = [_("A unit price is missing for: %(items)s.")
                                 % {"items": ", ".join(str(names.get(i, i)) for i in missing)}]
    elif missing:
        result["non_field_errors"] = [_("A unit price is missing for: %(items)s.")
                                      % {"items": ", ".join(str(names.get(i, i)) for i in missing)}]
    if result:
        return [], result
    lines = [
        PricedLine(item=item, unit_price=prices[item], quantity=quantity, amount=line_amount(prices[item], quantity))
        for item, quantity in quantities.items()
    ]
    return lines, {}


def _decimal(value: Any, errors: dict[str, list[str]], field_name: str) -> Decimal | None:
    """A non-negative amount with at most two decimals (a price or a score)."""
    if value is None or value == "":
        errors[field_name] = [_("This field is required.")]
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        errors[field_name] = [_("Enter a number.")]
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors[field_name] = [_("Enter a number, like 12 or 899.95.")]
        return None
    if not number.is_finite():
        errors[field_name] = [_("Enter a finite number.")]
    elif number < 0:
        errors[field_name] = [_("Enter zero or more.")]
    elif number != number.quantize(SCORE_QUANTUM):
        errors[field_name] = [_("Use at most two decimals.")]
    else:
        return number.quantize(SCORE_QUANTUM)
    return None


# --- ranking ---


@dataclass(frozen=True)
class BidEntry:
    key: Hashable
    total: Decimal
    regular: bool = True
    quality: Mapping[Hashable, Decimal] = field(default_factory=dict)
    received: Any = 0  # anything that orders: the moment the bid was received


@dataclass(frozen=True)
class Scored:
    key: Hashable
    total: Decimal
    regular: bool
    price_score: Decimal | None
    quality_score: Decimal | None
    score: Decimal | None
    rank: int | None
    scores: Mapping[Hashable, Decimal] = field(default_factory=dict)  # per criterion, price included


def price_score(*, weight: int, lowest: Decimal, total: Decimal) -> Decimal:
    """weight × lowest regular total ÷ this bid's total, rounded by ``round_score``.

    A bid of 0 is the lowest possible and gets the full weight; when the lowest is 0, every other bid 0."""
    if total <= 0:
        return round_score(Decimal(weight))
    return round_score(Decimal(weight) * Decimal(lowest) / Decimal(total))


def rank(bids: Sequence[BidEntry], criteria: Sequence[Criterion]) -> list[Scored]:
    """Score and rank the bids of one lot. Ranked bids come first, in rank order; irregular bids follow,
    unranked, in the order they were received. A missing quality score counts as 0 (evaluation refuses
    to start until every regular bid is scored)."""
    price = next((c for c in criteria if c.is_price), None)
    regular = [b for b in bids if b.regular]
    lowest = min((b.total for b in regular), default=None)
    scored: list[Scored] = []
    for bid in regular:
        per_criterion: dict[Hashable, Decimal] = {}
        price_part = Decimal("0.00")
        if price is not None and lowest is not None:
            price_part = price_score(weight=price.weight, lowest=lowest, total=bid.total)
            per_criterion[price.key] = price_part
        quality_part = Decimal("0.00")
        for criterion in criteria:
            if criterion.is_price:
                continue
            value = Decimal(bid.quality.get(criterion.key, Decimal("0.00")))
            per_criterion[criterion.key] = value
            quality_part += value
        scored.append(Scored(key=bid.key, total=bid.total, regular=True, price_score=price_part,
                             quality_score=quality_part, score=price_part + quality_part, rank=None,
                             scores=per_criterion))
    order = {b.key: (b.received, _sortable(b.key)) for b in bids}
    scored.sort(key=lambda s: (-s.score, s.total, order[s.key]))
    ranked = [
        Scored(key=s.key, total=s.total, regular=True, price_score=s.price_score, quality_score=s.quality_score,
               score=s.score, rank=position, scores=s.scores)
        for position, s in enumerate(scored, start=1)
    ]
    irregular = sorted((b for b in bids if not b.regular), key=lambda b: order[b.key])
    ranked.extend(
        Scored(key=b.key, total=b.total, regular=False, price_score=None, quality_score=None, score=None, rank=None)
        for b in irregular
    )
    return ranked


def _sortable(key: Hashable) -> tuple[int, Any]:
    return (0, key) if isinstance(key, int) else (1, str(key))


# --- sharing an award ---
