"""The OCDS 1.1.5 release of an initiative (DESIGN.md §9), with the lots and techniques extensions.

One initiative is one contracting process (``ocid`` = prefix + "-" + initiative id); each framework
call-off is a contracting process of its own, linked to its framework (``calloffs.py``). This module only
reads: ``release_content`` describes the process as it is now, ``releases.py`` decides when that is a new
release and records it.

The content must depend on the data only, never on the clock: a release is recorded only when its content
differs from the previous one (``digest``), so anything that drifted with time would publish releases
nobody caused. Milestone statuses therefore follow the states, not the dates.

Mapping of our lifecycle on the standard's closed code lists:

=====================================  ==============  ===========================================
initiative (tender)                    tender.status   release tag (first / later)
=====================================  ==============  ===========================================
pooling, deciding                      planning        planning / planningUpdate
ready, tendering with a draft tender   planned         planning / planningUpdate
tendering (published … evaluated)      active          tender / tenderUpdate
awarded (standstill)                   active          award / awardUpdate
active                                 complete        contract / contractUpdate
closed                                 complete        contractTermination
unsuccessful                           unsuccessful    tenderUpdate
cancelled                              cancelled       tenderCancellation
=====================================  ==============  ===========================================
"""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.models import AuditEntry
from contracts.models import Contract, ContractKind, ContractState
from procurement import advice, selectors
from procurement.models import DemandLine, Initiative, InitiativeKind, InitiativeState, Item, ParticipationState
from tendering.models import EVALUATED_STATES, Procedure, Supplier, Tender, TenderState

from .ocds_parts import (
    EXTENSIONS,
    Parties,
    amount,
    award_id,
    compact,
    day_end,
    day_start,
    digest,
    item_entry,
    lot_id,
    ocid,
    package,
    stamp,
)

# The public names of the builder: its own and the building blocks that callers use through it.
__all__ = [
    "EXTENSIONS", "PUBLISHED_STATES", "digest", "is_published", "ocid", "package", "release_content", "stage",
    "stamp", "tender_of",
]

S = InitiativeState
# Ideas, shelved ideas and drafts are not published: nobody outside the lead organisation has seen them.
PUBLISHED_STATES = {S.POOLING, S.DECIDING, S.READY, S.TENDERING, S.AWARDED, S.ACTIVE, S.CLOSED, S.UNSUCCESSFUL}

# Our procedures on the standard's `method` code list (open, selective, limited, direct). A recruitment is
# employment, not procurement: it gets no method, only its details.
PROCUREMENT_METHOD = {
    advice.OPEN: "open",
    "restricted": "selective",
    "negotiated_with_publication": "selective",
    "competitive_negotiation": "selective",
    "competitive_dialogue": "selective",
    advice.NEGOTIATED_WITHOUT_PUBLICATION: "limited",
    advice.ACCEPTED_INVOICE: "direct",
}
CONTRACT_STATUS = {
    ContractState.ACTIVE: "active",
    ContractState.EXHAUSTED: "terminated",
    ContractState.EXPIRED: "terminated",
    ContractState.TERMINATED: "terminated",
}


def is_published(initiative: Initiative) -> bool:
    """Past `draft`. A cancelled initiative is published when it was before its cancellation (the audit
    log knows the state it was cancelled from); one cancelled as an idea or a draft never was."""
    if initiative.state in PUBLISHED_STATES:
        return True
    if initiative.state != S.CANCELLED:
        return False
    return AuditEntry.objects.for_object(initiative).filter(from_state__in=PUBLISHED_STATES).exists()


def buyer_states(initiative: Initiative) -> tuple[str, ...]:
    """Who buys: the approved participants once frozen; before, also those whose demand awaits approval."""
    if initiative.is_frozen:
        return (ParticipationState.APPROVED,)
    return (ParticipationState.SUBMITTED, ParticipationState.APPROVED)


def tender_of(initiative: Initiative) -> Tender | None:
    return Tender.objects.filter(initiative=initiative).first()


def tender_status(initiative: Initiative, tender: Tender | None) -> str:
    if initiative.state == S.CANCELLED:
        return "cancelled"
    if initiative.state == S.UNSUCCESSFUL:
        return "unsuccessful"
    if initiative.state in (S.ACTIVE, S.CLOSED):
        return "complete"
    if initiative.state == S.AWARDED:
        return "active"  # the awards wait for the end of the standstill
    if initiative.state == S.TENDERING:
        return "planned" if tender is None or tender.state == TenderState.DRAFT else "active"
    if initiative.state == S.READY:
        return "planned"
    return "planning"


def stage(initiative: Initiative, tender: Tender | None) -> str:
    """The stage of the process, which names the release tag (``releases.tag_for``)."""
    if initiative.state == S.CANCELLED:
        return "cancelled"
    if initiative.state == S.CLOSED:
        return "closed"
    if initiative.state == S.ACTIVE:
        return "contract"
    if initiative.state == S.AWARDED:
        return "award"
    if tender is not None and tender.state != TenderState.DRAFT:
        return "tender"
    return "planning"


