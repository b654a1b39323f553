"""Reads and aggregates: the pooled value, subtotals, advice, counts. No state changes here."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import BigIntegerField, Count, F, Q, Sum
from django.db.models.functions import Cast, Coalesce, Round
from django.utils import timezone

from core.money import cents
from procurement import advice as advice_module
from procurement import procedures, valuation

from .models import (
    ACTIVE_STATES,
    DemandLine,
    Initiative,
    InitiativeKind,
    Participation,
    ParticipationState,
    Threshold,
)

# Quantities and prices have two decimals. Multiplying them as whole hundredths makes every sum exact on
# every database (SQLite computes decimals as floats); the unit of a product is 1/10 000 euro.
_SCALE = Decimal(10_000)


def hundredths(expression):
    """A quantity or price (two decimals) as whole hundredths, the same on every database."""
    return Cast(Round(expression * 100), BigIntegerField())


def _value_e4(initiative: Initiative):
    """A demand line's value excl. VAT in 1/10 000 euro: counted quantity × estimated unit price."""
    return hundredths(quantity_expression(initiative)) * hundredths(F("item__estimated_unit_price"))


@dataclass
class DemandTotals:
    """Exact totals of the demand that counts, excl. and incl. VAT, per participation and overall."""

    pooled_value: Decimal = Decimal("0.00")
    pooled_value_exact: Decimal = Decimal(0)  # unrounded, for ``estimated_value(demand=…)``
    pooled_value_incl_vat: Decimal = Decimal("0.00")
    subtotals: dict[int, Decimal] = field(default_factory=dict)  # participation id -> excl. VAT
    subtotals_incl_vat: dict[int, Decimal] = field(default_factory=dict)


def counting_states(initiative: Initiative) -> tuple[str, ...]:
    """Whose demand counts: before the freeze every live participation (an estimate of what will come),
    from `ready` on only approved participations (the frozen beneficiaries)."""
    if initiative.is_frozen:
        return (ParticipationState.APPROVED,)
    return tuple(ACTIVE_STATES)


def quantity_expression(initiative: Initiative):
    """The quantity that the value counts: for a framework, the maximum over the term when given."""
    if initiative.kind == InitiativeKind.FRAMEWORK_CONTRACT:
        return Coalesce(F("max_quantity"), F("quantity"))
    return F("quantity")


def _counted_lines(initiative: Initiative, states: tuple[str, ...] | None):
    return DemandLine.objects.filter(
        participation__initiative=initiative,
        participation__state__in=counting_states(initiative) if states is None else states,
    )


def _exact_sums(initiative: Initiative, lines, key: str) -> dict[int, tuple[Decimal, Decimal]]:
    """Unrounded sums in euro (excl. VAT, incl. VAT) of ``lines`` per ``key``, exact on every database.

    Grouped by VAT rate too, and the VAT added here in Decimal: multiplying a large product by 121 in the
    database would overflow 64-bit integers (an error on PostgreSQL, a float on SQLite)."""
    rows = lines.values(key, "item__vat_rate").annotate(excl=Sum(_value_e4(initiative))).order_by()
    sums: dict[int, tuple[Decimal, Decimal]] = {}
    for row in rows:
        excl = Decimal(row["excl"] or 0) / _SCALE
        incl = excl * (100 + Decimal(row["item__vat_rate"])) / 100
        before_excl, before_incl = sums.get(row[key], (Decimal(0), Decimal(0)))
        sums[row[key]] = (before_excl + excl, before_incl + incl)
    return sums


def demand_totals(
    initiative: Initiative, *, states: tuple[str, ...] | None = None, participation: Participation | None = None
) -> DemandTotals:
    """The pooled value and each participation's subtotal, from one aggregate query.

    ``participation`` restricts the query to that one participation, whatever its state. Each total is
    rounded to the cent once, from the exact sum."""
    if participation is not None:
        lines = DemandLine.objects.filter(participation=participation)
    else:
        lines = _counted_lines(initiative, states)
    sums = _exact_sums(initiative, lines, "participation_id")
    totals = DemandTotals()
    for pk, (excl, incl) in sums.items():
        totals.subtotals[pk] = cents(excl)
        totals.subtotals_incl_vat[pk] = cents(incl)
    totals.pooled_value_exact = sum((e for e, _ in sums.values()), Decimal(0))
    totals.pooled_value = cents(totals.pooled_value_exact)
    totals.pooled_value_incl_vat = cents(sum((i for _, i in sums.values()), Decimal(0)))
    return totals


