"""The eForms XML of a contract notice (subtype 16 or E3) and a contract award notice (29 or E4).

Subtypes 16 and 29 are the forms of directive 2014/24/EU (European publication, at or above the EU thresholds);
E3 and E4 are the same notices outside the directive (below the thresholds: Belgian publication only, legal
basis the Act of 17 June 2016). Field ids (BT-…) are those of the SDK's fields/fields.json.
"""

from dataclasses import dataclass
from datetime import datetime

from . import xml
from .facts import Facts, LotFacts, Party
from .xml import sub

SDK_CUSTOMIZATION = "eforms-sdk-1.15"
LANGUAGE = "NLD"
DIRECTIVE = "32014L0024"
# BT-98: bids bind the bidder for 90 days from the bid deadline unless the procurement documents say otherwise
# (art. 58 KB plaatsing 18 april 2017).
TENDER_VALIDITY_DAYS = 90
# The Belgian review body for public contracts of local authorities: the Council of State (Raad van State),
# for suspension and annulment (art. 14 gecoördineerde wetten op de Raad van State; Wet van 17 juni 2013
# betreffende de motivering, de informatie en de rechtsmiddelen, art. 15 and 23).
REVIEW_BODY = {
    "key": "ORG-0900",
    "name": "Raad van State",
    "company_id": "0206.645.640",  # UNCONFIRMED: KBO number of the Raad van State not checked against the KBO
    "street": "Wetenschapsstraat 33",
    "postal_code": "1040",
    "city": "Brussel",
    "nuts": "BE100",
    "email": "info@raadvst-consetat.be",
}
REVIEW_DEADLINES = (
    "Een vordering tot schorsing bij uiterst dringende noodzakelijkheid wordt ingesteld binnen 15 dagen na de "
    "kennisgeving van de gunningsbeslissing; een beroep tot nietigverklaring binnen 60 dagen (Wet van 17 juni "
    "2013, art. 15 en 23)."
)


@dataclass(frozen=True)
class Subtype:
    code: str
    root: str  # ContractNotice / ContractAwardNotice
    notice_type: str  # BT-02
    form_type: str  # competition / result
    european: bool


CONTRACT = {True: Subtype("16", "ContractNotice", "cn-standard", "competition", True),
            False: Subtype("E3", "ContractNotice", "cn-standard", "competition", False)}
AWARD = {True: Subtype("29", "ContractAwardNotice", "can-standard", "result", True),
         False: Subtype("E4", "ContractAwardNotice", "can-standard", "result", False)}


def _text(parent, name, value):
    return sub(parent, name, value, languageID=LANGUAGE)


# --- organisations ---


def _organisation(parent, party: Party, *, awarding_cpb: bool = False, group_lead: bool | None = None) -> None:
    organisation = sub(parent, "efac:Organization")
    if group_lead is not None:  # OPP-050: with several buyers, which one leads the group
        sub(organisation, "efbc:GroupLeadIndicator", "true" if group_lead else "false")
    if awarding_cpb:  # OPP-051: the lead awards for the participants (art. 2, 7°, b) and art. 47 Wet 2016)
        sub(organisation, "efbc:AwardingCPBIndicator", "true")
    company = sub(organisation, "efac:Company")
    if party.size:  # BT-165, asked of the winners
        sub(company, "efbc:CompanySizeCode", party.size, listName="economic-operator-size")
    sub(xml.path(company, "cac:PartyIdentification"), "cbc:ID", party.key, schemeName="organization")
    _text(xml.path(company, "cac:PartyName"), "cbc:Name", party.name)
    address = sub(company, "cac:PostalAddress")
    if party.street:
        sub(address, "cbc:StreetName", party.street)
    if party.city:
        sub(address, "cbc:CityName", party.city)
    if party.postal_code:
        sub(address, "cbc:PostalZone", party.postal_code)
    if party.nuts:
        sub(address, "cbc:CountrySubentityCode", party.nuts, listName="nuts")
    sub(xml.path(address, "cac:Country"), "cbc:IdentificationCode", "BEL", listName="country")
    sub(xml.path(company, "cac:PartyLegalEntity"), "cbc:CompanyID", party.company_id)
    if party.telephone or party.email:
        contact = sub(company, "cac:Contact")
        if party.telephone:
            sub(contact, "cbc:Telephone", party.telephone)
        if party.email:
            sub(contact, "cbc:ElectronicMail", party.email)


