"""Bounds on an uploaded workbook, checked while its XML streams out of the archive and before openpyxl
reads a cell (issue 16).

openpyxl's read-only reader builds a whole row in memory before it hands it over, and trusts the sheet's
``<dimension>``: one row of 3.2 million cells (48 MB unpacked, 100 KB packed) tied a worker up for 40 s, and
cells outside the declared dimension were dropped without a word. Here each worksheet and the shared strings
are read as a stream of XML events: the cells, the rows, the highest column holding a value and the shared
strings are counted as they come, and the first limit passed ends the reading with a refusal that names it.
The whole reading, this scan and openpyxl's, has a time budget (``Budget``).

The limits leave room to spare for a real template: 600 items make about 5 000 cells in 8 columns.
"""

import time
import zipfile
from dataclasses import dataclass

from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string, get_column_letter

from core.errors import InvalidInput

MAX_CELLS = 30_000  # <c> elements in all worksheets together
MAX_ROWS = 10_000  # <row> elements in all worksheets together
MAX_COLUMN = 52  # the last column that may hold a value: AZ
MAX_SHARED_STRINGS = 50_000  # <si> elements
PARSE_SECONDS = 5.0  # reading the workbook, the scan and openpyxl's reading together

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL, _ROW, _SHARED = f"{_MAIN}c", f"{_MAIN}row", f"{_MAIN}si"
_VALUES = frozenset({f"{_MAIN}v", f"{_MAIN}is", f"{_MAIN}f"})
_CHECK_EVERY = 2048  # events between two looks at the clock


def _refusal(message: str) -> InvalidInput:
    return InvalidInput({"file": [message]}, code="invalid_upload")


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class Budget:
    """A deadline for reading one upload; ``check`` refuses the upload once it has passed."""

    def __init__(self, seconds: float | None = None):
        self.seconds = PARSE_SECONDS if seconds is None else seconds
        self.deadline = time.monotonic() + self.seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise _refusal(_("The workbook takes longer than %(seconds)s seconds to read; a demand template "
                             "reads in well under a second. Download a fresh template and fill it in.")
                           % {"seconds": f"{self.seconds:g}".replace(".", ",")})


@dataclass
class _Counts:
    cells: int = 0
    rows: int = 0
    shared_strings: int = 0


def _column_of(reference: str) -> int:
    letters = reference.rstrip("0123456789")
    try:
        return column_index_from_string(letters.upper()) if letters else 0
    except ValueError:
        return 0


def _scan_sheet(stream, counts: _Counts, budget: Budget) -> None:
    events = 0
    column = 0  # of the cell being read (cells without an "r" follow the one before)
    sheet_data = None
    for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
        events += 1
        if events % _CHECK_EVERY == 0:
            budget.check()
        tag = element.tag
        if event == "start":
            if tag == _CELL:
                counts.cells += 1
                if counts.cells > MAX_CELLS:
                    raise _refusal(_("The workbook holds more than %(max)s cells; a demand template has far "
                                     "fewer. Download a fresh template and fill it in.") % {"max": _number(MAX_CELLS)})
                reference = element.get("r")
                column = _column_of(reference) if reference else column + 1
            elif tag == _ROW:
                counts.rows += 1
                column = 0
                if counts.rows > MAX_ROWS:
                    raise _refusal(_("The workbook holds more than %(max)s rows; a demand template has far "
                                     "fewer. Download a fresh template and fill it in.") % {"max": _number(MAX_ROWS)})
            elif tag == f"{_MAIN}sheetData":
                sheet_data = element
            continue
        if tag == _CELL:
            if column > MAX_COLUMN and any(child.tag in _VALUES for child in element):
                raise _refusal(_("The workbook has a value in column %(column)s; a demand template uses the "
                                 "columns A to H, and nothing beyond column %(max)s is read.")
                               % {"column": get_column_letter(min(max(column, 1), 18278)),
                                  "max": get_column_letter(MAX_COLUMN)})
            element.clear()
        elif tag == _ROW and sheet_data is not None:
            sheet_data.clear()  # the rows read so far: keep memory flat


def _scan_shared_strings(stream, counts: _Counts, budget: Budget) -> None:
    events = 0
    for _event, element in iterparse(stream, events=("end",), forbid_dtd=True):
        events += 1
        if events % _CHECK_EVERY == 0:
            budget.check()
        if element.tag == _SHARED:
            counts.shared_strings += 1
            if counts.shared_strings > MAX_SHARED_STRINGS:
                raise _refusal(_("The workbook holds more than %(max)s texts; a demand template has far fewer. "
                                 "Download a fresh template and fill it in.") % {"max": _number(MAX_SHARED_STRINGS)})
            element.clear()


def check_contents(archive: zipfile.ZipFile, budget: Budget) -> None:
    """Stream every worksheet and the shared strings of ``archive`` through the limits above. XML that does
    not parse (or declares a DTD) is left for the reader to refuse as unreadable."""
    counts = _Counts()
    for member in archive.infolist():
        name = member.filename
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            with archive.open(member) as stream:
                _scan_sheet(stream, counts, budget)
        elif name == "xl/sharedStrings.xml":
            with archive.open(member) as stream:
                _scan_shared_strings(stream, counts, budget)
