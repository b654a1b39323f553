"""The tender's two document kinds (DESIGN.md §6), registered with ``documents.registry``:

- ``tender_specification`` — the summary of the specification: subject and CPV codes, lots and items, the
  beneficiaries with their estimated and maximum quantities, the procedure and its legal basis, the award
  criteria and weights, the duration, delivery and invoicing per participant;
- ``award_report`` — the bids received and their regularity, the scores per criterion, the ranking, the
  winner per lot, the financial result per participant and the standstill dates.

Both have the initiative as subject (API.md). The contexts are JSON-like, with amounts formatted the
Belgian way and dates written out; the financial result uses ``tendering.selectors.award_shares``, the same
allocation as the contracts, so the report and the contracts always agree to the cent.
"""

from decimal import Decimal

from django.utils import formats, timezone, translation

from core import formatting
from documents import legal, registry
from procurement import permissions, selectors
from procurement.documents import PUBLICATION, full_address, procedure_label
from procurement.models import DemandLine, Initiative, InitiativeKind, LegalBasis, ParticipationState, Unit
from tendering import selectors as tendering
from tendering.models import EVALUATED_STATES, Tender

TITLES = {
    "tender_specification": {"nl": "Samenvatting van het bestek", "en": "Summary of the tender specification"},
    "award_report": {"nl": "Gunningsverslag", "en": "Award report"},
}
DELIVERY = {
    "nl": {
        InitiativeKind.JOINT_PURCHASE: "Levering op het adres van het bestuur; de leverancier factureert elk "
                                       "bestuur rechtstreeks voor zijn eigen hoeveelheden.",
        InitiativeKind.FRAMEWORK_CONTRACT: "Levering per afroeping op het adres van het afroepende bestuur, dat de "
                                           "factuur voor zijn afroeping ontvangt en betaalt.",
        InitiativeKind.SHARED_HIRE: "De trekker is werkgever en rekent elk deelnemend bestuur zijn aandeel in de "
                                    "loonkost aan volgens de kostendeling.",
    },
    "en": {
        InitiativeKind.JOINT_PURCHASE: "Delivery to the organisation's address; the supplier invoices each "
                                       "organisation directly for its own quantities.",
        InitiativeKind.FRAMEWORK_CONTRACT: "Delivery per call-off to the ordering organisation, which receives and "
                                           "pays the invoice for its call-off.",
        InitiativeKind.SHARED_HIRE: "The lead organisation employs and recharges each participant its share of "
                                    "the cost according to the cost sharing.",
    },
}


def _number(value: Decimal | None) -> str:
    """``1.250`` or ``2,5``: a quantity the Belgian way, without needless decimals."""
    if value is None:
        return ""
    whole, _sep, decimals = formatting.money(Decimal(value)).removesuffix(" €").partition(",")
    decimals = decimals.rstrip("0")
    return f"{whole},{decimals}" if decimals else whole


def _score(value) -> str:
    """A score the Belgian way with two decimals (``57,79``); empty when there is none."""
    if value is None or value == "":
        return ""
    return formatting.money(Decimal(value)).removesuffix(" €")


CRITERION_KIND = {"nl": {True: "prijs", False: "kwaliteit"}, "en": {True: "price", False: "quality"}}


def _date(value, language: str, *, with_time: bool = False) -> str:
    if value is None:
        return ""
    with translation.override(language):
        if hasattr(value, "hour"):
            value = timezone.localtime(value)
            text = formats.date_format(value, "j F Y")
            return f"{text} {'om' if language == 'nl' else 'at'} {value:%H:%M}" if with_time else text
        return formats.date_format(value, "j F Y")


def _tender(initiative: Initiative) -> Tender | None:
    return Tender.objects.filter(initiative=initiative).first()


def _head(kind: str, language: str, initiative: Initiative) -> dict:
    lead = initiative.lead_organisation
    return {
        "meta": {
            "title": f"{TITLES[kind][language]} — {initiative.title}",
            "author": legal.legal_name(lead.name, lead.kind, language) if lead else "",
            "subject": initiative.title,
            "filename": f"{'bestek' if kind == 'tender_specification' else 'gunningsverslag'}-{initiative.pk}"
            if language == "nl" else f"{kind.replace('_', '-')}-{initiative.pk}",
            "kind_title": TITLES[kind][language],
        },
        "initiative": {
            "id": initiative.pk, "title": initiative.title, "description": initiative.description,
            "kind": initiative.kind, "is_framework": initiative.is_framework,
            "is_shared_hire": initiative.kind == InitiativeKind.SHARED_HIRE,
            "article": "47" if initiative.legal_basis == LegalBasis.CENTRAL_PURCHASING_BODY else "48",
            "legal_basis": initiative.legal_basis,
            "framework_term_months": initiative.framework_term_months, "renewals": initiative.renewals,
            "term_exception_reason": initiative.term_exception_reason,
        },
        "lead": {"name": lead.name if lead else "", "enterprise_number": lead.printed_enterprise_number if lead else ""},
    }


