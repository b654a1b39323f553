"""The procurement document kinds (DESIGN.md §6), registered with ``documents.registry``.

Each builder returns a JSON-like context: amounts already formatted the Belgian way, dates written out.
That context is hashed into the document's content version, so it holds no timestamps of its own: the
same data give the same document. Legal wording lives in the per-language templates (``templates/pdf/nl``
is the legal original, ``en`` a working translation); the few phrases that depend on data (the deciding
body with its article, the legal basis) are chosen here.
"""

from decimal import Decimal

from django.utils import formats

from core import formatting
from documents import legal, registry
from procurement import permissions, selectors
from procurement.models import (
    DemandLine,
    Initiative,
    InitiativeKind,
    LegalBasis,
    Participation,
    ParticipationState,
    Unit,
)
from procurement.sheets.states import shown_states, shown_states_label

HUNDRED = Decimal(100)

HIRE_DECISION_TITLE = {"nl": "Ontwerpbesluit deelname aan een gedeelde medewerker",
                       "en": "Draft decision on sharing an employee"}
TITLES = {
    "participation_decision": {"nl": "Ontwerpbesluit deelname", "en": "Draft participation decision"},
    "cooperation_agreement": {"nl": "Samenwerkingsovereenkomst en mandaat", "en": "Cooperation agreement and mandate"},
    "demand_summary": {"nl": "Overzicht van de gebundelde behoefte", "en": "Summary of the pooled demand"},
}

# The deciding body as the decision names it (with its article): legal wording, so per language here.
DECIDING_BODY = {
    "nl": {
        "college": "het college van burgemeester en schepenen", "council": "de gemeenteraad",
        "vast_bureau": "het vast bureau", "rmw": "de raad voor maatschappelijk welzijn",
        "police_college": "het politiecollege", "police_council": "de politieraad",
        "board": "de raad van bestuur", "other": "het bevoegde orgaan",
    },
    "en": {
        "college": "the college of mayor and aldermen", "council": "the municipal council",
        "vast_bureau": "the permanent bureau", "rmw": "the council for social welfare",
        "police_college": "the police college", "police_council": "the police council",
        "board": "the board of directors", "other": "the competent body",
    },
}
STATE_LABEL = {
    "nl": {"draft": "ontwerp", "submitted": "ter goedkeuring", "approved": "goedgekeurd", "declined": "geweigerd",
           "withdrawn": "teruggetrokken", "lapsed": "vervallen"},
    "en": {"draft": "draft", "submitted": "submitted for approval", "approved": "approved", "declined": "declined",
           "withdrawn": "withdrawn", "lapsed": "lapsed"},
}


# The procedures and publications of the procedure advice and the tender, written out (never the codes), with
# their legal basis; the tender's documents (tendering/documents.py) use them too.
PROCEDURE = {
    "nl": {
        "accepted_invoice": ("opdracht van beperkte waarde, gesloten met aanvaarde factuur",
                             "art. 92 van de wet van 17 juni 2016 inzake overheidsopdrachten"),
        "negotiated_without_publication": ("onderhandelingsprocedure zonder voorafgaande bekendmaking",
                                           "art. 42, §1, 1°, a van de wet van 17 juni 2016 inzake overheidsopdrachten"),
        "open": ("openbare procedure", "art. 36 van de wet van 17 juni 2016 inzake overheidsopdrachten"),
        "recruitment": ("aanwerving (gedeelde medewerker)",
                        "geen overheidsopdracht: een arbeidsovereenkomst met kostendeling"),
    },
    "en": {
        "accepted_invoice": ("contract of limited value, concluded by accepted invoice",
                             "art. 92 of the Public Procurement Act of 17 June 2016"),
        "negotiated_without_publication": ("negotiated procedure without prior publication",
                                           "art. 42 §1, 1°, a of the Public Procurement Act of 17 June 2016"),
        "open": ("open procedure", "art. 36 of the Public Procurement Act of 17 June 2016"),
        "recruitment": ("recruitment (shared employee)", "not a public contract: employment with cost sharing"),
    },
}
PUBLICATION = {
    "nl": {"none": "geen bekendmaking", "belgian": "Belgische bekendmaking (e-Notification, Bulletin der "
           "Aanbestedingen)", "european": "Europese bekendmaking (Publicatieblad van de EU, TED) en Belgische"},
    "en": {"none": "no publication", "belgian": "Belgian publication (e-Notification, Bulletin der Aanbestedingen)",
           "european": "European publication (Official Journal of the EU, TED) and Belgian"},
}

