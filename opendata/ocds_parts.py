"""The building blocks of our OCDS releases: identifiers, values and dates as the standard wants them,
parties identified by their enterprise number, items, and the release package."""

import hashlib
import json
import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from procurement.models import Initiative, Item, Organisation, Unit
from tendering.models import Supplier

OCDS_VERSION = "1.1"
LOTS_EXTENSION = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json"
# The techniques extension has no release tag; the copy in opendata/schema/ is of this commit (its COMMIT file).
TECHNIQUES_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_techniques_extension/"
    "5568b00a8dd694a3d34441bdd9ef2bd3f9d44b11/extension.json"
)
EXTENSIONS = [LOTS_EXTENSION, TECHNIQUES_EXTENSION]
KBO_SCHEME = "BE-BCE_KBO"  # org-id.guide: the Belgian Crossroads Bank for Enterprises
CURRENCY = "EUR"

# UN/CEFACT Recommendation 20 codes of our units; licence-years and FTEs have none, they keep their name.
UNIT_CODES = {Unit.PIECE: "H87", Unit.DAY: "DAY", Unit.HOUR: "HUR", Unit.MONTH: "MON", Unit.PAGE: "ZP", Unit.SET: "SET"}


# --- identifiers ---


def ocid(initiative: Initiative | int) -> str:
    pk = initiative if isinstance(initiative, int) else initiative.pk
    return f"{settings.OCDS_PREFIX}-{pk}"


def lot_id(lot_pk: int) -> str:
    return f"lot-{lot_pk}"


def item_id(item_pk: int) -> str:
    return f"item-{item_pk}"


def award_id(award_pk: int) -> str:
    return f"award-{award_pk}"


def digest(content: dict) -> str:
    """What identifies the content of a release: its JSON without id, date and tag, keys sorted."""
    stripped = {k: v for k, v in content.items() if k not in ("id", "date", "tag")}
    return hashlib.sha256(json.dumps(stripped, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# --- value formatting ---


def amount(value: Decimal | None) -> dict | None:
    """A Value: the standard wants a JSON number; euro amounts with two decimals are exact enough as one."""
    return None if value is None else {"amount": float(value), "currency": CURRENCY}


def number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def stamp(value: datetime | None) -> str | None:
    """ISO 8601 with the Brussels offset, to the second."""
    return None if value is None else timezone.localtime(value).isoformat(timespec="seconds")


def day_start(value: date | None) -> str | None:
    return None if value is None else stamp(timezone.make_aware(datetime.combine(value, time.min)))


def day_end(value: date | None) -> str | None:
    return None if value is None else stamp(timezone.make_aware(datetime.combine(value, time(23, 59, 59))))


def compact(obj: Any) -> Any:
    """Drop empty values (None, "", [], {}) recursively: the standard prefers absent to null."""
    if isinstance(obj, dict):
        out = {k: compact(v) for k, v in obj.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {})}
    if isinstance(obj, list):
        return [compact(v) for v in obj if v not in (None, "", [], {})]
    return obj


# --- parties ---

_ADDRESS = re.compile(r"^(?P<street>.+?),\s*(?P<postal>\d{4})\s+(?P<locality>.+)$")
ROLE_ORDER = ["procuringEntity", "buyer", "tenderer", "supplier"]


class Parties:
    """The parties of one release, one per enterprise number, with every role it plays."""

    def __init__(self) -> None:
        self._parties: dict[str, dict] = {}

    def add(self, party: Organisation | Supplier, role: str) -> dict:
        digits = re.sub(r"\D", "", party.enterprise_number)
        pid = f"{KBO_SCHEME}-{digits}"
        entry = self._parties.get(pid)
        if entry is None:
            entry = self._parties[pid] = {
                "id": pid,
                "name": party.name,
                "identifier": {"scheme": KBO_SCHEME, "id": digits, "legalName": party.name},
                "address": _address(party),
                "contactPoint": {"name": party.name, "email": party.email} if party.email else None,
                "roles": [],
            }
            if getattr(party, "enterprise_number_confirmed", True) is False:
                # Reference-data honesty: the identifier is published, and so is that it is not confirmed.
                entry["details"] = {"identifierConfirmed": False, "identifierNote": party.reference_note}
        if role not in entry["roles"]:
            entry["roles"].append(role)
            entry["roles"].sort(key=ROLE_ORDER.index)
        return {"id": pid, "name": party.name}

    def as_list(self) -> list[dict]:
        return sorted(self._parties.values(), key=lambda p: (ROLE_ORDER.index(p["roles"][0]), p["name"], p["id"]))


def _address(party: Organisation | Supplier) -> dict:
    text = (party.address or "").strip()
    postal = getattr(party, "postal_code", "") or ""
    found = _ADDRESS.match(text)
    if found:
        return {"streetAddress": found["street"], "postalCode": found["postal"] or postal,
                "locality": found["locality"], "countryName": _("Belgium")}
    return {"streetAddress": text, "postalCode": postal, "countryName": _("Belgium")}


def item_entry(item: Item, *, quantity: Decimal | None, unit_price: Decimal | None = None) -> dict:
    unit_code = UNIT_CODES.get(item.unit)
    return {
        "id": item_id(item.pk),
        "description": item.name,
        "classification": {"scheme": "CPV", "id": item.cpv_code[:8]} if item.cpv_code else None,
        "quantity": None if quantity is None else number(quantity),
        "unit": {
            "scheme": "UNCEFACT" if unit_code else None,
            "id": unit_code,
            "name": str(Unit(item.unit).label),
            "value": amount(item.estimated_unit_price if unit_price is None else unit_price),
        },
        "relatedLot": lot_id(item.lot_id),
    }


# --- the package ---


def package(releases: list[dict], *, uri: str, links: dict | None = None) -> dict:
    """A release package of ``releases``. ``publishedDate`` is the date of the newest release in it (the
    standard's advice for a package generated on demand: the last change of its contents)."""
    dates = [r["date"] for r in releases if r.get("date")]
    head = compact({
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": EXTENSIONS,
        "publishedDate": max(dates, key=datetime.fromisoformat) if dates else stamp(timezone.now()),
        "publisher": {"name": settings.OCDS_PUBLISHER_NAME, "uri": settings.SITE_URL},
        "license": settings.OCDS_LICENSE or None,
        # Not in the 1.1 package schema (which allows additional fields); OCDS 1.2 adds it for paging.
        "links": links,
    })
    # The releases as they were published, also when there are none (an empty page says so).
    return {**head, "releases": releases}