def _organisations(extension, facts: Facts, *, suppliers: bool) -> None:
    organisations = sub(extension, "efac:Organizations")
    group = len(facts.buyers) > 1
    for party in facts.buyers:
        lead = party.key == facts.lead.key
        _organisation(organisations, party, awarding_cpb=lead and facts.central_purchasing_body and group,
                      group_lead=lead if group else None)
    _organisation(organisations, Party(**REVIEW_BODY))
    if suppliers:
        for party in facts.suppliers:
            _organisation(organisations, party)


def _contracting_parties(root, facts: Facts) -> None:
    """BT-11 and BT-10 per buyer (the lead first)."""
    for party in facts.buyers:
        contracting = sub(root, "cac:ContractingParty")
        sub(xml.path(contracting, "cac:ContractingPartyType"), "cbc:PartyTypeCode", party.legal_type,
            listName="buyer-legal-type")
        sub(xml.path(contracting, "cac:ContractingActivity"), "cbc:ActivityTypeCode", party.activity,
            listName="authority-activity")
        sub(xml.path(contracting, "cac:Party", "cac:PartyIdentification"), "cbc:ID", party.key,
            schemeName="organization")


# --- the common head and the procedure ---




def _identity(root, subtype: Subtype, facts: Facts, *, notice_id: str, issued_at: datetime) -> None:
    sub(root, "cbc:UBLVersionID", "2.3")
    sub(root, "cbc:CustomizationID", SDK_CUSTOMIZATION)
    sub(root, "cbc:ID", notice_id, schemeName="notice-id")
    sub(root, "cbc:ContractFolderID", facts.folder_id)
    sub(root, "cbc:IssueDate", xml.day(issued_at))
    sub(root, "cbc:IssueTime", xml.clock_time(issued_at))
    sub(root, "cbc:VersionID", "01")
    sub(root, "cbc:RegulatoryDomain", DIRECTIVE if subtype.european else "other")
    sub(root, "cbc:NoticeTypeCode", subtype.notice_type, listName=subtype.form_type)
    sub(root, "cbc:NoticeLanguageCode", LANGUAGE)


def _subtype(extension, subtype: Subtype) -> None:
    sub(xml.path(extension, "efac:NoticeSubType"), "cbc:SubTypeCode", subtype.code, listName="notice-subtype")


def _legal_basis_terms(terms, subtype: Subtype) -> None:
    if not subtype.european:
        legislation = sub(terms, "cac:ProcurementLegislationDocumentReference")
        sub(legislation, "cbc:ID", "LocalLegalBasis")
        _text(legislation, "cbc:DocumentDescription",
              "Wet van 17 juni 2016 inzake overheidsopdrachten; KB plaatsing van 18 april 2017")


def _procedure_project(root, facts: Facts, *, with_value: bool) -> None:
    project = sub(root, "cac:ProcurementProject")
    _text(project, "cbc:Name", facts.title)
    _text(project, "cbc:Description", facts.description)
    sub(project, "cbc:ProcurementTypeCode", facts.nature, listName="contract-nature")
    if with_value:
        sub(xml.path(project, "cac:RequestedTenderTotal"), "cbc:EstimatedOverallContractAmount",
            xml.amount(facts.estimated_value), currencyID="EUR")
    lot_cpvs = list(dict.fromkeys(c for lot in facts.lots for c in [lot.cpv_main, *lot.cpv_more] if c))
    if lot_cpvs:
        sub(xml.path(project, "cac:MainCommodityClassification"), "cbc:ItemClassificationCode", lot_cpvs[0],
            listName="cpv")
        for code in lot_cpvs[1:]:
            sub(xml.path(project, "cac:AdditionalCommodityClassification"), "cbc:ItemClassificationCode", code,
                listName="cpv")
    _places(project, facts)