def procedure_label(code: str, language: str) -> tuple[str, str]:
    """(label, legal basis) of a procedure code; the procedures of procurement/procedures.py that have no
    wording here use its (translated) label, which names the article. Never the code itself."""
    if code in PROCEDURE[language]:
        return PROCEDURE[language][code]
    from django.utils import translation

    from procurement import procedures

    with translation.override(language):
        return str(procedures.LABELS.get(code, code.replace("_", " "))), ""


def number(value: Decimal | None) -> str:
    """A quantity the Belgian way without needless decimals: ``1.250``, ``2,5``."""
    if value is None:
        return ""
    value = Decimal(value)
    text = formatting.money(value).removesuffix(" €")
    whole, _sep, decimals = text.partition(",")
    decimals = decimals.rstrip("0")
    return f"{whole},{decimals}" if decimals else whole


def percent(value: Decimal) -> str:
    return number(value) + " %"


def long_date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        from django.utils import timezone

        value = timezone.localtime(value)
    return formats.date_format(value, "j F Y")


def full_address(organisation) -> str:
    """The address with its postal code, written once: the register's address often holds it already
    ("Kouterlaan 19, 9070 Destelbergen")."""
    address, postal_code = (organisation.address or "").strip(), (organisation.postal_code or "").strip()
    if postal_code and postal_code not in address:
        return f"{address}, {postal_code}" if address else postal_code
    return address


def _organisation(organisation, language: str = "nl") -> dict:
    if organisation is None:
        return {"name": "", "legal_name": "", "enterprise_number": "", "address": "", "kind": ""}
    return {"name": organisation.name, "legal_name": legal.legal_name(organisation.name, organisation.kind, language),
            "enterprise_number": organisation.printed_enterprise_number, "address": full_address(organisation),
            "kind": organisation.kind}


def _initiative(initiative: Initiative) -> dict:
    return {
        "id": initiative.pk,
        "title": initiative.title,
        "description": initiative.description,
        "kind": initiative.kind,
        "is_framework": initiative.kind == InitiativeKind.FRAMEWORK_CONTRACT,
        "legal_basis": initiative.legal_basis,
        "article": "47" if initiative.legal_basis == LegalBasis.CENTRAL_PURCHASING_BODY else "48",
        "demand_deadline": long_date(initiative.demand_deadline),
        "decision_deadline": long_date(initiative.decision_deadline),
        "framework_term_months": initiative.framework_term_months,
        "renewals": initiative.renewals,
        "term_exception_reason": initiative.term_exception_reason,
        "state": initiative.state,
    }


def _counted(line: DemandLine, is_framework: bool) -> Decimal:
    if is_framework and line.max_quantity is not None:
        return line.max_quantity
    return line.quantity


def _lines_by_lot(lines, *, is_framework: bool, language: str) -> tuple[list[dict], Decimal, Decimal]:
    """Group demand lines per lot with exact (Decimal) values; rounded to the cent only for display."""
    lots: dict[int, dict] = {}
    total_excl = total_incl = Decimal(0)
    for line in lines:
        item = line.item
        excl = _counted(line, is_framework) * item.estimated_unit_price
        incl = excl * (HUNDRED + item.vat_rate) / HUNDRED
        lot = lots.setdefault(item.lot.number, {
            "number": item.lot.number, "title": item.lot.title, "lines": [], "_excl": Decimal(0), "_incl": Decimal(0),
        })
        lot["lines"].append({
            "item": item.name,
            "unit": Unit(item.unit).label_in(language),
            "quantity": number(line.quantity),
            "max_quantity": number(line.max_quantity),
            "unit_price": formatting.money(item.estimated_unit_price),
            "vat_rate": percent(item.vat_rate),
            "value_excl": formatting.money(excl),
            "value_incl": formatting.money(incl),
        })
        lot["_excl"] += excl
        lot["_incl"] += incl
        total_excl += excl
        total_incl += incl
    result = []
    for number_ in sorted(lots):
        lot = lots[number_]
        lot["total_excl"] = formatting.money(lot.pop("_excl"))
        lot["total_incl"] = formatting.money(lot.pop("_incl"))
        result.append(lot)
    return result, total_excl, total_incl


