"""Read back what the sheets produce: the tests parse the files, never the code's own structures."""

import csv
import io
from decimal import Decimal

import openpyxl

from core.money import cents


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content), data_only=False)


def labelled(ws, label: str, col: int = 2):
    """The value next to the first cell in column A that reads ``label``."""
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == label:
            return ws.cell(row=row[0].row, column=col).value
    raise AssertionError(f"no row labelled {label!r} in {ws.title}")


def row_of(ws, label: str) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == label:
            return row[0].row
    raise AssertionError(f"no row labelled {label!r} in {ws.title}")


def money(value) -> Decimal:
    return cents(Decimal(repr(value)))


def table(ws, first_heading: str = "Organisation"):
    """(headings, rows as dicts) of the table whose heading row starts with ``first_heading``."""
    header_row = next(r[0].row for r in ws.iter_rows(min_col=1, max_col=1)
                      if isinstance(r[0].value, str) and r[0].value.startswith(first_heading))
    headings = [c.value for c in ws[header_row] if c.value is not None]
    rows = []
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if row[0] is None:
            break
        rows.append(dict(zip(headings, row, strict=False)))
    return headings, rows


def csv_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def csv_sums(rows: list[dict], key: str) -> dict[str, tuple[Decimal, Decimal]]:
    sums: dict[str, tuple[Decimal, Decimal]] = {}
    for row in rows:
        excl, incl = sums.get(row[key], (Decimal(0), Decimal(0)))
        sums[row[key]] = (excl + Decimal(row["value_excl_vat"]), incl + Decimal(row["value_incl_vat"]))
    return {k: (cents(a), cents(b)) for k, (a, b) in sums.items()}