def _places(project, facts: Facts) -> None:
    """BT-5071: the regions of the buyers, where the supplies are delivered or the services performed."""
    for region in dict.fromkeys(b.nuts for b in facts.buyers if b.nuts) or [""]:
        address = xml.path(project, "cac:RealizedLocation", "cac:Address")
        if region:
            sub(address, "cbc:CountrySubentityCode", region, listName="nuts")
        sub(xml.path(address, "cac:Country"), "cbc:IdentificationCode", "BEL", listName="country")


def _lot_project(parent, facts: Facts, lot: LotFacts, *, with_value: bool) -> None:
    project = sub(parent, "cac:ProcurementProject")
    sub(project, "cbc:ID", str(lot.number), schemeName="InternalID")
    _text(project, "cbc:Name", lot.title)
    _text(project, "cbc:Description", lot.description)
    sub(project, "cbc:ProcurementTypeCode", lot.nature, listName="contract-nature")
    if with_value:
        total = sub(project, "cac:RequestedTenderTotal")
        if facts.framework:
            sub(xml.extension(total), "efbc:FrameworkMaximumAmount", xml.amount(lot.estimated_value),
                currencyID="EUR")
        sub(total, "cbc:EstimatedOverallContractAmount", xml.amount(lot.estimated_value), currencyID="EUR")
    if lot.cpv_main:
        sub(xml.path(project, "cac:MainCommodityClassification"), "cbc:ItemClassificationCode", lot.cpv_main,
            listName="cpv")
    for code in lot.cpv_more:
        sub(xml.path(project, "cac:AdditionalCommodityClassification"), "cbc:ItemClassificationCode", code,
            listName="cpv")
    _places(project, facts)
    if facts.framework and facts.framework_months:
        sub(xml.path(project, "cac:PlannedPeriod"), "cbc:DurationMeasure", str(facts.framework_months),
            unitCode="MONTH")
    elif with_value:  # BT-538: a joint purchase has no term; its delivery period is set in the documents
        sub(xml.path(project, "cac:PlannedPeriod"), "cbc:DescriptionCode", "UNKNOWN", listName="timeperiod")
    if facts.framework and facts.renewals:
        extension = sub(project, "cac:ContractExtension")
        sub(extension, "cbc:MaximumNumberNumeric", str(facts.renewals))
        _text(xml.path(extension, "cac:Renewal", "cac:Period"), "cbc:Description",
              f"De raamovereenkomst kan {facts.renewals} keer verlengd worden.")


def _award_criteria(terms, facts: Facts) -> None:
    """BT-539, BT-734, BT-541 and BT-5421: each criterion with its weight as an exact percentage."""
    criterion = xml.path(terms, "cac:AwardingTerms", "cac:AwardingCriterion")
    for item in facts.criteria:
        subordinate = sub(criterion, "cac:SubordinateAwardingCriterion")
        parameter = sub(xml.extension(subordinate), "efac:AwardCriterionParameter")
        sub(parameter, "efbc:ParameterCode", "per-exa", listName="number-weight")
        sub(parameter, "efbc:ParameterNumeric", str(item.weight))
        sub(subordinate, "cbc:AwardingCriterionTypeCode", item.kind, listName="award-criterion-type")
        _text(subordinate, "cbc:Name", item.name)
        _text(subordinate, "cbc:Description", f"{item.name}: {item.weight} punten op 100.")


def _appeal(terms) -> None:
    appeal = sub(terms, "cac:AppealTerms")
    _text(xml.path(appeal, "cac:PresentationPeriod"), "cbc:Description", REVIEW_DEADLINES)
    sub(xml.path(appeal, "cac:AppealReceiverParty", "cac:PartyIdentification"), "cbc:ID", REVIEW_BODY["key"],
        schemeName="organization")