def _meta(kind: str, language: str, initiative: Initiative, subject_text: str, filename: str) -> dict:
    return {
        "title": f"{TITLES[kind][language]} — {initiative.title}",
        "author": (legal.legal_name(initiative.lead_organisation.name, initiative.lead_organisation.kind, language)
                   if initiative.lead_organisation else ""),
        "subject": subject_text,
        "filename": filename,
        "kind_title": TITLES[kind][language],
    }


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "x"


# --- participation decision draft ---

def procurement_grounds(initiative: Initiative, language: str) -> list[dict]:
    """The legal grounds of taking part in a joint purchase or framework (not a shared hire)."""
    keys = ["act_2016", "act_2016_definitions",
            "act_2016_central_purchasing" if initiative.legal_basis == LegalBasis.CENTRAL_PURCHASING_BODY
            else "act_2016_joint"]
    if initiative.is_framework:
        keys.append("act_2016_framework")
    return legal.refs([*keys, "rd_2017_award", "rd_2013_execution", "motivation_act"], language)


def hire_grounds(language: str) -> list[dict]:
    """Sharing an employee between local governments: employment law, not procurement law."""
    return legal.refs(["dlb_staff_at_disposal", "act_1987_disposal", "motivation_act"], language)


def participation_decision_context(participation: Participation, language: str) -> dict:
    initiative = participation.initiative
    organisation = participation.organisation
    lead_organisation = initiative.lead_organisation
    is_hire = initiative.kind == InitiativeKind.SHARED_HIRE
    lines = selectors.demand_lines(participation).filter(quantity__gte=0)
    lots, total_excl, total_incl = _lines_by_lot(lines, is_framework=initiative.is_framework, language=language)
    totals = selectors.demand_totals(initiative, participation=participation)
    body = legal.deciding_body(participation.deciding_body or organisation.default_deciding_body, language)
    power = [body["power"]] if body["power"] else []
    grounds = [legal.ref("dlb", language), *(hire_grounds(language) if is_hire else procurement_grounds(initiative, language))]
    signing = legal.ref("dlb_signatures", language)
    visum = legal.ref("dlb_visum", language)
    if is_hire:  # a salary carries no VAT: the shares show FTE and yearly cost only
        total_incl = None
        for lot in lots:
            lot.pop("total_incl")
            for line in lot["lines"]:
                line.pop("value_incl")
                line.pop("vat_rate")
    contact = participation.contact
    own = _organisation(organisation, language)
    lead = _organisation(lead_organisation, language)
    kind_title = HIRE_DECISION_TITLE[language] if is_hire else TITLES["participation_decision"][language]
    meta = _meta("participation_decision", language, initiative, f"{own['legal_name']} — {initiative.title}",
                 f"besluit-{_slug(organisation.name)}-{initiative.pk}" if language == "nl"
                 else f"decision-{_slug(organisation.name)}-{initiative.pk}")
    meta.update({"author": own["legal_name"], "kind_title": kind_title,
                 "title": f"{kind_title} — {initiative.title}"})
    return {
        "meta": meta,
        "initiative": _initiative(initiative),
        "is_shared_hire": is_hire,
        "is_lead": lead_organisation is not None and organisation.pk == lead_organisation.pk,
        "lead": lead,
        "organisation": own,
        "body": body,
        "deciding_body": body["code"],
        "deciding_body_name": body["name"],
        "legal": {"power": power, "grounds": grounds, "signing": signing, "visum": visum,
                  "to_verify": legal.to_verify(power, grounds, signing, visum)},
        "participation": {"id": participation.pk, "state": participation.state,
                          "state_label": STATE_LABEL[language].get(participation.state, participation.state)},
        "lots": lots,
        "total_excl": formatting.money(totals.subtotals.get(participation.pk, total_excl)),
        "total_incl": "" if is_hire else formatting.money(totals.subtotals_incl_vat.get(participation.pk, total_incl)),
        "pooled_value": "" if is_hire else formatting.money(selectors.estimated_value(initiative).total),
        "participant_count": initiative.participations.filter(state__in=shown_states(initiative)).count(),
        "contact": {"name": (contact.get_full_name() or contact.username) if contact else "",
                    "email": contact.email if contact else ""},
    }


# --- cooperation agreement and demand summary (subject: the initiative) ---

def _shown_participations(initiative: Initiative):
    return (initiative.participations.filter(state__in=shown_states(initiative))
            .select_related("organisation", "contact").order_by("organisation__name"))


# The annex shows one column per lot up to this many lots and this many cells of lot columns; beyond, only
# each participant's totals: the page stays readable, and a table of 600 participants × 6 lots takes WeasyPrint
# longer than the 10 s the agreement may take (bench/pdfs.py). The lots of each participant are in its decision.
ANNEX_LOT_COLUMNS = 6
ANNEX_LOT_CELLS = 1200


