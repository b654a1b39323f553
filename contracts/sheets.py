"""The contracts' sheets (XLSX, pandas + xlsxwriter, the house style of ``core.xlsx``):

- the consumption of a framework agreement: per beneficiary and item the maximum, ordered, delivered and
  remaining quantities and values, per beneficiary the value ceilings, and the call-offs;
- the cost statements of a shared hire for a year: per participant and quarter, the detail with shares and
  days, the allocation key's versions and the cost model.

No cell can become a formula or a link: ``strings_to_formulas`` and ``strings_to_urls`` are off and text is
written with ``write_string``. Amounts are numbers with a euro format; they are the same Decimals the pages
and the API show (rounded to the cent where they are money).
"""

import io
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core import formatting, xlsx
from core.xlsx import Sheet

from . import costs
from .models import CallOff, Contract
from .selectors import Consumption

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _header(sheet: Sheet, title: str, rows: list[tuple[str, Any]]) -> int:
    """The block above a table: the title and label/value pairs. Returns the table's first row."""
    sheet.text(0, 0, title, "title", fit=False)
    row = 1
    for label, value in rows:
        sheet.text(row, 0, label, "label")
        if isinstance(value, Decimal):
            sheet.number(row, 1, value, "money")
        else:
            sheet.text(row, 1, value, fit=False)
        row += 1
    sheet.text(row, 0, _("Data as of"), "label")
    sheet.moment(row, 1, timezone.localtime(timezone.now()).replace(tzinfo=None))
    return row + 2


def _agreement_rows(contract: Contract) -> list[tuple[str, Any]]:
    period = contract.starts_on.strftime("%d-%m-%Y")
    if contract.ends_on:
        period += " – " + contract.ends_on.strftime("%d-%m-%Y")
    return [
        (_("Initiative"), f"{contract.initiative.title} (#{contract.initiative_id})"),
        (_("Lot"), str(contract.lot)),
        (_("Contractor"), contract.party),
        (_("Agreement"), contract.reference),
        (_("Period"), period),
        (_("State"), contract.get_state_display()),
    ]


# --- consumption of a framework agreement ---


def consumption_frame(data: Consumption):
    """One row per beneficiary × item (a pandas DataFrame; Decimals kept exact as objects)."""
    import pandas as pd

    columns = ["organisation", "item", "unit", "unit_price", "maximum", "ordered", "delivered", "remaining",
               "maximum_value", "ordered_value", "remaining_value"]
    rows = [[b.organisation, r.item, r.unit, r.unit_price, r.maximum, r.ordered, r.delivered, r.remaining,
             r.maximum_value, r.ordered_value, r.remaining_value]
            for b in data.beneficiaries for r in b.items]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def consumption_xlsx(data: Consumption, call_offs: list[CallOff]) -> bytes:
    contract = data.contract
    frame = consumption_frame(data)
    buffer = io.BytesIO()
    workbook = xlsx.open_workbook(buffer, title=_("Consumption of the framework agreement"),
                                  author=contract.initiative.lead_organisation.name)
    formats = xlsx.house_formats(workbook)

    sheet = Sheet(workbook, _("Consumption"), formats)
    top = _header(sheet, _("Consumption: %(title)s, lot %(lot)s") % {"title": contract.initiative.title,
                                                                       "lot": contract.lot.number},
                  [*_agreement_rows(contract), (_("Overall maximum excl. VAT"), data.ceiling),
                   (_("Consumed excl. VAT"), data.consumed), (_("Remaining excl. VAT"), data.remaining)])
    headings = [_("Organisation"), _("Item"), _("Unit"), _("Unit price excl. VAT"), _("Maximum quantity"),
                _("Ordered"), _("Delivered"), _("Remaining"), _("Maximum excl. VAT"), _("Ordered excl. VAT"),
                _("Remaining excl. VAT")]
    sheet.heads(top, headings)
    row = top
    for record in frame.itertuples(index=False):
        row += 1
        sheet.text(row, 0, record.organisation)
        sheet.text(row, 1, record.item)
        sheet.text(row, 2, record.unit)
        sheet.number(row, 3, record.unit_price, "money")
        for col, value in enumerate((record.maximum, record.ordered, record.delivered, record.remaining), start=4):
            sheet.number(row, col, value, "qty_short")
        for col, value in enumerate((record.maximum_value, record.ordered_value, record.remaining_value), start=8):
            sheet.number(row, col, value, "money")
    sheet.table(top, row, len(headings))
    sheet.finish()

    sheet = Sheet(workbook, _("Beneficiaries"), formats)
    top = _header(sheet, _("Maximum per beneficiary"), _agreement_rows(contract))
    headings = [_("Organisation"), _("Maximum excl. VAT"), _("Consumed excl. VAT"), _("Remaining excl. VAT"),
                _("Consumed (%)")]
    sheet.heads(top, headings)
    row = top
    for beneficiary in data.beneficiaries:
        row += 1
        sheet.text(row, 0, beneficiary.organisation)
        sheet.number(row, 1, beneficiary.maximum, "money")
        sheet.number(row, 2, beneficiary.consumed, "money")
        sheet.number(row, 3, beneficiary.remaining, "money")
        sheet.number(row, 4, beneficiary.percentage, "share")
    last = row
    row += 1
    sheet.text(row, 0, _("Overall maximum"), "total")
    sheet.number(row, 1, data.ceiling, "money_bold")
    sheet.number(row, 2, data.consumed, "money_bold")
    sheet.number(row, 3, data.remaining, "money_bold")
    sheet.number(row, 4, data.percentage, "share")
    sheet.table(top, last, len(headings))
    sheet.finish()

    sheet = Sheet(workbook, _("Call-offs"), formats)
    top = _header(sheet, _("Call-offs"), _agreement_rows(contract))
    headings = [_("Number"), _("Organisation"), _("State"), _("Order date"), _("Requested delivery date"),
                _("Total excl. VAT"), _("Delivery address")]
    sheet.heads(top, headings)
    row = top
    for call_off in call_offs:
        row += 1
        sheet.number(row, 0, call_off.number, "plain")
        sheet.text(row, 1, call_off.organisation.name)
        sheet.text(row, 2, call_off.get_state_display())
        sheet.day(row, 3, call_off.ordered_on)
        sheet.day(row, 4, call_off.delivery_date)
        sheet.number(row, 5, call_off.total, "money")
        sheet.text(row, 6, call_off.delivery_address)
    sheet.table(top, row, len(headings))
    sheet.finish()
    workbook.close()
    return buffer.getvalue()