def _framework_system(process, facts: Facts) -> None:
    sub(xml.path(process, "cac:ContractingSystem"), "cbc:ContractingSystemTypeCode",
        "fa-wo-rc" if facts.framework else "none", listName="framework-agreement")
    sub(xml.path(process, "cac:ContractingSystem"), "cbc:ContractingSystemTypeCode", "none", listName="dps-usage")


# --- contract notice ---


def contract_notice(facts: Facts, *, notice_id: str, issued_at: datetime) -> bytes:
    """The contract notice; once the tender is published, as it was issued on the day of publication."""
    subtype = CONTRACT[facts.european]
    issued_at = facts.issued_at or issued_at
    root = xml.root(subtype.root)
    extension = xml.extension(root)
    _subtype(extension, subtype)
    _organisations(extension, facts, suppliers=False)
    _identity(root, subtype, facts, notice_id=notice_id, issued_at=issued_at)
    _contracting_parties(root, facts)

    terms = sub(root, "cac:TenderingTerms")
    _legal_basis_terms(terms, subtype)
    sub(xml.path(terms, "cac:TendererQualificationRequest", "cac:SpecificTendererRequirement"),
        "cbc:TendererRequirementTypeCode", "epo-procurement-document", listName="exclusion-grounds-source")
    if len(facts.lots) > 1:  # BT-31: a bidder may bid for every lot
        sub(xml.path(terms, "cac:LotDistribution"), "cbc:MaximumLotsSubmittedNumeric", str(len(facts.lots)))

    process = sub(root, "cac:TenderingProcess")
    sub(process, "cbc:ProcedureCode", "open", listName="procurement-procedure-type")
    if subtype.european:
        sub(xml.path(process, "cac:ProcessJustification"), "cbc:ProcessReasonCode", "false",
            listName="accelerated-procedure")
    _procedure_project(root, facts, with_value=True)

    for lot in facts.lots:
        _contract_lot(root, facts, lot, subtype)
    return xml.serialise(root)


def _contract_lot(root, facts: Facts, lot: LotFacts, subtype: Subtype) -> None:
    element = sub(root, "cac:ProcurementProjectLot")
    sub(element, "cbc:ID", lot.key, schemeName="Lot")
    terms = sub(element, "cac:TenderingTerms")
    sub(terms, "cbc:VariantConstraintCode", "not-allowed", listName="permission")
    sub(terms, "cbc:FundingProgramCode", "no-eu-funds", listName="eu-funded")
    documents = sub(terms, "cac:CallForTendersDocumentReference")  # BT-14, BT-15: where the documents are
    sub(documents, "cbc:ID", f"{facts.tender_id}-{lot.number}")
    sub(documents, "cbc:DocumentType", "non-restricted-document")
    sub(xml.path(documents, "cac:Attachment", "cac:ExternalReference"), "cbc:URI", _settings().EFORMS_DOCUMENTS_URL)
    sub(xml.path(terms, "cac:TendererQualificationRequest", "cac:SpecificTendererRequirement"),
        "cbc:TendererRequirementTypeCode", "none", listName="reserved-procurement")
    sub(xml.path(terms, "cac:TendererQualificationRequest", "cac:SpecificTendererRequirement"),
        "cbc:TendererRequirementTypeCode", "epo-procurement-document", listName="selection-criteria-source")
    sub(xml.path(terms, "cac:ContractExecutionRequirement"), "cbc:ExecutionRequirementCode", "no",
        listName="reserved-execution")
    sub(xml.path(terms, "cac:ContractExecutionRequirement"), "cbc:ExecutionRequirementCode", "required",
        listName="einvoicing")
    sub(xml.path(terms, "cac:ContractExecutionRequirement"), "cbc:ExecutionRequirementCode", "not-allowed",
        listName="ecatalog-submission")
    _award_criteria(terms, facts)
    recipient = sub(terms, "cac:TenderRecipientParty")
    sub(recipient, "cbc:EndpointID", _submission_url())
    sub(xml.path(terms, "cac:TenderValidityPeriod"), "cbc:DurationMeasure", str(TENDER_VALIDITY_DAYS),
        unitCode="DAY")
    _appeal(terms)
    sub(xml.path(terms, "cac:Language"), "cbc:ID", LANGUAGE)
    post_award = sub(terms, "cac:PostAwardProcess")  # BT-92, BT-93: e-invoicing is required (see above)
    sub(post_award, "cbc:ElectronicOrderUsageIndicator", "false")
    sub(post_award, "cbc:ElectronicPaymentUsageIndicator", "true")
    process = sub(element, "cac:TenderingProcess")
    sub(process, "cbc:SubmissionMethodCode", "required", listName="esubmission")
    if subtype.european:  # BT-115: the GPA covers contracts above the EU thresholds
        sub(process, "cbc:GovernmentAgreementConstraintIndicator", "true")
    deadline = sub(process, "cac:TenderSubmissionDeadlinePeriod")
    sub(deadline, "cbc:EndDate", xml.day(facts.bid_deadline))
    sub(deadline, "cbc:EndTime", xml.clock_time(facts.bid_deadline))
    sub(xml.path(process, "cac:AuctionTerms"), "cbc:AuctionConstraintIndicator", "false")
    _framework_system(process, facts)
    _lot_project(element, facts, lot, with_value=True)


