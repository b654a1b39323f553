"""Parsing the input of the contracts' services: numbers, dates and lines, errors by field and position."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from procurement.models import MAX_QUANTITY

CENT = Decimal("0.01")


def number(value: Any, errors: dict[str, list[str]], field: str, *, places: int = 2, minimum: Decimal | None = None,
           maximum: Decimal | None = None, positive: bool = False, required: bool = True) -> Decimal | None:
    """A decimal with at most ``places`` decimals within the bounds, or None with the error noted."""
    if value is None or value == "":
        if required:
            errors.setdefault(field, []).append(_("This field is required."))
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        errors.setdefault(field, []).append(_("Enter a number."))
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ".")) if isinstance(value, str) else Decimal(str(value))
    except InvalidOperation:
        errors.setdefault(field, []).append(_("Enter a number, like 12 or 2.5."))
        return None
    quantum = Decimal(1).scaleb(-places)
    if not amount.is_finite():
        errors.setdefault(field, []).append(_("Enter a finite number."))
    elif positive and amount <= 0:
        errors.setdefault(field, []).append(_("Enter more than zero."))
    elif minimum is not None and amount < minimum:
        errors.setdefault(field, []).append(_("Enter %(minimum)s or more.") % {"minimum": minimum})
    elif maximum is not None and amount > maximum:
        errors.setdefault(field, []).append(_("Enter at most %(maximum)s.") % {"maximum": maximum})
    elif amount != amount.quantize(quantum):
        errors.setdefault(field, []).append(
            _("Use at most %(places)s decimals.") % {"places": places})
    else:
        return amount.quantize(quantum)
    return None


def a_date(value: Any, errors: dict[str, list[str]], field: str, *, required: bool = False) -> date | None:
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append(_("This field is required."))
        return None
    if isinstance(value, date):
        return value
    parsed = parse_date(str(value)) if isinstance(value, str) else None
    if parsed is None:
        errors.setdefault(field, []).append(_("Enter a date as YYYY-MM-DD."))
    return parsed


def item_lines(lines: Any, items: Mapping[int, Any], *, field: str = "lines", allow_zero: bool = False,
               required: bool = True) -> tuple[dict[int, Decimal], dict[str, list]]:
    """``[{item, quantity}, …]`` → {item id: quantity}, for items among ``items`` (id → Item), each item
    once. Errors by position under ``field`` (API.md: ``{"lines": [{}, {"quantity": ["…"]}]}``)."""
    if lines in (None, []) and not required:
        return {}, {}
    if not isinstance(lines, (list, tuple)) or not lines:
        return {}, {field: [_("Give at least one line with an item and a quantity.")]}
    parsed: dict[int, Decimal] = {}
    rows: list[dict[str, list[str]]] = []
    for entry in lines:
        errors: dict[str, list[str]] = {}
        if not isinstance(entry, Mapping):
            rows.append({"non_field_errors": [_("Each line is an object with item and quantity.")]})
            continue
        raw = entry.get("item")
        item_id = getattr(raw, "pk", raw)
        try:
            item_id = int(item_id) if item_id not in (None, "") and not isinstance(item_id, bool) else None
        except (TypeError, ValueError):
            item_id = None
        if item_id is None:
            errors["item"] = [_("Give the id of an item.")]
        elif item_id not in items:
            errors["item"] = [_("Item %(item)s is not part of this lot.") % {"item": item_id}]
        elif item_id in parsed:
            errors["item"] = [_("“%(name)s” appears twice; give one line per item.") % {"name": items[item_id]}]
        quantity = number(entry.get("quantity"), errors, "quantity", positive=not allow_zero,
                          minimum=Decimal(0) if allow_zero else None, maximum=MAX_QUANTITY)
        if not errors and item_id is not None and quantity is not None:
            parsed[item_id] = quantity
        rows.append(errors)
    if any(rows):
        return {}, {field: rows}
    return parsed, {}