def _body_of(participation, organisation, language: str) -> dict:
    return legal.deciding_body((participation.deciding_body if participation else "")
                               or organisation.default_deciding_body, language)


def cooperation_agreement_context(initiative: Initiative, language: str) -> dict:
    """The agreement between the lead and every participant: the clauses, each party once with the
    signatories of its deciding body, and the participants' demand as one summary table in an annex (one
    row per participant; a column per lot when there are few lots). Sums come from the selectors."""
    states = shown_states(initiative)
    participations = list(_shown_participations(initiative))
    totals = selectors.demand_totals(initiative, states=states)
    per_lot = selectors.demand_subtotals_per_lot(initiative, states=states)
    lots = list(initiative.lots.order_by("number").values("pk", "number", "title"))
    lot_columns = lots if len(lots) <= ANNEX_LOT_COLUMNS and len(lots) * len(participations) <= ANNEX_LOT_CELLS else []
    lot_totals = selectors.demand_subtotals(initiative, states=states, by="lot")
    lead_organisation = initiative.lead_organisation
    lead_participation = next((p for p in participations if lead_organisation and p.organisation_id == lead_organisation.pk), None)
    lead = {**_organisation(lead_organisation, language),
            "body": _body_of(lead_participation, lead_organisation, language) if lead_organisation else None}
    participants = []
    for p in participations:
        body = _body_of(p, p.organisation, language)
        mine = per_lot.get(p.pk, {})
        participants.append({
            "organisation": _organisation(p.organisation, language),
            "is_lead": lead_participation is not None and p.pk == lead_participation.pk,
            "signatories": body["signatories"],
            "decision": (f"{body['name']}, {p.decision_date:%d.%m.%Y}"
                         + (f" ({p.decision_reference})" if p.decision_reference else "")) if p.decision_date
                        else STATE_LABEL[language].get(p.state, p.state),
            "lots": [formatting.money(mine.get(lot["pk"], (Decimal(0), Decimal(0)))[0]) for lot in lot_columns],
            "total_excl": formatting.money(totals.subtotals.get(p.pk, Decimal(0))),
            "total_incl": formatting.money(totals.subtotals_incl_vat.get(p.pk, Decimal(0))),
        })
    grounds = procurement_grounds(initiative, language)
    gdpr = legal.ref("gdpr", language)
    return {
        "meta": _meta("cooperation_agreement", language, initiative, initiative.title,
                      f"{'samenwerkingsovereenkomst' if language == 'nl' else 'cooperation-agreement'}-{initiative.pk}"),
        "initiative": _initiative(initiative),
        "lead": lead,
        "participants": participants,
        "signing_parties": [p for p in participants if not p["is_lead"]],
        "lead_takes_part": lead_participation is not None,
        "lot_columns": [{"number": lot["number"], "title": lot["title"],
                         "total": formatting.money(lot_totals.get(lot["pk"], (Decimal(0), Decimal(0)))[0])}
                        for lot in lot_columns],
        "lot_width": f"{48 / len(lot_columns):.2f}" if lot_columns else "",  # % of the landscape width
        "name_width": "16" if lot_columns else "40",
        "shown": shown_states_label(initiative, language),
        "pooled_value": formatting.money(totals.pooled_value),
        "pooled_value_incl": formatting.money(totals.pooled_value_incl_vat),
        "legal": {"grounds": grounds, "gdpr": gdpr, "to_verify": legal.to_verify(grounds, gdpr)},
    }