def _settings():
    from django.conf import settings

    return settings


def _submission_url() -> str:
    return _settings().EFORMS_SUBMISSION_URL


# --- award notice ---


def award_notice(facts: Facts, *, notice_id: str, issued_at: datetime) -> bytes:
    subtype = AWARD[facts.european]
    root = xml.root(subtype.root)
    extension = xml.extension(root)
    _notice_result(extension, facts)
    _subtype(extension, subtype)
    _organisations(extension, facts, suppliers=True)
    _identity(root, subtype, facts, notice_id=notice_id, issued_at=issued_at)
    _contracting_parties(root, facts)
    if not subtype.european:
        terms = sub(root, "cac:TenderingTerms")
        _legal_basis_terms(terms, subtype)
    process = sub(root, "cac:TenderingProcess")
    sub(process, "cbc:ProcedureCode", "open", listName="procurement-procedure-type")
    _procedure_project(root, facts, with_value=False)
    for lot in facts.lots:
        element = sub(root, "cac:ProcurementProjectLot")
        sub(element, "cbc:ID", lot.key, schemeName="Lot")
        terms = sub(element, "cac:TenderingTerms")
        sub(terms, "cbc:FundingProgramCode", "no-eu-funds", listName="eu-funded")
        _award_criteria(terms, facts)
        _appeal(terms)
        lot_process = sub(element, "cac:TenderingProcess")
        if subtype.european:
            sub(lot_process, "cbc:GovernmentAgreementConstraintIndicator", "true")
        sub(xml.path(lot_process, "cac:AuctionTerms"), "cbc:AuctionConstraintIndicator", "false")
        _framework_system(lot_process, facts)
        _lot_project(element, facts, lot, with_value=False)
    if facts.awarded_at:
        sub(xml.path(root, "cac:TenderResult"), "cbc:AwardDate", xml.day(facts.awarded_at))
    return xml.serialise(root)


