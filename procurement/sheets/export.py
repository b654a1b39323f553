"""The aggregated demand sheet: one aggregate query into pandas, written as XLSX (xlsxwriter) and CSV.

Money is computed the way ``procurement.selectors`` computes it: quantities and prices as whole
hundredths, multiplied as integers (exact on every database), summed as Python integers and rounded to the
cent once per total. So every total in the sheet equals the selectors' to the cent.

No cell can become a formula or a link: the workbook has ``strings_to_formulas`` and ``strings_to_urls``
off and text is written with ``write_string``; in the CSV every value starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is prefixed with ``'``.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import F, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import xlsx
from core.money import cents
from core.xlsx import Sheet
from procurement import selectors
from procurement.models import DecidingBody, DemandLine, Initiative, Item, Participation, ParticipationState, Unit
from procurement.selectors import hundredths, quantity_expression

from .states import shown_states, shown_states_label

E4 = Decimal(10_000)  # a quantity in hundredths times a price in hundredths: 1/10 000 euro
E6 = Decimal(1_000_000)  # … times (100 + VAT rate)
CSV_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Totals:
    by_participation: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)
    by_item: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)
    by_lot: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)
    by_participation_lot: dict[tuple[int, int], tuple[Decimal, Decimal]] = field(default_factory=dict)
    pooled: tuple[Decimal, Decimal] = (Decimal("0.00"), Decimal("0.00"))


@dataclass
class DemandData:
    initiative: Initiative
    states: tuple[str, ...]
    generated_at: datetime
    lines: Any  # pandas.DataFrame, one row per participation × item
    quantities: dict[int, dict[int, dict[str, int | None]]]  # participation → item → quantities in hundredths
    items: list[dict]
    participants: list[dict]  # every participation, counted or not
    totals: Totals


def _money(value_e4: int) -> Decimal:
    return cents(Decimal(value_e4) / E4)


def _money_incl(value_e6: int) -> Decimal:
    return cents(Decimal(value_e6) / E6)


def _group_totals(frame, key: str | list[str]) -> dict:
    """Value excl. and incl. VAT per group (an id, or a tuple of ids when ``key`` is a list)."""
    if frame.empty:
        return {}
    # The columns hold Python integers (dtype object), so pandas sums them exactly: a large initiative's
    # incl.-VAT products exceed 2**63 and would overflow int64.
    sums = frame.groupby(key, sort=True)[["excl_e4", "incl_e6"]].sum()
    return {
        tuple(map(int, group)) if isinstance(key, list) else int(group): (_money(int(excl)), _money_incl(int(incl)))
        for group, excl, incl in sums.itertuples(name=None)
    }


def load(initiative: Initiative) -> DemandData:
    """Read the demand that the sheet shows: one aggregate query for the demand, plus the item and
    participant lists (which also name items nobody asked for and participations that do not count)."""
    import pandas as pd

    states = shown_states(initiative)
    counted = quantity_expression(initiative)
    items = [
        {"id": item.pk, "lot_id": item.lot_id, "lot_number": item.lot.number, "lot_title": item.lot.title,
         "name": item.name, "unit": item.unit, "price": item.estimated_unit_price, "vat_rate": item.vat_rate}
        for item in Item.objects.filter(lot__initiative=initiative).select_related("lot")
        .order_by("lot__number", "position", "id")
    ]
    # The quantities in the database (summed as whole hundredths), the money here: the item's price and VAT
    # rate are the same on every line of the item, so pricing the 36 000 rows in Python (integers: exact)
    # spares the query a join and three products per line. VAT rates are whole percentages.
    quantities_h = (
        DemandLine.objects.filter(participation__initiative=initiative, participation__state__in=states)
        .values("participation_id", "item_id")
        .annotate(quantity_h=Sum(hundredths(F("quantity"))), max_h=Sum(hundredths(F("max_quantity"))),
                  counted_h=Sum(hundredths(counted)))
        .values_list("participation_id", "item_id", "quantity_h", "max_h", "counted_h")  # tuples: faster
        .order_by()
    )
    price_h = {item["id"]: int(item["price"] * 100) for item in items}
    vat = {item["id"]: int(item["vat_rate"]) for item in items}
    lot_of = {item["id"]: item["lot_id"] for item in items}
    rows = []
    quantities: dict[int, dict[int, dict[str, int | None]]] = {}
    for participation_id, item_id, quantity_h, max_h, counted_h in quantities_h:
        excl_e4 = counted_h * price_h[item_id]
        rows.append((participation_id, item_id, lot_of[item_id], quantity_h, max_h, counted_h, excl_e4,
                     excl_e4 * (100 + vat[item_id])))
        quantities.setdefault(participation_id, {})[item_id] = {
            "quantity_h": quantity_h, "max_h": max_h, "counted_h": counted_h}
    columns = ["participation_id", "item_id", "lot_id", "quantity_h", "max_h", "counted_h", "excl_e4", "incl_e6"]
    # dtype=object keeps Python integers (exact, unbounded) and None for a missing maximum quantity.
    lines = pd.DataFrame(rows, columns=columns, dtype=object)

    participants = list(
        Participation.objects.filter(initiative=initiative).order_by("organisation__name").values(
            "id", "state", "deciding_body", "decision_date", "decision_reference", "submitted_at",
            organisation_name=F("organisation__name"), enterprise_number=F("organisation__enterprise_number"))
    )
    for p in participants:
        p["organisation"] = p.pop("organisation_name")  # "organisation" is the foreign key's name in .values()
        p["counted"] = p["state"] in states
    totals = Totals(
        by_participation=_group_totals(lines, "participation_id"),
        by_item=_group_totals(lines, "item_id"),
        by_lot=_group_totals(lines, "lot_id"),
        by_participation_lot=_group_totals(lines, ["participation_id", "lot_id"]),
    )
    if not lines.empty:
        totals.pooled = (_money(sum(int(v) for v in lines["excl_e4"])),
                         _money_incl(sum(int(v) for v in lines["incl_e6"])))
    return DemandData(initiative=initiative, states=states, generated_at=timezone.now(), lines=lines,
                      quantities=quantities, items=items, participants=participants, totals=totals)


# --- XLSX ---

def _label(choices: type, code: str) -> str:
    """The translated label of a choice (the code itself when unknown)."""
    return str(choices(code).label) if code in choices.values else code


def _unit(code: str) -> str:
    return _label(Unit, code)


def _state(code: str) -> str:
    return _label(ParticipationState, code)


def _body(code: str) -> str:
    return _label(DecidingBody, code)


def _local(value: datetime) -> datetime:
    return timezone.localtime(value).replace(tzinfo=None)


def item_heading(item: dict) -> str:
    return f"{item['lot_number']}.{item['name']} ({_unit(item['unit'])})"


def _header(sheet: Sheet, data: DemandData, title: str) -> int:
    """The block above every table: initiative, data date, which demand, pooled value. Returns next row."""
    initiative = data.initiative
    sheet.text(0, 0, title, "title", fit=False)
    rows = [
        (_("Initiative"), f"{initiative.title} (#{initiative.pk})"),
        (_("Lead organisation"), initiative.lead_organisation.name if initiative.lead_organisation else ""),
        (_("State"), initiative.get_state_display()),
    ]
    row = 1
    for label, value in rows:
        sheet.text(row, 0, label, "label")
        sheet.text(row, 1, value, fit=False)
        row += 1
    sheet.text(row, 0, _("Data as of"), "label")
    sheet.moment(row, 1, _local(data.generated_at))
    row += 1
    sheet.text(row, 0, _("Demand shown"), "label")
    sheet.text(row, 1, shown_states_label(initiative, translation.get_language() or "nl"), fit=False)
    row += 1
    sheet.text(row, 0, _("Estimated value excl. VAT (art. 7 KB plaatsing: all participants, renewals included)"),
               "label")
    sheet.number(row, 1, selectors.estimated_value(initiative).total, "money")
    row += 1
    sheet.text(row, 0, _("Demand shown excl. VAT"), "label")
    sheet.number(row, 1, data.totals.pooled[0], "money")
    row += 1
    sheet.text(row, 0, _("Demand shown incl. VAT"), "label")
    sheet.number(row, 1, data.totals.pooled[1], "money")
    return row + 2


@dataclass
class _Column:
    """A quantity column of a pivot: an item and which of its quantities (``counted_h``, ``quantity_h`` or
    ``max_h``, in hundredths) it shows."""

    item: dict
    field: str
    heading: str


def _pivot(sheet: Sheet, data: DemandData, *, top: int, heading: str, columns: list[_Column],
           participants: list[dict], values: dict[int, tuple[Decimal, Decimal]],
           total: tuple[Decimal, Decimal]) -> None:
    """Organisations × items from row ``top``: a row per participation with its quantity in every column and
    its value excl. and incl. VAT, then the total quantity, the estimated unit price, the VAT rate and the value
    of every column. The value rows show the value of the counted quantity (under the estimate of a framework
    they stay empty: its value counts the maximum)."""
    zero = (Decimal("0.00"), Decimal("0.00"))
    sheet.text(top, 0, heading, "head")
    for col, column in enumerate(columns, start=1):
        sheet.text(top, col, column.heading, "head")
    value_col = len(columns) + 1
    sheet.text(top, value_col, _("Value excl. VAT"), "head")
    sheet.text(top, value_col + 1, _("Value incl. VAT"), "head")
    write_number, f = sheet.ws.write_number, sheet.f
    sums = [0] * len(columns)
    largest = [0] * len(columns)
    row = top
    for p in participants:
        row += 1
        sheet.text(row, 0, p["organisation"])
        cells = data.quantities.get(p["id"], {})
        for n, column in enumerate(columns):
            hundredths = cells.get(column.item["id"], {}).get(column.field) or 0
            sums[n] += hundredths
            largest[n] = max(largest[n], abs(hundredths))
            # Whole quantities without decimals; written directly, fitted once per column below.
            if hundredths % 100:
                write_number(row, n + 1, hundredths / 100, f["qty"])
            else:
                write_number(row, n + 1, hundredths // 100, f["int"])
        excl, incl = values.get(p["id"], zero)
        sheet.number(row, value_col, excl, "money")
        sheet.number(row, value_col + 1, incl, "money")
    for n in range(len(columns)):
        sheet.fit_number(n + 1, largest[n] // 100)
    last_org_row = row
    row += 1
    sheet.text(row, 0, _("Total quantity"), "total")
    for n in range(len(columns)):
        sheet.quantity(row, n + 1, Decimal(sums[n]) / 100, bold=True)
    sheet.number(row, value_col, total[0], "money_bold")
    sheet.number(row, value_col + 1, total[1], "money_bold")
    row += 1
    sheet.text(row, 0, _("Estimated unit price excl. VAT"), "label")
    for col, column in enumerate(columns, start=1):
        sheet.number(row, col, column.item["price"], "money")
    row += 1
    sheet.text(row, 0, _("VAT rate"), "label")
    for col, column in enumerate(columns, start=1):
        sheet.number(row, col, column.item["vat_rate"], "percent")
    for index, label in ((0, _("Value excl. VAT")), (1, _("Value incl. VAT"))):
        row += 1
        sheet.text(row, 0, label, "total")
        for col, column in enumerate(columns, start=1):
            if column.field == "counted_h":
                sheet.number(row, col, data.totals.by_item.get(column.item["id"], zero)[index], "money_bold")
        sheet.number(row, value_col + index, total[index], "money_bold")
    sheet.table(top, last_org_row, value_col + 2)
    sheet.ws.set_row(top, 45)
    sheet.finish(maximum=40)


def _organisation_heading(data: DemandData) -> str:
    if data.initiative.is_framework:
        return _("Organisation (maximum quantities over the term)")
    return _("Organisation")


def _overview(workbook, formats, data: DemandData) -> None:
    sheet = Sheet(workbook, _("Overview"), formats)
    top = _header(sheet, data, _("Demand sheet: %(title)s") % {"title": data.initiative.title})
    _pivot(sheet, data, top=top, heading=_organisation_heading(data),
           columns=[_Column(item, "counted_h", item_heading(item)) for item in data.items],
           participants=[p for p in data.participants if p["counted"]],
           values=data.totals.by_participation, total=data.totals.pooled)


def _lot_sheets(workbook, formats, data: DemandData) -> None:
    """A sheet per lot: the organisations that ask for anything in the lot × the lot's items. A framework
    shows each item twice: the estimated quantity and the maximum over the term (which the value counts)."""
    lots: dict[int, dict] = {}
    for item in data.items:
        lots.setdefault(item["lot_id"], {"number": item["lot_number"], "title": item["lot_title"], "items": []})
        lots[item["lot_id"]]["items"].append(item)
    for lot_id, lot in sorted(lots.items(), key=lambda pair: pair[1]["number"]):
        sheet = Sheet(workbook, _("Lot %(number)s") % {"number": lot["number"]}, formats)
        top = _header(sheet, data, _("Lot %(number)s: %(title)s") % lot)
        if data.initiative.is_framework:
            heading = _("Organisation")
            columns = []
            for item in lot["items"]:
                # (Not f-strings: makemessages does not see a gettext call inside one.)
                estimated, maximum = _("Estimated quantity"), _("Maximum quantity over the term")
                columns.append(_Column(item, "quantity_h", "\n".join((item_heading(item), estimated))))
                columns.append(_Column(item, "counted_h", "\n".join((item_heading(item), maximum))))
        else:
            heading = _organisation_heading(data)
            columns = [_Column(item, "counted_h", item_heading(item)) for item in lot["items"]]
        values = {pid: value for (pid, lid), value in data.totals.by_participation_lot.items() if lid == lot_id}
        _pivot(sheet, data, top=top, heading=heading, columns=columns,
               participants=[p for p in data.participants if p["id"] in values],
               values=values, total=data.totals.by_lot.get(lot_id, (Decimal("0.00"), Decimal("0.00"))))


def _cost_sheet(workbook, formats, data: DemandData) -> None:
    sheet = Sheet(workbook, _("Cost per organisation"), formats)
    top = _header(sheet, data, _("Estimated cost per organisation"))
    columns = [_("Organisation"), _("Enterprise number"), _("State"), _("Value excl. VAT"), _("VAT"),
               _("Value incl. VAT")]
    for col, heading in enumerate(columns):
        sheet.text(top, col, heading, "head")
    row = top
    for p in (p for p in data.participants if p["counted"]):
        row += 1
        excl, incl = data.totals.by_participation.get(p["id"], (Decimal("0.00"), Decimal("0.00")))
        sheet.text(row, 0, p["organisation"])
        sheet.text(row, 1, p["enterprise_number"])
        sheet.text(row, 2, _state(p["state"]))
        sheet.number(row, 3, excl, "money")
        sheet.number(row, 4, incl - excl, "money")
        sheet.number(row, 5, incl, "money")
    last = row
    row += 1
    sheet.text(row, 0, _("Total"), "total")
    sheet.number(row, 3, data.totals.pooled[0], "money_bold")
    sheet.number(row, 4, data.totals.pooled[1] - data.totals.pooled[0], "money_bold")
    sheet.number(row, 5, data.totals.pooled[1], "money_bold")
    sheet.table(top, last, len(columns))
    sheet.finish(maximum=60)


def _participants_sheet(workbook, formats, data: DemandData) -> None:
    sheet = Sheet(workbook, _("Participants"), formats)
    top = _header(sheet, data, _("Participants"))
    columns = [_("Organisation"), _("Enterprise number"), _("State"), _("Counted in this sheet"), _("Deciding body"),
               _("Decision date"), _("Decision reference"), _("Submitted")]
    for col, heading in enumerate(columns):
        sheet.text(top, col, heading, "head")
    row = top
    for p in data.participants:
        row += 1
        sheet.text(row, 0, p["organisation"])
        sheet.text(row, 1, p["enterprise_number"])
        sheet.text(row, 2, _state(p["state"]))
        sheet.text(row, 3, _("yes") if p["counted"] else _("no"))
        sheet.text(row, 4, _body(p["deciding_body"]) if p["deciding_body"] else "")
        sheet.day(row, 5, p["decision_date"])
        sheet.text(row, 6, p["decision_reference"])
        sheet.moment(row, 7, _local(p["submitted_at"]) if p["submitted_at"] else None)
    sheet.table(top, row, len(columns))
    sheet.finish(maximum=60)


def write_xlsx(data: DemandData) -> bytes:
    buffer = io.BytesIO()
    lead = data.initiative.lead_organisation
    workbook = xlsx.open_workbook(buffer, title=_("Demand sheet: %(title)s") % {"title": data.initiative.title},
                                  author=lead.name if lead else "")
    formats = xlsx.house_formats(workbook)
    _overview(workbook, formats, data)
    _lot_sheets(workbook, formats, data)
    _cost_sheet(workbook, formats, data)
    _participants_sheet(workbook, formats, data)
    workbook.close()
    return buffer.getvalue()


# --- CSV ---

CSV_COLUMNS = [
    "initiative_id", "demand_shown", "lot", "lot_title", "item_id", "item", "unit", "organisation",
    "enterprise_number", "participation_state", "quantity", "max_quantity", "counted_quantity",
    "unit_price_excl_vat", "vat_rate", "value_excl_vat", "value_incl_vat",
]


def _quantity(hundredths: int) -> Decimal:
    return (Decimal(int(hundredths)) / 100).quantize(Decimal("0.01"))


def csv_safe(value: Any) -> str:
    """A spreadsheet opening the CSV must never run a value as a formula: prefix the dangerous ones."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_DANGEROUS) else text


