"""Reads of the tender (no state changes): the frozen pooled quantities, the ranking per lot, each
participant's share of an award, and the end of the standstill period."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core import money
from core.errors import TransitionRefused
from procurement import selectors
from procurement.models import DemandLine, Initiative, Item, Lot, Organisation, ParticipationState
from tendering import scoring
from tendering.models import Award, Bid, Tender


def pooled_quantities(initiative: Initiative, *, lot: Lot | None = None) -> dict[int, Decimal]:
    """Item id → the quantity the frozen demand counts, for every item (of ``lot``), in the lot's order.

    The same quantity as the pooled value (``selectors.quantity_expression``: the maximum for a framework)
    over the same participations (``selectors.counting_states``: the approved ones once frozen), so that
    a bid priced at the estimated prices totals exactly the pooled value."""
    items = Item.objects.filter(lot__initiative=initiative).order_by("lot__number", "position", "id")
    if lot is not None:
        items = items.filter(lot=lot)
    quantities = {pk: Decimal("0.00") for pk in items.values_list("pk", flat=True)}
    lines = (
        DemandLine.objects.filter(item__in=list(quantities), participation__initiative=initiative,
                                  participation__state__in=selectors.counting_states(initiative))
        .annotate(counted=selectors.quantity_expression(initiative))
        .values_list("item_id", "counted")
    )
    for item_id, counted in lines:
        quantities[item_id] += Decimal(counted or 0)
    return quantities


def criteria_of(tender: Tender) -> list[scoring.Criterion]:
    return [scoring.Criterion(key=c.pk, name=c.name, weight=c.weight, is_price=c.is_price)
            for c in tender.criteria.all()]


@dataclass
class LotRanking:
    lot: Lot
    rows: list[tuple[Bid, scoring.Scored]]


def ranking(tender: Tender) -> list[LotRanking]:
    """Every lot with its bids scored and ranked (``scoring.rank``), ranked bids first."""
    criteria = criteria_of(tender)
    bids = list(tender.bids.select_related("supplier", "lot").prefetch_related("scores"))
    result = []
    for lot in tender.initiative.lots.order_by("number"):
        of_lot = {b.pk: b for b in bids if b.lot_id == lot.pk}
        entries = [
            scoring.BidEntry(key=b.pk, total=b.total, regular=b.regular, received=(b.received_at, b.pk),
                             quality={s.criterion_id: s.score for s in b.scores.all()})
            for b in of_lot.values()
        ]
        result.append(LotRanking(lot=lot, rows=[(of_lot[s.key], s) for s in scoring.rank(entries, criteria)]))
    return result


@dataclass(frozen=True)
class Share:
    """One organisation's part of one awarded item: its frozen quantity × the awarded unit price, in cents."""

    organisation: Organisation
    item: Item
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


def frozen_demand(initiative: Initiative) -> tuple[list[Organisation], dict[tuple[int, int], Decimal]]:
    """The approved participants (by name, then id: the allocation's tie-break order) and what each counts
    per item, (organisation id, item id) → quantity (``selectors.quantity_expression``)."""
    participations = list(
        initiative.participations.filter(state=ParticipationState.APPROVED)
        .select_related("organisation").order_by("organisation__name", "organisation_id")
    )
    demand: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    rows = (
        DemandLine.objects.filter(participation__in=participations)
        .annotate(counted=selectors.quantity_expression(initiative))
        .values_list("participation__organisation_id", "item_id", "counted")
    )
    for organisation_id, item_id, counted in rows:
        demand[(organisation_id, item_id)] += Decimal(counted or 0)
    return [p.organisation for p in participations], demand


def award_shares(award: Award, organisations: list[Organisation],
                 demand: dict[tuple[int, int], Decimal]) -> list[Share]:
    """Each organisation's part of each item of the awarded bid, allocated (``core.money.allocate``) so that the
    parts of an item sum exactly to the item's rounded amount, and so the parts of a lot to the awarded
    total. The contracts and the award report both use this: they always agree."""
    shares: list[Share] = []
    for price in award.bid.prices.select_related("item").order_by("item__position", "item_id"):
        quantities = [(org, demand.get((org.pk, price.item_id), Decimal("0"))) for org in organisations]
        if sum((q for _org, q in quantities), Decimal("0")) != price.quantity:
            # Cannot happen while the demand is frozen; refuse rather than share out amounts that do not add up.
            raise TransitionRefused(
                _("The demand for %(item)s no longer matches the quantity the bid was priced for (%(quantity)s).")
                % {"item": price.item.name, "quantity": price.quantity},
                code="demand_changed",
            )
        parts = money.allocate(price.amount, [(org.pk, price.unit_price * q) for org, q in quantities])
        shares.extend(
            Share(organisation=org, item=price.item, quantity=q, unit_price=price.unit_price, amount=parts[org.pk])
            for org, q in quantities
            if q > 0
        )
    return shares


def standstill_end(start: datetime, days: int) -> datetime:
    """``days`` calendar days after ``start`` at the same wall-clock time in Brussels, also across a change
    to or from summer time (then the period is an hour longer or shorter in absolute time)."""
    brussels = timezone.get_default_timezone()
    local = timezone.localtime(start, brussels).replace(tzinfo=None)
    return timezone.make_aware(local + timedelta(days=days), brussels)