def _procedure(tender: Tender | None, initiative: Initiative, language: str) -> dict:
    if tender is not None:
        code, publication = tender.procedure, tender.publication
    else:  # before the tender: the advice
        found = selectors.advice_for(initiative)
        code, publication = found.procedure, found.publication
    label, basis = procedure_label(code, language)
    return {"code": code, "label": label, "legal_basis": basis,
            "publication": PUBLICATION[language].get(publication, publication),
            "reference": tender.publication_reference if tender else "",
            "bid_deadline": _date(tender.bid_deadline, language, with_time=True) if tender else "",
            "estimated_value": formatting.money(tender.estimated_value if tender else selectors.estimated_value(initiative).total)}


def _criteria(tender: Tender | None, language: str = "nl") -> list[dict]:
    if tender is None:
        return []
    return [{"id": c.pk, "name": c.name, "weight": c.weight, "is_price": c.is_price,
             "kind_label": CRITERION_KIND[language][c.is_price]} for c in tender.criteria.all()]


# --- the specification summary ---


def tender_specification_context(initiative: Initiative, language: str) -> dict:
    tender = _tender(initiative)
    organisations, _counted = tendering.frozen_demand(initiative)
    lines = list(
        DemandLine.objects.filter(participation__initiative=initiative,
                                  participation__state=ParticipationState.APPROVED)
        .select_related("participation__organisation", "item", "item__lot")
        .order_by("participation__organisation__name", "item__lot__number", "item__position", "item_id")
    )
    lots = []
    for lot in initiative.lots.prefetch_related("items").order_by("number"):
        quantities = tendering.pooled_quantities(initiative, lot=lot)
        items = []
        for item in lot.items.all():
            own = [line for line in lines if line.item_id == item.pk]
            items.append({
                "name": item.name, "unit": Unit(item.unit).label_in(language), "cpv_code": item.cpv_code,
                "specification": item.specification, "vat_rate": _number(item.vat_rate) + " %",
                "estimated_unit_price": formatting.money(item.estimated_unit_price),
                "quantity": _number(sum((line.quantity for line in own), Decimal(0))),
                "maximum": _number(quantities.get(item.pk, Decimal(0))),
            })
        lots.append({"number": lot.number, "title": lot.title, "description": lot.description, "items": items})
    beneficiaries = []
    for organisation in organisations:
        own = [line for line in lines if line.participation.organisation_id == organisation.pk]
        beneficiaries.append({
            "name": organisation.name, "enterprise_number": organisation.printed_enterprise_number,
            "address": full_address(organisation),
            "lines": [{"lot": line.item.lot.number, "item": line.item.name, "quantity": _number(line.quantity),
                       "maximum": _number(line.max_quantity if line.max_quantity is not None else line.quantity)}
                      for line in own],
        })
    cpv_codes = sorted({item["cpv_code"] for lot in lots for item in lot["items"] if item["cpv_code"]})
    return {
        **_head("tender_specification", language, initiative),
        "cpv_codes": cpv_codes,
        "lots": lots,
        "beneficiaries": beneficiaries,
        "procedure": _procedure(tender, initiative, language),
        "criteria": _criteria(tender, language),
        "delivery": DELIVERY[language][initiative.kind],
        "standstill_days": tender.standstill_days if tender else None,
        "legal": {"exclusion": legal.ref("act_2016_exclusion", language),
                  "to_verify": legal.to_verify(legal.ref("act_2016_exclusion", language))},
    }


# --- the award report ---


