"""Conclusion: what happens after an award is a service of ``contracts`` (DESIGN.md §8).

``contracts_for_tender`` runs inside the conclusion transaction of ``procurement`` (``receivers.py``), so
the conclusion and its contracts commit together or not at all.
"""

import calendar
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from audit import log as audit
from core.services import Actor
from procurement.models import InitiativeKind, Organisation
from tendering.models import Tender
from tendering.selectors import Share, award_shares, frozen_demand

from ..models import Beneficiary, Contract, ContractKind, ContractLine
from .sharing import hire_set_up

KIND_OF_INITIATIVE = {
    InitiativeKind.JOINT_PURCHASE: ContractKind.PURCHASE,
    InitiativeKind.FRAMEWORK_CONTRACT: ContractKind.FRAMEWORK,
    InitiativeKind.SHARED_HIRE: ContractKind.SHARED_HIRE,
}


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later (the last day of the month when that day does not exist)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def contracts_for_tender(*, tender: Tender, actor: Actor) -> list[Contract]:
    """Create the contracts of a concluded tender, one set per awarded lot. Idempotent: a tender that has
    contracts already keeps them."""
    existing = list(Contract.objects.filter(tender=tender))
    if existing:
        return existing
    initiative = tender.initiative
    kind = KIND_OF_INITIATIVE[initiative.kind]
    organisations, demand = frozen_demand(initiative)
    starts_on = tender.contract_start or timezone.localdate()
    ends_on = None
    if kind == ContractKind.FRAMEWORK and initiative.framework_term_months:
        ends_on = add_months(starts_on, initiative.framework_term_months) - timedelta(days=1)

    created: list[Contract] = []
    awards = tender.awards.filter(bid__isnull=False).select_related("lot", "bid", "bid__supplier").order_by("lot__number")
    for award in awards:
        shares = award_shares(award, organisations, demand)
        common = {"kind": kind, "initiative": initiative, "tender": tender, "award": award, "lot": award.lot,
                  "supplier": award.bid.supplier, "candidate": award.bid.candidate, "starts_on": starts_on,
                  "ends_on": ends_on}
        if kind == ContractKind.PURCHASE:
            by_organisation: dict[int, list[Share]] = defaultdict(list)
            for share in shares:
                by_organisation[share.organisation.pk].append(share)
            for organisation in organisations:
                own = by_organisation.get(organisation.pk)
                if own:
                    created.append(_create(common, own, organisation=organisation, actor=actor))
        else:
            contract = _create(common, shares, organisation=None, actor=actor,
                               ceiling=award.total if kind == ContractKind.FRAMEWORK else None)
            maxima: dict[int, Decimal] = defaultdict(Decimal)
            for share in shares:
                maxima[share.organisation.pk] += share.amount
            # Every frozen beneficiary, also one without demand in this lot (its maximum is then zero).
            Beneficiary.objects.bulk_create(
                Beneficiary(contract=contract, organisation=org, maximum=maxima.get(org.pk, Decimal("0.00")))
                for org in organisations
            )
            if kind == ContractKind.SHARED_HIRE:
                hire_set_up(contract=contract, shares=shares, organisations=organisations, actor=actor)
            created.append(contract)
    return created


def _create(common: dict, shares: list[Share], *, organisation: Organisation | None, actor: Actor,
            ceiling: Decimal | None = None) -> Contract:
    value = sum((s.amount for s in shares), Decimal("0.00"))
    contract = Contract.objects.create(organisation=organisation, value=value, ceiling=ceiling, **common)
    ContractLine.objects.bulk_create(
        ContractLine(contract=contract, organisation=s.organisation, item=s.item, quantity=s.quantity,
                     unit_price=s.unit_price, amount=s.amount)
        for s in shares
    )
    audit.record(
        action="contracts.contract.created", obj=contract, actor=actor,
        organisation=organisation or contract.initiative.lead_organisation, to_state=contract.state,
        data={"kind": contract.kind, "lot": contract.lot.number, "supplier": contract.supplier_id,
              "candidate": contract.candidate, "value": value, "ceiling": ceiling,
              "starts_on": contract.starts_on, "ends_on": contract.ends_on},
    )
    return contract