# --- cost statements of a shared hire ---


def statements_frame(statements: list[costs.Statement]):
    """One row per quarter × participant (a pandas DataFrame)."""
    import pandas as pd

    rows = [[s.period.label, r.organisation.name, r.days, r.share, r.amount] for s in statements for r in s.rows]
    return pd.DataFrame(rows, columns=["period", "organisation", "days", "share", "amount"], dtype=object)


def statements_xlsx(contract: Contract, year: int) -> bytes:
    hire = contract.hire
    statements = costs.year_statements(contract, year)
    frame = statements_frame(statements)
    buffer = io.BytesIO()
    workbook = xlsx.open_workbook(buffer, title=_("Cost statements %(year)s") % {"year": year}, author=hire.employer.name)
    formats = xlsx.house_formats(workbook)
    about = [
        (_("Initiative"), f"{contract.initiative.title} (#{contract.initiative_id})"),
        (_("Position"), f"{hire.title}, {formatting.fraction(hire.fte)} FTE"),
        (_("Employer"), hire.employer.name),
        (_("Employee"), contract.candidate),
        (_("Year"), str(year)),
        (_("Cost of the year excl. VAT"), costs.to_cents(costs.annual_cost(hire, year))),
    ]

    sheet = Sheet(workbook, _("Statements %(year)s") % {"year": year}, formats)
    top = _header(sheet, _("Cost statements %(year)s: %(title)s") % {"year": year, "title": hire.title}, about)
    headings = [_("Organisation"), *[s.period.label for s in statements], _("Total")]
    sheet.heads(top, headings)
    organisations = sorted({(r.organisation.name, r.organisation.pk) for s in statements for r in s.rows})
    amounts = {(s.period.label, r.organisation.pk): r.amount for s in statements for r in s.rows}
    row = top
    for name, pk in organisations:
        row += 1
        sheet.text(row, 0, name)
        total = Decimal("0.00")
        for col, s in enumerate(statements, start=1):
            amount = amounts.get((s.period.label, pk), Decimal("0.00"))
            total += amount
            sheet.number(row, col, amount, "money")
        sheet.number(row, len(statements) + 1, total, "money_bold")
    last = row
    row += 1
    sheet.text(row, 0, _("Cost of the quarter"), "total")
    for col, s in enumerate(statements, start=1):
        sheet.number(row, col, s.cost, "money_bold")
    sheet.number(row, len(statements) + 1, sum((s.cost for s in statements), Decimal("0.00")), "money_bold")
    sheet.table(top, last, len(headings))
    sheet.finish()

    sheet = Sheet(workbook, _("Detail"), formats)
    top = _header(sheet, _("Statements per quarter and participant"), about)
    headings = [_("Quarter"), _("Organisation"), _("Days"), _("Share (%)"), _("Amount excl. VAT")]
    sheet.heads(top, headings)
    row = top
    for record in frame.itertuples(index=False):
        row += 1
        sheet.text(row, 0, record.period)
        sheet.text(row, 1, record.organisation)
        sheet.number(row, 2, record.days, "plain")
        sheet.number(row, 3, record.share, "share")
        sheet.number(row, 4, record.amount, "money")
    sheet.table(top, row, len(headings))
    sheet.finish()

    sheet = Sheet(workbook, _("Allocation key"), formats)
    top = _header(sheet, _("Allocation key"), about[:4])
    headings = [_("Version"), _("Valid from"), _("Valid until"), _("Shares as"), _("Organisation"), _("Share"),
                _("Reason")]
    sheet.heads(top, headings)
    row = top
    for version in costs.versions(contract):
        for organisation, value in version.shares:
            row += 1
            sheet.number(row, 0, version.key.version, "plain")
            sheet.day(row, 1, version.start)
            sheet.day(row, 2, version.end)
            sheet.text(row, 3, version.key.get_basis_display())
            sheet.text(row, 4, organisation.name)
            sheet.number(row, 5, value, "qty_short")
            sheet.text(row, 6, version.key.reason)
    sheet.table(top, row, len(headings))
    sheet.finish()

    sheet = Sheet(workbook, _("Cost model"), formats)
    top = _header(sheet, _("Cost model"), about[:4])
    sheet.heads(top, [_("Element"), _("Value")])
    model_rows = [
        (_("Annual salary cost incl. employer contributions"), hire.annual_salary_cost, "money"),
        (_("Annual operating costs"), hire.operating_costs, "money"),
        (_("Overhead (%)"), hire.overhead_percentage, "qty_short"),
        (_("Annual subsidies"), hire.subsidies, "money"),
        (_("Yearly indexation (%)"), hire.indexation_percentage, "qty_short"),
        (_("Base year of the amounts"), hire.base_year, "plain"),
    ]
    row = top
    for label, value, fmt in model_rows:
        row += 1
        sheet.text(row, 0, label)
        sheet.number(row, 1, value, fmt)
    sheet.table(top, row, 2)
    sheet.finish()
    workbook.close()
    return buffer.getvalue()
