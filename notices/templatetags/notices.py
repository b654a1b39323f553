"""``{% tender_notices tender %}``: the eForms card of the tender page (only for those who run the tender)."""

from django import template

from procurement.models import Organisation
from tendering import rules as permissions
from tendering.models import Supplier

from .. import nuts, services
from ..explain import explain
from ..models import BuyerContact, CompanySize, NoticeKind, NoticeStatus, SupplierProfile

register = template.Library()


def fragment_context(request, tender) -> dict:
    user = request.user
    manager = permissions.may_manage_tender(user, tender)
    if not manager:
        return {"manager": False}
    latest = services.latest(tender)
    rows = []
    for kind in NoticeKind:
        notice = latest[kind.value]
        refused = services.refusal(tender, kind.value)
        rows.append({
            "kind": kind, "notice": notice, "refused": refused.message if refused else "",
            "failures": [explain(f) for f in notice.failures if f.get("role", "ERROR") == "ERROR"] if notice else [],
            "warnings": [explain(f) for f in notice.failures if f.get("role", "ERROR") != "ERROR"] if notice else [],
        })
    bidders = list(Supplier.objects.filter(bids__tender=tender).distinct().order_by("name"))
    winners = set(Supplier.objects.filter(bids__awards__tender=tender).values_list("pk", flat=True))
    profiles = {p.supplier_id: p for p in SupplierProfile.objects.filter(supplier__in=bidders)}
    organisations = Organisation.objects.filter(pk__in=services.buyer_ids(tender)).order_by("name")
    contacts = {c.organisation_id: c for c in BuyerContact.objects.filter(organisation__in=organisations)}
    return {
        "manager": True, "tender": tender, "rows": rows, "request": request,
        "pending": any(r["notice"] and r["notice"].status == NoticeStatus.PENDING for r in rows),
        "bidders": [{"supplier": s, "winner": s.pk in winners, "size": getattr(profiles.get(s.pk), "size", ""),
                     "nuts": getattr(profiles.get(s.pk), "nuts", "")} for s in bidders],
        "buyers": [{"organisation": o, "telephone": getattr(contacts.get(o.pk), "telephone", ""),
                    "email": o.email or getattr(contacts.get(o.pk), "email", "")} for o in organisations],
        "size_choices": CompanySize.choices,
        "regions": [(r.nuts, f"{r.nuts} {r.name}") for r in nuts.BY_ARRONDISSEMENT.values()],
    }


@register.inclusion_tag("notices/_tender_notices.html", takes_context=True)
def tender_notices(context, tender):
    return fragment_context(context["request"], tender)
