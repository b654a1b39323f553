"""What a notice says, read from the tender, its initiative and (after the award) its contracts.

The builders write XML from these facts only; this module is the one place that knows where each fact lives
in the product (docs/EFORMS.md lists the mapping field by field).
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings

from procurement import selectors
from procurement.models import InitiativeKind, LegalBasis, OrganisationKind, ParticipationState

from . import nuts
from .models import BuyerContact, NoticeKind, NoticeStatus, SupplierProfile

# eForms buyer legal type (BT-11) per kind of organisation: municipalities, OCMWs and police zones are local
# authorities; an intermunicipal body is a body governed by public law controlled by local authorities.
LEGAL_TYPE = {
    OrganisationKind.MUNICIPALITY: "la",
    OrganisationKind.OCMW: "la",
    OrganisationKind.POLICE_ZONE: "la",
    OrganisationKind.INTERMUNICIPAL: "body-pl-la",
    OrganisationKind.CENTRAL_PURCHASING_BODY: "body-pl-la",
    OrganisationKind.OTHER: "body-pl-la",
}
# eForms main activity (BT-10): general public services, public order and safety for a police zone,
# social protection for an OCMW.
ACTIVITY = {
    OrganisationKind.POLICE_ZONE: "pub-os",
    OrganisationKind.OCMW: "soc-pro",
}

_ADDRESS = re.compile(r"^(?P<street>.+?),\s*(?P<postal>\d{4})\s+(?P<city>.+)$")


@dataclass
class Party:
    key: str  # ORG-0001 …
    name: str
    company_id: str  # the KBO enterprise number
    street: str = ""
    postal_code: str = ""
    city: str = ""
    nuts: str = ""
    email: str = ""
    legal_type: str = ""
    activity: str = ""
    size: str = ""  # a winner's company size (BT-165): micro, small, medium, large
    telephone: str = ""


@dataclass
class Criterion:
    kind: str  # price / quality
    name: str
    weight: int


@dataclass
class LotFacts:
    key: str  # LOT-0001 …
    number: int
    title: str
    description: str
    cpv_main: str
    cpv_more: list[str]
    nature: str  # supplies / services / works
    estimated_value: Decimal


@dataclass
class ContractFacts:
    key: str  # CON-0001
    reference: str
    signatory: str  # party key of the buyer that signs
    concluded_on: object
    value: Decimal


@dataclass
class ResultFacts:
    lot: LotFacts
    bids_received: int
    large_bids: int | None = None  # bids from large enterprises (BT-759 t-large); None when a size is unknown
    sme_bids: int | None = None  # bids from micro, small and medium enterprises (t-sme)
    tender_key: str = ""  # TEN-0001, empty when the lot was not awarded
    winner_key: str = ""  # ORG key of the supplier
    tendering_party_key: str = ""
    value: Decimal | None = None
    contracts: list[ContractFacts] = field(default_factory=list)


@dataclass
class Facts:
    tender_id: int
    title: str
    description: str
    folder_id: str
    european: bool
    procedure: str
    lead: Party
    buyers: list[Party]  # the lead first, then the participants
    suppliers: list[Party]
    lots: list[LotFacts]
    criteria: list[Criterion]
    estimated_value: Decimal
    framework: bool
    framework_months: int | None
    renewals: int
    central_purchasing_body: bool
    bid_deadline: datetime
    publication_reference: str
    awarded_at: datetime | None = None
    results: list[ResultFacts] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)
    framework_notice: str = ""
    issued_at: datetime | None = None  # the contract notice's issue date: its publication, once published

    @property
    def nature(self) -> str:
        natures = {lot.nature for lot in self.lots}
        return natures.pop() if len(natures) == 1 else "supplies"


def folder_id(tender) -> str:
    """The procedure's identifier (BT-04), the same in the contract and the award notice of one tender."""
    # eForms wants the form of a random (version 4) UUID; derived from the tender, so that both notices agree.
    derived = uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/tenders/{tender.pk}/")
    return str(uuid.UUID(bytes=derived.bytes, version=4))


def nature_of(cpv: str) -> str:
    """Supplies, services or works by the CPV division (45 = works; 01–44 and 48 supplies; the rest services)."""
    division = int(cpv[:2]) if cpv[:2].isdigit() else 0
    if division == 45:
        return "works"
    if division < 45 or division == 48:
        return "supplies"
    return "services"


def _party(key: str, organisation, unconfirmed: list[str]) -> Party:
    match = _ADDRESS.match(organisation.address or "")
    region = nuts.region_of(getattr(organisation, "nis_code", "") or "")
    if region is not None and not region.confirmed:
        unconfirmed.append(f"NUTS {region.nuts} ({region.name}) voor {organisation.name}")
    kind = getattr(organisation, "kind", None)
    contact = BuyerContact.objects.filter(organisation=organisation).first() if kind else None
    return Party(
        key=key, name=organisation.name, company_id=organisation.enterprise_number,
        street=match["street"] if match else "", postal_code=(match["postal"] if match else "")
        or getattr(organisation, "postal_code", ""), city=match["city"] if match else "",
        nuts=region.nuts if region else "", email=organisation.email or (contact.email if contact else ""),
        telephone=contact.telephone if contact else "",
        legal_type=LEGAL_TYPE.get(kind, "") if kind else "", activity=ACTIVITY.get(kind, "gen-pub") if kind else "",
    )


