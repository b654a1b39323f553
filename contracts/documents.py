"""The contracts' two document kinds (DESIGN.md §6), registered with ``documents.registry`` (autodiscovered):

- ``call_off_order`` — the order form of a call-off (subject: the call-off): the framework agreement's
  reference, the lot, the ordering organisation, the supplier, the lines at the awarded prices, the delivery
  address and date, and what remained of the ceilings just before and after the order. Only once ordered;
- ``cost_sharing_agreement`` — the cost-sharing agreement of a shared hire (subject: the contract): the
  employer, the position, the allocation key (every version), the cost base and the indexation, invoicing
  per quarter, governance and termination.

The contexts are JSON-like, amounts written the Belgian way; the order form reads the snapshot the order
stored (``participant_remaining_before`` …), so a later call-off never changes an earlier form.
"""

from decimal import Decimal

from django.utils import formats, translation

from core import formatting, money
from core.formatting import fraction, quantity
from documents import legal, registry
from procurement.models import LegalBasis, Unit

from . import costs
from .models import CallOff, CallOffState, Contract, ContractKind, SharedHire

TITLES = {
    "call_off_order": {"nl": "Bestelbon afroeping", "en": "Call-off order form"},
    "cost_sharing_agreement": {"nl": "Overeenkomst kostendeling gedeelde medewerker",
                               "en": "Cost-sharing agreement for a shared employee"},
}
STATE = {
    "nl": {"draft": "ontwerp", "ordered": "besteld", "delivered": "geleverd", "closed": "afgesloten",
           "cancelled": "geannuleerd"},
    "en": {"draft": "draft", "ordered": "ordered", "delivered": "delivered", "closed": "closed",
           "cancelled": "cancelled"},
}
BASIS = {"nl": {"fte": "VTE", "percentage": "%"}, "en": {"fte": "FTE", "percentage": "%"}}


def _date(value, language: str) -> str:
    if value is None:
        return ""
    with translation.override(language):
        return formats.date_format(value, "j F Y")


def _money(value: Decimal | None) -> str:
    return "" if value is None else formatting.money(value)


def _party(organisation) -> dict:
    if organisation is None:
        return {"name": "", "enterprise_number": "", "address": ""}
    return {"name": organisation.name, "enterprise_number": getattr(organisation, "printed_enterprise_number",
                                                                    organisation.enterprise_number) or "",
            "address": " ".join(p for p in (getattr(organisation, "address", ""),
                                            getattr(organisation, "postal_code", "")) if p)}


def _meta(kind: str, language: str, *, subject: str, author: str, filename: str) -> dict:
    return {"title": f"{TITLES[kind][language]} — {subject}", "author": author, "subject": subject,
            "filename": filename, "kind_title": TITLES[kind][language]}


def _framework(contract: Contract, language: str) -> dict:
    initiative = contract.initiative
    return {
        "reference": contract.reference, "title": initiative.title, "lot_number": contract.lot.number,
        "lot_title": contract.lot.title, "publication_reference": contract.tender.publication_reference,
        "starts_on": _date(contract.starts_on, language), "ends_on": _date(contract.ends_on, language),
        "article": "47" if initiative.legal_basis == LegalBasis.CENTRAL_PURCHASING_BODY else "48",
    }


# --- the call-off order form ---


def call_off_order_context(call_off: CallOff, language: str) -> dict:
    contract = call_off.contract
    lead = contract.initiative.lead_organisation
    supplier = contract.supplier
    lines = []
    total_incl = Decimal("0.00")
    for line in call_off.lines.select_related("item").order_by("item__position", "item_id"):
        incl = money.cents(line.amount * (100 + line.item.vat_rate) / 100)
        total_incl += incl
        lines.append({
            "item": line.item.name, "unit": Unit(line.item.unit).label_in(language),
            "quantity": quantity(line.quantity), "unit_price": _money(line.unit_price), "amount": _money(line.amount),
            "vat_rate": quantity(line.item.vat_rate) + " %", "amount_incl": _money(incl),
            "remaining_before": quantity(line.remaining_before), "remaining_after": quantity(line.remaining_after),
        })
    return {
        "meta": _meta("call_off_order", language, subject=f"{contract.initiative.title} — {call_off.organisation.name}",
                      author=lead.name if lead else "",
                      filename=f"{'bestelbon' if language == 'nl' else 'call-off'}-{contract.pk}-{call_off.number}"),
        "framework": _framework(contract, language),
        "lead": _party(lead),
        "organisation": _party(call_off.organisation),
        "supplier": {"name": contract.party, "enterprise_number": supplier.enterprise_number if supplier else "",
                     "address": supplier.address if supplier else "", "email": supplier.email if supplier else ""},
        "call_off": {
            "number": call_off.number, "state": call_off.state, "state_label": STATE[language][call_off.state],
            "cancelled": call_off.state == CallOffState.CANCELLED, "reason": call_off.reason,
            "ordered_on": _date(call_off.ordered_on, language), "delivery_address": call_off.delivery_address,
            "delivery_date": _date(call_off.delivery_date, language), "total": _money(call_off.total),
            "total_incl": _money(total_incl), "vat": _money(total_incl - call_off.total),
        },
        "lines": lines,
        "ceiling": {
            "participant_before": _money(call_off.participant_remaining_before),
            "participant_after": _money(call_off.participant_remaining_after),
            "overall_before": _money(call_off.overall_remaining_before),
            "overall_after": _money(call_off.overall_remaining_after),
            "overall_maximum": _money(contract.ceiling),
            "participant_maximum": _money(contract.beneficiaries.filter(organisation=call_off.organisation)
                                          .values_list("maximum", flat=True).first()),
        },
    }


