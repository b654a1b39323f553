"""The decision of an alderman on a participation: what the page shows and how the decision is recorded.

The page itself is the viewflow task page (``workflows/views.py``): it reads the summary from here,
records the decision through ``record_decision`` (the services) and then completes its task."""

from decimal import Decimal

from django.utils import timezone

from core import money
from procurement import selectors, services
from procurement.forms import DecisionForm
from procurement.models import Participation


def summary(participation: Participation) -> dict:
    """Quantities and amounts per line, the subtotal excl. and incl. VAT and the organisation's share of
    the pooled value."""
    initiative = participation.initiative
    rows = []
    for line in selectors.demand_lines(participation):
        exact = selectors.lines_value(initiative, [(line.item.estimated_unit_price, line.quantity, line.max_quantity)])
        rows.append({"line": line, "item": line.item, "amount": money.cents(exact),
                     "amount_incl": money.cents(exact * (100 + line.item.vat_rate) / 100)})
    own = selectors.demand_totals(initiative, participation=participation)
    excl = own.subtotals.get(participation.pk, Decimal("0.00"))
    incl = own.subtotals_incl_vat.get(participation.pk, Decimal("0.00"))
    pooled = selectors.demand_totals(initiative).pooled_value
    return {
        "rows": rows,
        "subtotal": excl,
        "subtotal_incl": incl,
        "vat": incl - excl,
        "pooled_value": pooled,
        "share": (excl / pooled * 100) if pooled else None,
        "advice": selectors.advice_for(initiative),
    }


def initial(participation: Participation) -> dict:
    return {
        "deciding_body": participation.deciding_body or participation.organisation.default_deciding_body,
        "decision_date": timezone.localdate(),
    }


def record_decision(form: DecisionForm, participation: Participation, user) -> Participation:
    """Approve or decline through the service; raises the service's domain error when refused."""
    data = form.cleaned_data
    if data["decision"] == DecisionForm.APPROVE:
        return services.participation_approve(
            participation=participation, actor=user, decision_date=data["decision_date"],
            decision_reference=data["decision_reference"], deciding_body=data["deciding_body"],
        )
    return services.participation_decline(
        participation=participation, actor=user, decision_date=data["decision_date"],
        decision_reference=data["decision_reference"], deciding_body=data["deciding_body"],
        reason=data["reason"],
    )