def _cpv(code: str) -> str:
    """eForms takes the eight digits of a CPV code, without its check digit."""
    return code.split("-")[0]


def facts_for(tender) -> Facts:
    initiative = tender.initiative
    unconfirmed: list[str] = []
    lead = _party("ORG-0001", initiative.lead_organisation, unconfirmed)
    participants = [
        p.organisation for p in initiative.participations.filter(state=ParticipationState.APPROVED)
        .select_related("organisation").order_by("organisation__name")
        if p.organisation_id != initiative.lead_organisation_id
    ]
    buyers = [lead] + [_party(f"ORG-{n:04d}", org, unconfirmed) for n, org in enumerate(participants, start=2)]
    values = selectors.lot_values(initiative)
    lots = []
    for n, lot in enumerate(initiative.lots.order_by("number").prefetch_related("items"), start=1):
        codes = list(dict.fromkeys(_cpv(i.cpv_code) for i in lot.items.all() if i.cpv_code))
        lots.append(LotFacts(
            key=f"LOT-{n:04d}", number=lot.number, title=lot.title, description=lot.description or lot.title,
            cpv_main=codes[0] if codes else "", cpv_more=codes[1:],
            nature=nature_of(codes[0]) if codes else "supplies", estimated_value=values.get(lot.pk, Decimal(0)),
        ))
    criteria = [Criterion(kind="price" if c.is_price else "quality", name=c.name, weight=c.weight)
                for c in tender.criteria.all()]
    facts = Facts(
        tender_id=tender.pk, title=initiative.title, description=initiative.description or initiative.title,
        folder_id=folder_id(tender), european=tender.publication == "european", procedure=tender.procedure,
        lead=lead, buyers=buyers, suppliers=[], lots=lots, criteria=criteria,
        estimated_value=tender.estimated_value, framework=initiative.kind == InitiativeKind.FRAMEWORK_CONTRACT,
        framework_months=initiative.framework_term_months, renewals=initiative.renewals,
        central_purchasing_body=initiative.legal_basis == LegalBasis.CENTRAL_PURCHASING_BODY,
        bid_deadline=tender.bid_deadline, publication_reference=tender.publication_reference,
        awarded_at=tender.awarded_at, unconfirmed=unconfirmed, issued_at=tender.published_at,
    )
    return facts


def with_results(facts: Facts, tender) -> Facts:
    """Add the award: per lot the bids received, the winner, the value and the contracts signed."""
    from contracts.models import Contract

    suppliers: dict[int, Party] = {}
    lots = {lot.number: lot for lot in facts.lots}
    awards = {a.lot.number: a for a in tender.awards.select_related("lot", "bid", "bid__supplier")}
    contracts = Contract.objects.filter(tender=tender).select_related("lot").order_by("lot__number", "id")
    per_lot: dict[int, list] = {}
    for contract in contracts:
        per_lot.setdefault(contract.lot.number, []).append(contract)
    tender_n = contract_n = 0
    for number, lot in lots.items():
        bidders = list(tender.bids.filter(lot__number=number).values_list("supplier_id", flat=True))
        sizes = dict(SupplierProfile.objects.filter(supplier_id__in=bidders).exclude(size="")
                     .values_list("supplier_id", "size"))
        known = all(s in sizes for s in bidders)
        result = ResultFacts(
            lot=lot, bids_received=len(bidders),
            large_bids=sum(sizes[s] == "large" for s in bidders) if known else None,
            sme_bids=sum(sizes[s] != "large" for s in bidders) if known else None,
        )
        award = awards.get(number)
        if award is not None and award.bid_id and award.bid.supplier_id:
            supplier = award.bid.supplier
            if supplier.pk not in suppliers:
                party = _party(f"ORG-{len(facts.buyers) + len(suppliers) + 1:04d}", supplier, facts.unconfirmed)
                profile = SupplierProfile.objects.filter(supplier=supplier).first()
                if profile is not None:
                    party.size, party.nuts = profile.size, profile.nuts
                suppliers[supplier.pk] = party
            tender_n += 1
            result.tender_key = f"TEN-{tender_n:04d}"
            result.winner_key = suppliers[supplier.pk].key
            result.tendering_party_key = f"TPA-{list(suppliers).index(supplier.pk) + 1:04d}"
            result.value = award.total
            contracts = per_lot.get(number, [])
            if contracts:  # the lead concludes one contract (or framework agreement) per lot for all buyers
                contract_n += 1
                result.contracts.append(ContractFacts(
                    key=f"CON-{contract_n:04d}", reference=f"{facts.tender_id}-{number}", signatory=facts.lead.key,
                    concluded_on=tender.concluded_at, value=sum((c.value for c in contracts), Decimal(0)),
                ))
        facts.results.append(result)
    facts.suppliers = list(suppliers.values())
    facts.framework_notice = _framework_notice(tender)
    return facts


_OJ_NUMBER = re.compile(r"^[0-9]{1,8}-(19|20)[0-9]{2}$")


def _framework_notice(tender) -> str:
    """OPT-100: the notice that announced the framework agreement: our valid contract notice (its id and
    version), else the publication reference when it has the form of a TED number."""
    from .models import Notice

    notice = (Notice.objects.filter(tender=tender, kind=NoticeKind.CONTRACT, status=NoticeStatus.VALID)
              .order_by("-created_at").first())
    if notice is not None:
        return f"{notice.notice_id}-01"
    return tender.publication_reference if _OJ_NUMBER.match(tender.publication_reference or "") else ""