def demand_summary_context(initiative: Initiative, language: str) -> dict:
    states = shown_states(initiative)
    totals = selectors.demand_totals(initiative, states=states)
    by_item = selectors.demand_subtotals(initiative, states=states, by="item")
    by_lot = selectors.demand_subtotals(initiative, states=states, by="lot")
    quantities = selectors.demand_quantities(initiative, states=states)
    lots = []
    for lot in initiative.lots.prefetch_related("items").order_by("number"):
        items = []
        for item in lot.items.all():
            excl, incl = by_item.get(item.pk, (Decimal("0.00"), Decimal("0.00")))
            quantity, max_quantity = quantities.get(item.pk, (Decimal(0), None))
            items.append({
                "name": item.name,
                "unit": Unit(item.unit).label_in(language),
                "quantity": number(quantity), "max_quantity": number(max_quantity),
                "unit_price": formatting.money(item.estimated_unit_price), "vat_rate": percent(item.vat_rate),
                "value_excl": formatting.money(excl), "value_incl": formatting.money(incl),
            })
        excl, incl = by_lot.get(lot.pk, (Decimal("0.00"), Decimal("0.00")))
        lots.append({"number": lot.number, "title": lot.title, "items": items,
                     "total_excl": formatting.money(excl), "total_incl": formatting.money(incl)})
    organisations = [
        {"name": p.organisation.name, "state_label": STATE_LABEL[language].get(p.state, p.state),
         "total_excl": formatting.money(totals.subtotals.get(p.pk, Decimal(0))),
         "total_incl": formatting.money(totals.subtotals_incl_vat.get(p.pk, Decimal(0)))}
        for p in _shown_participations(initiative)
    ]
    advice = selectors.advice_for(initiative)
    return {
        "meta": _meta("demand_summary", language, initiative, initiative.title,
                      f"{'behoefte' if language == 'nl' else 'demand'}-{initiative.pk}"),
        "initiative": _initiative(initiative),
        "lead": _organisation(initiative.lead_organisation),
        "shown": shown_states_label(initiative, language),
        "lots": lots,
        "organisations": organisations,
        "pooled_value": formatting.money(totals.pooled_value),
        "pooled_value_incl": formatting.money(totals.pooled_value_incl_vat),
        "estimated_value": formatting.money(advice.value),
        "advice": _advice(advice, language),
    }


def _advice(advice, language: str) -> dict:
    """The procedure advice with its procedure and publication written out (never the codes)."""
    shown = {key: str(value) if not isinstance(value, (list, dict)) else value
             for key, value in advice.as_dict().items()}
    code, publication = shown.get("procedure") or "", shown.get("publication") or ""
    label, basis = procedure_label(code, language)
    shown["procedure"] = f"{label} ({basis})" if basis else label
    shown["publication"] = PUBLICATION[language].get(publication, publication)
    return shown


# --- who may see what ---

def _is_lead_officer(user, initiative: Initiative) -> bool:
    return bool(getattr(user, "is_superuser", False)) or permissions.may_manage_initiative(user, initiative)


def _may_see_agreement(user, initiative: Initiative) -> bool:
    """The lead's procurement officers, and the people of organisations that are party to it (they sign)."""
    if _is_lead_officer(user, initiative):
        return True
    mine = permissions.organisation_ids(user)
    return initiative.participations.filter(state__in=shown_states(initiative), organisation__in=mine).exists()


registry.register(registry.DocumentKind(
    name="participation_decision", model="procurement.Participation", template="participation_decision",
    visible=lambda user: permissions.visible_participations(user).select_related(
        "initiative", "initiative__lead_organisation", "organisation", "contact"),
    may_view=lambda user, participation: True,  # whoever sees the participation (own organisation, lead)
    build_context=participation_decision_context,
    organisation=lambda participation: participation.organisation,
    editable_copy=True,  # a secretary edits the draft before it goes on the agenda
))
registry.register(registry.DocumentKind(
    name="cooperation_agreement", model="procurement.Initiative", template="cooperation_agreement",
    visible=lambda user: permissions.visible_initiatives(user).select_related("lead_organisation"),
    may_view=_may_see_agreement,
    build_context=cooperation_agreement_context,
    organisation=lambda initiative: initiative.lead_organisation,
))
registry.register(registry.DocumentKind(
    name="demand_summary", model="procurement.Initiative", template="demand_summary",
    visible=lambda user: permissions.visible_initiatives(user).select_related("lead_organisation"),
    may_view=_is_lead_officer,  # every organisation's demand: the lead's procurement officers only
    build_context=demand_summary_context,
    organisation=lambda initiative: initiative.lead_organisation,
))
registry.register_batch(registry.BatchKind(
    name="participation_decision", parent="initiatives",
    visible_parents=lambda user: permissions.visible_initiatives(user).select_related("lead_organisation"),
    may_request=_is_lead_officer,
    subjects=lambda initiative: initiative.participations.filter(
        state__in=(ParticipationState.DRAFT, ParticipationState.SUBMITTED, ParticipationState.APPROVED)
    ).select_related("initiative", "initiative__lead_organisation", "organisation", "contact").order_by("organisation__name"),
    document_kind="participation_decision",
    zip_name=lambda initiative: f"besluiten-{initiative.pk}",
))