def award_report_context(initiative: Initiative, language: str) -> dict:
    tender = _tender(initiative)
    criteria = _criteria(tender, language)
    awards = {a.lot_id: a for a in tender.awards.select_related("bid", "bid__supplier", "lot")} if tender else {}
    lot_estimates = selectors.demand_subtotals(initiative, by="lot")
    lots = []
    for lot_ranking in tendering.ranking(tender) if tender else []:
        award = awards.get(lot_ranking.lot.pk)
        bids = []
        for bid, scored in lot_ranking.rows:
            bids.append({
                "bidder": bid.bidder, "received": _date(bid.received_at, language, with_time=True),
                "total": formatting.money(bid.total), "regular": bid.regular, "irregular_reason": bid.irregular_reason,
                "scores": [_score(scored.scores.get(c["id"])) if scored.regular else "" for c in criteria],
                "price_score": _score(scored.price_score),
                "quality_score": _score(scored.quality_score),
                "score": _score(scored.score),
                "_total": bid.total,
                "rank": scored.rank, "winner": award is not None and award.bid_id == bid.pk,
            })
        estimate = lot_estimates.get(lot_ranking.lot.pk, (Decimal("0.00"), Decimal("0.00")))[0]
        regular_totals = [b.pop("_total") for b in bids if b["regular"]]
        for b in bids:
            b.pop("_total", None)
        average = (sum(regular_totals, Decimal(0)) / len(regular_totals)) if regular_totals else None
        lots.append({
            "number": lot_ranking.lot.number, "title": lot_ranking.lot.title, "bids": bids,
            "estimate": formatting.money(estimate),
            "average": formatting.money(average) if average is not None else "",
            "price_check": [
                {"bidder": b["bidder"], "total": b["total"],
                 "versus_estimate": _percent_change(total, estimate),
                 "versus_average": _percent_change(total, average)}
                for b, total in zip([b for b in bids if b["regular"]], regular_totals, strict=True)],
            "decided": award is not None,
            "winner": award.bid.bidder if award is not None and award.bid_id else "",
            "total": formatting.money(award.total) if award is not None and award.bid_id else "",
            "unsuccessful": award is not None and award.bid_id is None,
            "reason": award.reason if award is not None else "",
        })
    organisations, demand = tendering.frozen_demand(initiative)
    awarded: dict[int, Decimal] = {org.pk: Decimal("0.00") for org in organisations}
    for award in awards.values():
        if award.bid_id:
            for share in tendering.award_shares(award, organisations, demand):
                awarded[share.organisation.pk] += share.amount
    estimated = selectors.demand_totals(initiative)
    by_organisation = {p.organisation_id: p.pk for p in initiative.participations.all()}
    results = []
    for organisation in organisations:
        before = estimated.subtotals.get(by_organisation.get(organisation.pk), Decimal("0.00"))
        after = awarded[organisation.pk]
        results.append({"name": organisation.name, "estimated": formatting.money(before),
                        "awarded": formatting.money(after), "difference": formatting.money(after - before)})
    total_awarded = sum(awarded.values(), Decimal("0.00"))
    return {
        **_head("award_report", language, initiative),
        "procedure": _procedure(tender, initiative, language),
        "criteria": criteria,
        "lots": lots,
        "results": results,
        "total_estimated": formatting.money(estimated.pooled_value),
        "total_awarded": formatting.money(total_awarded),
        "total_difference": formatting.money(total_awarded - estimated.pooled_value),
        "state": tender.state if tender else "",
        "awarded_at": _date(tender.awarded_at, language, with_time=True) if tender else "",
        "standstill_days": tender.standstill_days if tender else None,
        "standstill_ends": _date(tender.standstill_ends, language, with_time=True) if tender else "",
        "reason": tender.reason if tender else "",
        "competent": _competent_body(initiative, language),
        "legal": {"price_check": legal.ref("rd_2017_price_check", language),
                  "to_verify": legal.to_verify(legal.ref("rd_2017_price_check", language))},
    }


def _percent_change(value: Decimal, base: Decimal | None) -> str:
    """``-3,25 %`` or ``+4,00 %``: how far ``value`` lies from ``base``."""
    if not base:
        return ""
    change = (Decimal(value) - base) * 100 / base
    return ("+" if change > 0 else "") + _score(change) + " %"


def _competent_body(initiative: Initiative, language: str) -> dict:
    """The lead's body that takes the award decision (the college for a municipality), with its signatories."""
    lead = initiative.lead_organisation
    if lead is None:
        return {"name": "", "organisation": "", "signatories": []}
    body = legal.deciding_body(lead.default_deciding_body, language)
    return {"name": body["name"], "organisation": legal.legal_name(lead.name, lead.kind, language),
            "signatories": body["signatories"]}


# --- who may see what ---


def _lead_or_participant(user, initiative: Initiative) -> bool:
    """The lead's procurement officers and the members of the approved participants (co-contracting
    authorities: they receive the specification and the award report)."""
    if getattr(user, "is_superuser", False) or permissions.may_manage_initiative(user, initiative):
        return True
    return initiative.participations.filter(state=ParticipationState.APPROVED,
                                            organisation__in=permissions.organisation_ids(user)).exists()


def _is_lead_officer(user, initiative: Initiative) -> bool:
    return bool(getattr(user, "is_superuser", False)) or permissions.may_manage_initiative(user, initiative)


def _may_see_specification(user, initiative: Initiative) -> bool:
    """A shared hire's recruitment is the employer's: the other organisations receive their decision and the
    cost-sharing agreement, not the vacancy file."""
    if initiative.kind == InitiativeKind.SHARED_HIRE:
        return _is_lead_officer(user, initiative)
    return _lead_or_participant(user, initiative)


def _may_see_award_report(user, initiative: Initiative) -> bool:
    """After evaluation. For a shared hire the report names candidates and their scores: personal data that
    stay with the employer (the lead's procurement officers), never with the other organisations."""
    tender = _tender(initiative)
    if tender is None or tender.state not in EVALUATED_STATES:
        return False
    if initiative.kind == InitiativeKind.SHARED_HIRE:
        return _is_lead_officer(user, initiative)
    return _lead_or_participant(user, initiative)


def _visible(user):
    return permissions.visible_initiatives(user).select_related("lead_organisation")


registry.register(registry.DocumentKind(
    name="tender_specification", model="procurement.Initiative", template="tender_specification",
    visible=_visible, may_view=_may_see_specification, build_context=tender_specification_context,
    organisation=lambda initiative: initiative.lead_organisation,
))
registry.register(registry.DocumentKind(
    name="award_report", model="procurement.Initiative", template="award_report",
    visible=_visible, may_view=_may_see_award_report, build_context=award_report_context,
    organisation=lambda initiative: initiative.lead_organisation,
))