def exact_pooled_value(initiative: Initiative) -> Decimal:
    """The unrounded pooled value excl. VAT: the sum of the demand values that the counting participations
    keep (``Participation.demand_value_e4``, kept by ``services.demand_set``). Every demand change reads it
    under the pooled-value lock, so it sums one row per participation, not one per demand line."""
    values = (Participation.objects.filter(initiative=initiative, state__in=counting_states(initiative))
              .values_list("demand_value_e4", flat=True))
    # Summed in Python: exact and unbounded, where SQLite's SUM of 64-bit integers could overflow.
    return Decimal(sum(values)) / _SCALE


def lot_values(initiative: Initiative) -> dict[int, Decimal]:
    """Each lot's estimated value excl. VAT as the law counts it (lot id → euro, rounded to the cent): the
    lot's counted demand (the counting participations; for a framework the maximum quantities) plus its
    renewals, like ``estimated_value`` for the whole initiative."""
    sums = _exact_sums(initiative, _counted_lines(initiative, None), "item__lot_id")
    return {pk: valuation.estimate(demand=excl, renewals=initiative.renewals).total
            for pk, (excl, _incl) in sums.items()}


def demand_values_e4(initiative: Initiative) -> dict[int, int]:
    """Each participation's demand value in 1/10 000 euro computed from its lines (whatever its state; none
    for a participation without lines): what ``Participation.demand_value_e4`` must hold."""
    rows = (DemandLine.objects.filter(participation__initiative=initiative).values("participation_id")
            .annotate(value=Sum(_value_e4(initiative))).values_list("participation_id", "value").order_by())
    return {pk: int(value or 0) for pk, value in rows}


def demand_values_out_of_step(initiative: Initiative) -> dict[int, tuple[int, int]]:
    """The participations whose kept demand value differs from the value of their lines: id → (kept, from
    the lines), in 1/10 000 euro. Empty when every change went through ``services.demand_set``."""
    expected = demand_values_e4(initiative)
    kept = initiative.participations.values_list("pk", "demand_value_e4")
    return {pk: (value, expected.get(pk, 0)) for pk, value in kept if value != expected.get(pk, 0)}


def in_e4(value: Decimal) -> int:
    """An exact value in euro (at most four decimals, as ``lines_value`` gives) in 1/10 000 euro."""
    scaled = value * _SCALE
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than four decimals")
    return int(scaled)


# What Participation.demand_value_e4 (a 64-bit integer) can hold: about 922 337 203 685 477 euro.
MAX_DEMAND_VALUE = Decimal(2**63 - 1) / _SCALE


def lines_value(initiative: Initiative, lines) -> Decimal:
    """The exact value excl. VAT of (unit price, quantity, maximum quantity) lines held in memory, by the
    rule of ``quantity_expression``: what a demand change adds to or takes from the pooled value. Both
    factors have two decimals, so the Decimal products are exact."""
    framework = initiative.kind == InitiativeKind.FRAMEWORK_CONTRACT
    return sum(((m if framework and m is not None else q) * price for price, q, m in lines), Decimal(0))


def pooled_value(initiative: Initiative) -> Decimal:
    """The counted demand over the initial term (no renewals), equal to ``demand_totals(initiative).pooled_value``:
    the same exact sum, rounded to the cent once. The estimated value that decides the procedure is
    ``estimated_value``; show this figure only with a label that says it is the demand."""
    return cents(exact_pooled_value(initiative))


def thresholds_in_force(on: date) -> dict[str, advice_module.ThresholdInForce]:
    """The newest row of every kind whose validity period contains ``on``."""
    rows = Threshold.objects.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on), valid_from__lte=on)
    in_force: dict[str, advice_module.ThresholdInForce] = {}
    for row in rows.order_by("kind", "-valid_from"):
        in_force.setdefault(
            row.kind,
            advice_module.ThresholdInForce(
                kind=row.kind, amount=row.amount, valid_from=row.valid_from, source=row.source,
                confirmed=row.is_confirmed,
            ),
        )
    return in_force


def procedure_start(initiative: Initiative) -> date:
    """The date whose thresholds apply: the planned start, else the day after the decision deadline,
    else today."""
    if initiative.planned_procedure_start:
        return initiative.planned_procedure_start
    if initiative.decision_deadline:
        # The procedure starts once the decisions are in: the day after the deadline (Brussels date).
        return max(timezone.localdate(initiative.decision_deadline) + timedelta(days=1), timezone.localdate())
    return timezone.localdate()


def estimated_value(initiative: Initiative, *, demand: Decimal | None = None) -> valuation.EstimatedValue:
    """THE estimated value of the initiative (art. 7 KB plaatsing 18 april 2017): the counted demand of all
    lots and participants (a framework's maximum quantities over the term) plus its renewals. The advice,
    the pages, the API, the documents and OCDS all read it here. ``demand`` (the counted demand over the
    initial term, e.g. before or after a change) defaults to the exact pooled demand."""
    demand = exact_pooled_value(initiative) if demand is None else demand
    return valuation.estimate(demand=demand, renewals=initiative.renewals)


