"""The one way the product writes an XLSX workbook (demand sheet, demand template, contract sheets).

What a user typed (an item name, an organisation's note) lands in cells, so nothing may turn into a formula,
a link or a number behind the writer's back: ``strings_to_formulas``, ``strings_to_urls`` and
``strings_to_numbers`` are off and text is written with ``write_string`` (DESIGN.md §6). Every workbook says
what it is and who made it, and every sheet of the product has the same house style (``house_formats``) and
the same way of fitting its columns (``Sheet``).
"""

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "in_memory": True}

MONEY = '#,##0.00 "€"'

# The house style: name → xlsxwriter format properties. "int" is a count with thousands separators; "plain"
# an integer shown as it is (a year, a version, a call-off number); "qty" a quantity with its two decimals,
# "qty_short" one whose decimals show only when it has them; "percent" a whole rate, "share" a share with the
# four decimals a cost key keeps.
HOUSE_STYLE: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 14},
    "label": {"bold": True},
    "head": {"bold": True, "bg_color": "#DDE6F0", "border": 1, "text_wrap": True, "valign": "top"},
    "money": {"num_format": MONEY},
    "money_bold": {"num_format": MONEY, "bold": True, "top": 1},
    "int": {"num_format": "#,##0"},
    "int_bold": {"num_format": "#,##0", "bold": True, "top": 1},
    "plain": {"num_format": "0"},
    "qty": {"num_format": "#,##0.00"},
    "qty_bold": {"num_format": "#,##0.00", "bold": True, "top": 1},
    "qty_short": {"num_format": "#,##0.##"},
    "percent": {"num_format": '0" %"'},
    "share": {"num_format": '0.0000" %"'},
    "date": {"num_format": "dd-mm-yyyy"},
    "datetime": {"num_format": "dd-mm-yyyy hh:mm"},
    "total": {"bold": True, "top": 1},
    # The cells a user fills in on a template (unlocked on a protected sheet).
    "entry": {"locked": False, "bg_color": "#FFF7D6", "num_format": "#,##0.##", "border": 1},
}


def open_workbook(buffer: io.BytesIO, *, title: str, author: str = ""):
    """An xlsxwriter workbook writing into ``buffer``; the caller closes it, which completes the file."""
    import xlsxwriter  # imported on use: only the sheet downloads need it

    workbook = xlsxwriter.Workbook(buffer, OPTIONS)
    workbook.set_properties({"title": title, "author": author, "company": author, "comments": "Samenaankoop"})
    return workbook


def house_formats(workbook) -> dict:
    """The house style's formats, added to ``workbook`` (xlsxwriter formats belong to one workbook)."""
    return {name: workbook.add_format(properties) for name, properties in HOUSE_STYLE.items()}


def text_width(text: str) -> int:
    """The width a text needs: its longest line."""
    return max((len(part) for part in text.splitlines()), default=0)


class Sheet:
    """A worksheet in the house style that remembers how wide each column's content is, to fit the columns
    at the end (``finish``)."""

    def __init__(self, workbook, name: str, formats: dict) -> None:
        self.ws = workbook.add_worksheet(name[:31])  # Excel's limit on a sheet name
        self.f = formats
        self.widths: dict[int, int] = {}

    def fit(self, col: int, length: int) -> None:
        self.widths[col] = max(self.widths.get(col, 0), length)

    def text(self, row: int, col: int, value: Any, fmt: str | None = None, *, fit: bool = True) -> None:
        text = "" if value is None else str(value)
        self.ws.write_string(row, col, text, self.f.get(fmt) if fmt else None)
        if fit:
            self.fit(col, text_width(text))

    def number(self, row: int, col: int, value: Decimal | int | None, fmt: str) -> None:
        if value is None:
            self.ws.write_blank(row, col, None, self.f[fmt])
            return
        self.ws.write_number(row, col, float(value), self.f[fmt])
        self.fit_number(col, value)

    def fit_number(self, col: int, value: Decimal | int) -> None:
        """Fit column ``col`` to a number shown as "-1.234.567,89 €": the digits of the whole part, a separator
        per three, the decimals and room for the unit (counted, not formatted: this runs for many cells)."""
        digits = len(str(abs(int(value))))
        self.fit(col, digits + (digits - 1) // 3 + 3 + 2 + (value < 0))

    def quantity(self, row: int, col: int, value: Decimal | None, bold: bool = False) -> None:
        """A quantity: whole ones without decimals, others with their two."""
        if value is not None and value == value.to_integral_value():
            self.number(row, col, value, "int_bold" if bold else "int")
        else:
            self.number(row, col, value, "qty_bold" if bold else "qty")

    def day(self, row: int, col: int, value: date | None) -> None:
        if value is None:
            self.ws.write_blank(row, col, None)
            return
        self.ws.write_datetime(row, col, datetime.combine(value, datetime.min.time()), self.f["date"])
        self.fit(col, 10)

    def moment(self, row: int, col: int, value: datetime | None) -> None:
        """A date and time, already in local time and naive (Excel has no time zones)."""
        if value is None:
            self.ws.write_blank(row, col, None)
            return
        self.ws.write_datetime(row, col, value, self.f["datetime"])
        self.fit(col, 16)

    def heads(self, row: int, headings: list[str]) -> None:
        for col, heading in enumerate(headings):
            self.text(row, col, heading, "head")

    def table(self, top: int, last: int, columns: int) -> None:
        """A table whose headings are on row ``top``: they stay in view, and every column can be filtered."""
        self.ws.freeze_panes(top + 1, 1)
        self.ws.autofilter(top, 0, max(last, top), columns - 1)

    def finish(self, minimum: int = 8, maximum: int = 50) -> None:
        for col, width in self.widths.items():
            self.ws.set_column(col, col, min(max(width + 2, minimum), maximum))