def _notice_result(extension, facts: Facts) -> None:
    result_element = sub(extension, "efac:NoticeResult")
    total = sum((r.value for r in facts.results if r.value is not None), start=0)
    sub(result_element, "cbc:TotalAmount", xml.amount(total), currencyID="EUR")
    if facts.framework:  # BT-118: the maxima of the framework agreements concluded
        maximum = sum((r.lot.estimated_value for r in facts.results if r.tender_key), start=0)
        sub(result_element, "efbc:OverallMaximumFrameworkContractsAmount", xml.amount(maximum), currencyID="EUR")
    for n, result in enumerate(facts.results, start=1):
        lot_result = sub(result_element, "efac:LotResult")
        sub(lot_result, "cbc:ID", f"RES-{n:04d}", schemeName="result")
        if result.tender_key:
            sub(lot_result, "cbc:HigherTenderAmount", xml.amount(result.value), currencyID="EUR")
            sub(lot_result, "cbc:LowerTenderAmount", xml.amount(result.value), currencyID="EUR")
        sub(lot_result, "cbc:TenderResultCode", "selec-w" if result.tender_key else "clos-nw",
            listName="winner-selection-status")
        if result.tender_key:
            sub(xml.path(lot_result, "efac:LotTender"), "cbc:ID", result.tender_key, schemeName="tender")
        if facts.framework and result.tender_key:
            values = sub(lot_result, "efac:FrameworkAgreementValues")
            sub(values, "cbc:MaximumValueAmount", xml.amount(result.lot.estimated_value), currencyID="EUR")
        # BT-759 per kind. Bids by size need the size of every bidder; the register holds Belgian enterprises
        # only (a KBO number is required), so none came from elsewhere in or outside the EEA; bids are
        # submitted electronically (BT-17 required).
        counts = [("tenders", result.bids_received)]
        if result.large_bids is not None:
            counts += [("t-sme", result.sme_bids), ("t-large", result.large_bids)]
        counts += [("t-oth-eea", 0), ("t-no-eea", 0), ("t-esubm", result.bids_received)]
        for code, count in counts:
            statistics = sub(lot_result, "efac:ReceivedSubmissionsStatistics")
            sub(statistics, "efbc:StatisticsCode", code, listName="received-submission-type")
            sub(statistics, "efbc:StatisticsNumeric", str(count))
        for contract in result.contracts:
            sub(xml.path(lot_result, "efac:SettledContract"), "cbc:ID", contract.key, schemeName="contract")
        sub(xml.path(lot_result, "efac:TenderLot"), "cbc:ID", result.lot.key, schemeName="Lot")
    for result in facts.results:
        if not result.tender_key:
            continue
        tender = sub(result_element, "efac:LotTender")
        sub(tender, "cbc:ID", result.tender_key, schemeName="tender")
        sub(tender, "cbc:RankCode", "1")
        sub(tender, "efbc:TenderRankedIndicator", "true")
        sub(xml.path(tender, "cac:LegalMonetaryTotal"), "cbc:PayableAmount", xml.amount(result.value),
            currencyID="EUR")
        sub(xml.path(tender, "efac:SubcontractingTerm"), "efbc:TermCode", "no", listName="applicability")
        sub(xml.path(tender, "efac:TenderingParty"), "cbc:ID", result.tendering_party_key,
            schemeName="tendering-party")
        sub(xml.path(tender, "efac:TenderLot"), "cbc:ID", result.lot.key, schemeName="Lot")
        sub(xml.path(tender, "efac:TenderReference"), "cbc:ID", f"{facts.tender_id}-{result.lot.number}")
    for result in facts.results:
        for contract in result.contracts:
            settled = sub(result_element, "efac:SettledContract")
            sub(settled, "cbc:ID", contract.key, schemeName="contract")
            if facts.awarded_at:
                sub(settled, "cbc:AwardDate", xml.day(facts.awarded_at))
            if contract.concluded_on:
                sub(settled, "cbc:IssueDate", xml.day(contract.concluded_on))
            if facts.framework:
                sub(settled, "efbc:ContractFrameworkIndicator", "true")
            if facts.framework and facts.framework_notice:  # OPT-100: the notice that announced it
                sub(xml.path(settled, "cac:NoticeDocumentReference"), "cbc:ID", facts.framework_notice)
            sub(xml.path(settled, "cac:SignatoryParty", "cac:PartyIdentification"), "cbc:ID", contract.signatory,
                schemeName="organization")
            sub(xml.path(settled, "efac:ContractReference"), "cbc:ID", contract.reference)
            sub(xml.path(settled, "efac:LotTender"), "cbc:ID", result.tender_key, schemeName="tender")
    seen = set()
    for result in facts.results:
        if not result.tender_key or result.tendering_party_key in seen:
            continue
        seen.add(result.tendering_party_key)
        party = sub(result_element, "efac:TenderingParty")
        sub(party, "cbc:ID", result.tendering_party_key, schemeName="tendering-party")
        sub(xml.path(party, "efac:Tenderer"), "cbc:ID", result.winner_key, schemeName="organization")