def write_csv(data: DemandData) -> bytes:
    """The long form: one row per organisation × item. Values are exact (the line values carry four and
    six decimals), so sums over the rows round to the same cents as the sheet's totals. UTF-8 with a
    byte-order mark, so that Excel reads the accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    names = {p["id"]: p for p in data.participants}
    items = {item["id"]: item for item in data.items}
    order = {item["id"]: n for n, item in enumerate(data.items)}
    shown = "|".join(data.states)
    rows = [] if data.lines.empty else sorted(
        data.lines.itertuples(index=False),
        key=lambda r: (order[int(r.item_id)], names[int(r.participation_id)]["organisation"]),
    )
    for r in rows:
        item, p = items[int(r.item_id)], names[int(r.participation_id)]
        writer.writerow([csv_safe(v) for v in (
            data.initiative.pk, shown, item["lot_number"], item["lot_title"], item["id"], item["name"], item["unit"],
            p["organisation"], p["enterprise_number"], p["state"],
            _quantity(r.quantity_h), "" if r.max_h is None else _quantity(r.max_h),
            _quantity(r.counted_h), item["price"], item["vat_rate"],
            (Decimal(int(r.excl_e4)) / E4).quantize(Decimal("0.0001")),
            (Decimal(int(r.incl_e6)) / E6).quantize(Decimal("0.000001")),
        )])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