def _may_have_order_form(user, call_off: CallOff) -> bool:
    """The order form exists once the call-off is ordered; whoever sees the call-off may have it."""
    return call_off.state != CallOffState.DRAFT


# --- the cost-sharing agreement ---


def cost_sharing_context(contract: Contract, language: str) -> dict:
    hire: SharedHire = contract.hire
    lead = contract.initiative.lead_organisation
    versions = costs.versions(contract)
    basis = BASIS[language]
    rendered_versions = []
    for version in versions:
        total = sum((value for _org, value in version.shares), Decimal(0))
        rendered_versions.append({
            "number": version.key.version, "start": _date(version.start, language),
            "end": _date(version.end, language), "basis": version.key.basis, "unit": basis[version.key.basis],
            "reason": version.key.reason,
            "shares": [{"name": org.name, "enterprise_number": org.printed_enterprise_number or "", "value": fraction(value),
                        "percentage": fraction((value * 100 / total).quantize(Decimal("0.0001")) if total else 0)}
                       for org, value in version.shares],
        })
    parties = {}
    for version in versions:
        for org, _value in version.shares:
            parties.setdefault(org.pk, _party(org))
    base_cost = costs.to_cents(costs.annual_cost(hire, hire.base_year))
    return {
        "meta": _meta("cost_sharing_agreement", language, subject=f"{contract.initiative.title} — {hire.title}",
                      author=lead.name if lead else "",
                      filename=f"{'kostendeling' if language == 'nl' else 'cost-sharing'}-{contract.pk}"),
        "initiative": {"title": contract.initiative.title, "description": contract.initiative.description},
        "employer": _party(hire.employer),
        "participants": list(parties.values()),
        "position": {"title": hire.title, "fte": fraction(hire.fte), "candidate": contract.candidate,
                     "starts_on": _date(contract.starts_on, language),
                     "last_day": _date(contract.last_day, language)},
        "versions": rendered_versions,
        "cost": {
            "salary": _money(hire.annual_salary_cost), "operating": _money(hire.operating_costs),
            "overhead": fraction(hire.overhead_percentage), "subsidies": _money(hire.subsidies),
            "indexation": fraction(hire.indexation_percentage), "base_year": hire.base_year,
            "annual_base": _money(base_cost),
        },
        "notice_months": hire.notice_months,
        "state": contract.state,
        "legal": _hire_legal(language),
    }


def _hire_legal(language: str) -> dict:
    """Sharing an employee between local governments: the employment rules that allow it, not procurement law."""
    grounds = legal.refs(["dlb_staff_at_disposal", "act_1987_disposal"], language)
    return {"grounds": grounds, "to_verify": legal.to_verify(grounds)}


def _hires(user):
    return Contract.objects.visible_to(user).filter(kind=ContractKind.SHARED_HIRE, hire__isnull=False).select_related(
        "initiative__lead_organisation", "hire__employer")


registry.register(registry.DocumentKind(
    name="call_off_order", model="contracts.CallOff", template="call_off_order",
    visible=lambda user: CallOff.objects.visible_to(user).select_related(
        "contract__initiative__lead_organisation", "contract__lot", "contract__supplier", "contract__tender",
        "organisation"),
    may_view=_may_have_order_form, build_context=call_off_order_context,
    organisation=lambda call_off: call_off.organisation,
))
registry.register(registry.DocumentKind(
    name="cost_sharing_agreement", model="contracts.Contract", template="cost_sharing_agreement",
    visible=_hires, may_view=lambda user, contract: True, build_context=cost_sharing_context,
    organisation=lambda contract: contract.initiative.lead_organisation,
))
