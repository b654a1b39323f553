"""Reads and aggregates: the pooled value, subtotals, advice, counts. No state changes here."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import BigIntegerField, Count, F, Q, Sum
from django.db.models.functions import Cast, Coalesce, Round
from django.utils import timezone

from procurement import advice as advice_module
from procurement.formatting import cents

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


def _hundredths(expression):
    return Cast(Round(expression * 100), BigIntegerField())


@dataclass
class DemandTotals:
    """Exact totals of the demand that counts, excl. and incl. VAT, per participation and overall."""

    pooled_value: Decimal = Decimal("0.00")
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


def demand_totals(
    initiative: Initiative, *, states: tuple[str, ...] | None = None, participation: Participation | None = None
) -> DemandTotals:
    """The pooled value and each participation's subtotal, from one aggregate query.

    ``participation`` restricts the query to that one participation, whatever its state."""
    product = _hundredths(quantity_expression(initiative)) * _hundredths(F("item__estimated_unit_price"))
    lines = DemandLine.objects.filter(participation__initiative=initiative)
    if participation is not None:
        lines = lines.filter(participation=participation)
    else:
        lines = lines.filter(participation__state__in=states or counting_states(initiative))
    rows = (
        lines.values("participation_id")
        .annotate(
            excl=Sum(product),
            incl=Sum(product * (100 + Cast(Round(F("item__vat_rate")), BigIntegerField()))),
        )
        .order_by()
    )
    totals = DemandTotals()
    excl_sum = incl_sum = 0
    for row in rows:
        excl, incl = row["excl"] or 0, row["incl"] or 0
        excl_sum += excl
        incl_sum += incl
        totals.subtotals[row["participation_id"]] = cents(Decimal(excl) / _SCALE)
        totals.subtotals_incl_vat[row["participation_id"]] = cents(Decimal(incl) / (_SCALE * 100))
    totals.pooled_value = cents(Decimal(excl_sum) / _SCALE)
    totals.pooled_value_incl_vat = cents(Decimal(incl_sum) / (_SCALE * 100))
    return totals


def pooled_value(initiative: Initiative) -> Decimal:
    return demand_totals(initiative).pooled_value


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
        return max(timezone.localdate(initiative.decision_deadline), timezone.localdate())
    return timezone.localdate()


def advice_for(initiative: Initiative, *, value: Decimal | None = None) -> advice_module.Advice:
    value = pooled_value(initiative) if value is None else value
    on = procedure_start(initiative)
    if initiative.kind == InitiativeKind.SHARED_HIRE:
        return advice_module.recruitment_advice(value=value, on=on)
    return advice_module.procedure_advice(
        value=value, on=on, thresholds=thresholds_in_force(on), is_framework=initiative.is_framework
    )


def participation_counts(initiative: Initiative) -> dict[str, int]:
    counts = dict(
        initiative.participations.values_list("state").annotate(n=Count("id")).order_by()
    )
    return {state: counts.get(state, 0) for state in ParticipationState.values}


def participation_subtotal(participation: Participation) -> Decimal:
    """What this participation's demand is worth excl. VAT (counted whatever its state)."""
    totals = demand_totals(participation.initiative, participation=participation)
    return totals.subtotals.get(participation.pk, Decimal("0.00"))


def demand_lines(participation: Participation):
    return participation.lines.select_related("item", "item__lot").order_by("item__lot__number", "item__position", "item_id")