def framework_term_cap(initiative: Initiative) -> tuple[int, str] | None:
    """(the most months a framework may run from its start, renewals included, and the article) when that cap
    binds it; None for another kind or when a justification for a longer term is recorded (art. 43 §1)."""
    if not initiative.is_framework or initiative.term_exception_reason.strip():
        return None
    return valuation.FRAMEWORK_MAX_MONTHS, valuation.TERM_SOURCE


def advice_for(initiative: Initiative, *, demand: Decimal | None = None) -> advice_module.Advice:
    """The procedure advice on the estimated value; ``demand`` as for ``estimated_value``."""
    estimate = estimated_value(initiative, demand=demand)
    on = procedure_start(initiative)
    if initiative.kind == InitiativeKind.SHARED_HIRE:
        return advice_module.recruitment_advice(value=estimate.total, on=on)
    in_force = thresholds_in_force(on)
    advice = advice_module.procedure_advice(
        value=estimate.total, on=on, thresholds=in_force, is_framework=initiative.is_framework, estimate=estimate,
    )
    advice.allowed = procedures.allowed_procedures(value=estimate.total, thresholds=in_force)
    advice.reasons.append(procedures.allowed_text(advice.allowed))
    advice.warnings.extend(valuation.framework_term_warnings(
        is_framework=initiative.is_framework, term_months=initiative.framework_term_months,
        renewals=initiative.renewals, exception_reason=initiative.term_exception_reason))
    return advice


def participation_counts(initiative: Initiative) -> dict[str, int]:
    counts = dict(
        initiative.participations.values_list("state").annotate(n=Count("id")).order_by()
    )
    return {state: counts.get(state, 0) for state in ParticipationState.values}


def participation_subtotal(participation: Participation) -> Decimal:
    """What this participation's demand is worth excl. VAT (counted whatever its state): the value it keeps,
    read afresh (the instance in hand may predate a change)."""
    value_e4 = Participation.objects.values_list("demand_value_e4", flat=True).get(pk=participation.pk)
    return cents(Decimal(value_e4) / _SCALE)


def demand_lines(participation: Participation):
    return participation.lines.select_related("item", "item__lot").order_by("item__lot__number", "item__position", "item_id")


# --- subtotals per item or lot (the demand sheets and documents of DESIGN.md §6) ---

_GROUPS = {"item": "item_id", "lot": "item__lot_id", "participation": "participation_id"}


def demand_subtotals(
    initiative: Initiative, *, states: tuple[str, ...] | None = None, by: str = "item"
) -> dict[int, tuple[Decimal, Decimal]]:
    """Totals (excl. VAT, incl. VAT) of the demand that counts, per item, lot or participation id, with the
    same exact arithmetic as ``demand_totals`` (each group rounded to the cent once)."""
    sums = _exact_sums(initiative, _counted_lines(initiative, states), _GROUPS[by])
    return {key: (cents(excl), cents(incl)) for key, (excl, incl) in sums.items()}


def demand_quantities(
    initiative: Initiative, *, states: tuple[str, ...] | None = None
) -> dict[int, tuple[Decimal, Decimal | None]]:
    """Total quantity and total maximum quantity (None when no line gives one) per item id."""
    rows = (
        _counted_lines(initiative, states)
        .values("item_id")
        .annotate(q=Sum(hundredths(F("quantity"))), m=Sum(hundredths(F("max_quantity"))))
        .order_by()
    )
    return {
        row["item_id"]: (Decimal(row["q"] or 0) / 100, None if row["m"] is None else Decimal(row["m"]) / 100)
        for row in rows
    }


def demand_subtotals_per_lot(
    initiative: Initiative, *, states: tuple[str, ...] | None = None
) -> dict[int, dict[int, tuple[Decimal, Decimal]]]:
    """Per participation id and lot id: the totals (excl. VAT, incl. VAT) of the demand that counts, with the
    arithmetic of ``demand_subtotals`` (one aggregate query per lot)."""
    result: dict[int, dict[int, tuple[Decimal, Decimal]]] = {}
    for lot_id in initiative.lots.values_list("pk", flat=True):
        sums = _exact_sums(initiative, _counted_lines(initiative, states).filter(item__lot_id=lot_id),
                           "participation_id")
        for pk, (excl, incl) in sums.items():
            result.setdefault(pk, {})[lot_id] = (cents(excl), cents(incl))
    return result