def procurement_category(initiative: Initiative, items: list[Item]) -> str | None:
    """goods, works or services: from the CPV division (45 is works; up to 44 and 48 are supplies; from 50
    services); the category of most items wins. A shared hire is a service."""
    if initiative.kind == InitiativeKind.SHARED_HIRE:
        return "services"
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        if item.cpv_code:
            division = int(item.cpv_code[:2])
            counts["works" if division == 45 else "goods" if division < 45 or division == 48 else "services"] += 1
    if not counts:
        return None
    return max(sorted(counts), key=lambda k: counts[k])


def counted_quantities(initiative: Initiative) -> dict[int, Decimal]:
    """Item id → the quantity the pooled value counts (the maximum over the term for a framework)."""
    quantities: dict[int, Decimal] = defaultdict(Decimal)
    rows = (
        DemandLine.objects.filter(participation__initiative=initiative,
                                  participation__state__in=selectors.counting_states(initiative))
        .annotate(counted=selectors.quantity_expression(initiative))
        .values_list("item_id", "counted")
    )
    for pk, counted in rows:
        quantities[pk] += Decimal(counted or 0)
    return quantities


def release_content(initiative: Initiative) -> dict:
    """The release of ``initiative`` as it is now, without ``id``, ``date`` and ``tag``. Built in the
    product's language (the language of the titles people type), whatever the request's."""
    with translation.override(settings.LANGUAGE_CODE):
        return compact(_content(initiative))


def _content(initiative: Initiative) -> dict:
    tender = tender_of(initiative)
    parties = Parties()
    lead = parties.add(initiative.lead_organisation, "procuringEntity") if initiative.lead_organisation else None
    participations = (
        initiative.participations.filter(state__in=buyer_states(initiative))
        .select_related("organisation").order_by("organisation__name", "organisation_id")
    )
    for participation in participations:
        parties.add(participation.organisation, "buyer")

    lots = list(initiative.lots.order_by("number"))
    items = list(Item.objects.filter(lot__initiative=initiative).select_related("lot").order_by(
        "lot__number", "position", "id"))
    quantities = counted_quantities(initiative)
    lot_values = selectors.lot_values(initiative)  # the estimated value as the law counts it, per lot
    status = tender_status(initiative, tender)
    awards = list(tender.awards.select_related("lot", "bid", "bid__supplier").order_by("lot__number")) if tender else []
    lot_status = {a.lot_id: ("unsuccessful" if a.bid_id is None else status) for a in awards}
    advice = selectors.advice_for(initiative)
    pooled = advice.value  # the estimated value (selectors.estimated_value), renewals included

    procedure = tender.procedure if tender else advice.procedure
    content: dict[str, Any] = {
        "ocid": ocid(initiative),
        "initiationType": "tender",
        "language": settings.LANGUAGE_CODE,
        "planning": {
            "rationale": initiative.get_legal_basis_display() if initiative.legal_basis else None,
            "budget": {
                "id": "pooled-value",
                "description": _("Estimated value excl. VAT (art. 7 KB plaatsing 18 April 2017): the "
                                 "participants' demand of all lots (for a framework contract: the maximum over "
                                 "its term) with every renewal."),
                "amount": amount(pooled),
            },
            "milestones": _milestones(initiative),
        },
        "tender": {
            "id": ocid(initiative),
            "title": initiative.title,
            "description": initiative.description,
            "status": status,
            "procuringEntity": lead,
            "value": amount(tender.estimated_value if tender else pooled),
            "procurementMethod": PROCUREMENT_METHOD.get(procedure),
            "procurementMethodDetails": str(Procedure(procedure).label) if procedure in Procedure.values else None,
            "mainProcurementCategory": procurement_category(initiative, items),
            "items": [item_entry(item, quantity=quantities.get(item.pk, Decimal("0"))) for item in items],
            "lots": [
                {
                    "id": lot_id(lot.pk),
                    "title": lot.title,
                    "description": lot.description,
                    "status": lot_status.get(lot.pk, status),
                    "value": amount(lot_values.get(lot.pk, Decimal("0.00"))),
                }
                for lot in lots
            ],
            "techniques": _techniques(initiative),
            "contractPeriod": _framework_period(initiative),
        },
    }
    if tender is not None:
        _add_tender(content["tender"], tender, parties)
        content["awards"] = _awards(tender, awards, parties)
        content["contracts"] = _contracts(initiative, tender)
    content["parties"] = parties.as_list()
    return content


def _milestones(initiative: Initiative) -> list[dict]:
    after_pooling = initiative.state not in (S.POOLING, S.CANCELLED)
    after_deciding = after_pooling and initiative.state != S.DECIDING
    rows = [
        ("demand-deadline", _("Demand deadline"), "engagement", initiative.demand_deadline, after_pooling),
        ("decision-deadline", _("Decision deadline"), "approval", initiative.decision_deadline, after_deciding),
    ]
    return [
        {"id": mid, "title": title, "type": kind, "dueDate": stamp(due),
         "status": None if initiative.state == S.CANCELLED else ("met" if passed else "scheduled")}
        for mid, title, kind, due, passed in rows
        if due is not None
    ]


