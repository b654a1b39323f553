"""Framework call-offs as contracting processes of their own (DESIGN.md §9, OCDS framework guidance).

Each call-off gets its own ``ocid`` and links to the framework's process through ``relatedProcesses``
(``relationship: framework``, ``scheme: ocid``). The CallOff model comes with a later issue
(``contracts``); until it exists ``call_off_model()`` is None and nothing here runs. The builder reads
only what the API contract promises of a call-off (``POST /api/contracts/<id>/call-offs/``: organisation,
lines of item × quantity, state, total) plus the framework ``contract`` it belongs to, so it plugs in as
soon as the model does:

- ``contract`` (the framework agreement), ``organisation`` (who orders), ``state`` (draft, ordered,
  delivered, closed, cancelled), ``total``;
- ``lines``: a related manager (or a list) of rows with ``item``, ``quantity`` and, if the model keeps
  it, ``unit_price`` (else the framework's price for that item);
- optionally ``ordered_at`` (else ``created_at``).
"""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from contracts.models import Contract

from . import ocds_parts as parts

# Drafts are the orderer's own preparation; from `ordered` on, a call-off is a public contract.
PUBLISHED_STATES = {"ordered", "delivered", "closed", "cancelled"}
CONTRACT_STATUS = {"ordered": "active", "delivered": "active", "closed": "terminated", "cancelled": "cancelled"}


def call_off_model():
    try:
        return apps.get_model("contracts", "CallOff")
    except LookupError:
        return None


def ocid(call_off: Any) -> str:
    return f"{parts.ocid(call_off.contract.initiative_id)}-call-off-{call_off.pk}"


def is_published(call_off: Any) -> bool:
    """Ordered call-offs are public; a draft cancelled before it was ever ordered never was a contract."""
    return getattr(call_off, "state", None) in PUBLISHED_STATES and getattr(call_off, "ordered_at", True) is not None


def call_offs_of(initiative_id: int) -> Iterator[Any]:
    """The published call-offs under the framework agreements of an initiative (none without the model)."""
    model = call_off_model()
    if model is None:
        return iter(())
    return iter(
        model.objects.filter(contract__initiative_id=initiative_id, state__in=PUBLISHED_STATES,
                             ordered_at__isnull=False)
        .select_related("contract", "organisation").order_by("pk")
    )


def _lines(call_off: Any) -> list:
    lines = getattr(call_off, "lines", None)
    if lines is None:
        return []
    return list(lines.all()) if hasattr(lines, "all") else list(lines)


def release_content(call_off: Any) -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        return parts.compact(_content(call_off))


def _content(call_off: Any) -> dict:
    framework: Contract = call_off.contract
    initiative = framework.initiative
    parties = parts.Parties()
    buyer = parties.add(call_off.organisation, "procuringEntity")
    parties.add(call_off.organisation, "buyer")
    suppliers = [parties.add(framework.supplier, "supplier")] if framework.supplier_id else []
    prices = {line.item_id: line.unit_price for line in framework.lines.all()}
    items = []
    for line in _lines(call_off):
        price = getattr(line, "unit_price", None)
        items.append(parts.item_entry(line.item, quantity=Decimal(line.quantity),
                                     unit_price=price if price is not None else prices.get(line.item.pk)))
    cancelled = call_off.state == "cancelled"
    when = parts.stamp(getattr(call_off, "ordered_at", None) or getattr(call_off, "created_at", None))
    title = _("Call-off %(number)s under %(framework)s") % {"number": call_off.pk, "framework": initiative.title}
    award = f"call-off-{call_off.pk}"
    return {
        "ocid": ocid(call_off),
        "initiationType": "tender",
        "language": settings.LANGUAGE_CODE,
        "relatedProcesses": [{
            "id": "framework",
            "relationship": ["framework"],
            "title": initiative.title,
            "scheme": "ocid",
            "identifier": parts.ocid(initiative),
        }],
        "tender": {
            "id": ocid(call_off),
            "title": title,
            "status": "cancelled" if cancelled else "complete",
            "procuringEntity": buyer,
            "procurementMethod": "limited",
            "procurementMethodDetails": _("Call-off under a framework agreement without reopening competition"),
            "items": items,
            "lots": [{"id": parts.lot_id(framework.lot_id), "title": framework.lot.title}],
            "techniques": {"hasFrameworkAgreement": True},
            "competitive": False,
        },
        "awards": [{
            "id": award,
            "title": title,
            "status": "cancelled" if cancelled else "active",
            "date": when,
            "value": parts.amount(call_off.total),
            "suppliers": suppliers,
            "relatedLots": [parts.lot_id(framework.lot_id)],
        }],
        "contracts": [{
            "id": award,
            "awardID": award,
            "title": title,
            "status": CONTRACT_STATUS.get(call_off.state, "active"),
            "value": parts.amount(call_off.total),
            "dateSigned": when,
            "items": items,
        }],
        "parties": parties.as_list(),
    }


def stage(call_off: Any) -> str:
    return "cancelled" if call_off.state == "cancelled" else "closed" if call_off.state == "closed" else "contract"