def _techniques(initiative: Initiative) -> dict:
    if not initiative.is_framework:
        return {"hasFrameworkAgreement": False}
    term = []
    if initiative.framework_term_months:
        term.append(_("a term of %(months)s months") % {"months": initiative.framework_term_months})
    if initiative.renewals:
        term.append(ngettext("%(renewals)s renewal", "%(renewals)s renewals", initiative.renewals)
                    % {"renewals": initiative.renewals})
    description = _("One framework agreement per lot with one supplier; each beneficiary calls off its own "
                    "orders at the awarded prices, within its maximum.")
    if term:
        description = f"{description} ({', '.join(term)})"
    return {
        "hasFrameworkAgreement": True,
        "frameworkAgreement": {"method": "withoutReopeningCompetition", "description": description},
    }


def _framework_period(initiative: Initiative) -> dict | None:
    """The term of a framework in days when no contract gives its real dates yet."""
    if not initiative.is_framework or not initiative.framework_term_months:
        return None
    return {"durationInDays": round(initiative.framework_term_months * 365.25 / 12)}


def _add_tender(section: dict, tender: Tender, parties: Parties) -> None:
    criteria = list(tender.criteria.order_by("position", "id"))
    if criteria:
        section["awardCriteria"] = "priceOnly" if all(c.is_price for c in criteria) else "ratedCriteria"
        section["awardCriteriaDetails"] = ", ".join(f"{c.name} {c.weight}" for c in criteria)
    section["tenderPeriod"] = {"startDate": stamp(tender.published_at), "endDate": stamp(tender.bid_deadline)}
    if tender.bids_closed_at or tender.awarded_at:
        section["awardPeriod"] = {"startDate": stamp(tender.bids_closed_at), "endDate": stamp(tender.awarded_at)}
    if tender.state in EVALUATED_STATES or (tender.state == TenderState.CANCELLED and tender.evaluated_at):
        # Bids are confidential until the evaluation; a candidate for a shared hire is a person and is
        # never published (only companies are).
        bidders = Supplier.objects.filter(bids__tender=tender).distinct().order_by("name", "id")
        section["tenderers"] = [parties.add(s, "tenderer") for s in bidders]
        section["numberOfTenderers"] = tender.bids.count()


def _awards(tender: Tender, awards: list, parties: Parties) -> list[dict]:
    if tender.awarded_at is None:
        return []
    entries = []
    for award in awards:
        entry: dict[str, Any] = {"id": award_id(award.pk), "title": award.lot.title, "relatedLots": [lot_id(award.lot_id)],
                                 "date": stamp(tender.awarded_at)}
        if award.bid_id is None:
            entry.update(status="unsuccessful", description=award.reason)
        else:
            entry["status"] = ("cancelled" if tender.state == TenderState.CANCELLED
                               else "active" if tender.state == TenderState.CONCLUDED else "pending")
            entry["value"] = amount(award.total)
            if award.bid.supplier_id:
                entry["suppliers"] = [parties.add(award.bid.supplier, "supplier")]
            entry["items"] = [
                item_entry(price.item, quantity=price.quantity, unit_price=price.unit_price)
                for price in award.bid.prices.select_related("item").order_by("item__position", "item_id")
            ]
        entries.append(entry)
    return entries


def _contracts(initiative: Initiative, tender: Tender) -> list[dict]:
    contracts = (
        Contract.objects.filter(tender=tender)
        .select_related("lot", "organisation").prefetch_related("lines__item")
        .order_by("lot__number", "organisation__name", "id")
    )
    entries = []
    for contract in contracts:
        per_item: dict[int, list] = {}
        for line in contract.lines.all():
            row = per_item.setdefault(line.item_id, [line.item, Decimal("0"), line.unit_price])
            row[1] += line.quantity
        if contract.kind == ContractKind.PURCHASE and contract.organisation_id:
            title = _("Purchase contract of %(organisation)s, lot %(number)s: %(title)s") % {
                "organisation": contract.organisation.name, "number": contract.lot.number, "title": contract.lot.title}
        else:
            title = _("%(kind)s, lot %(number)s: %(title)s") % {
                "kind": str(contract.get_kind_display()).capitalize(), "number": contract.lot.number,
                "title": contract.lot.title}
        entries.append({
            "id": f"contract-{contract.pk}",
            "awardID": award_id(contract.award_id),
            "title": title,
            "status": CONTRACT_STATUS.get(contract.state, "active"),
            "period": {"startDate": day_start(contract.starts_on), "endDate": day_end(contract.ends_on)},
            "value": amount(contract.value),
            "dateSigned": stamp(tender.concluded_at),
            "items": [item_entry(item, quantity=q, unit_price=price) for item, q, price in per_item.values()],
        })
    return entries
