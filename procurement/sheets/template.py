"""The demand template (an XLSX per initiative) and reading it back.

The upload is checked before anything is opened: its size, that it is a ZIP holding a workbook, and the
unpacked size of every member (a zip bomb is refused before openpyxl unpacks a byte). Then the worksheets'
XML streams through the limits on cells, rows, columns and shared strings (``limits.py``), all within a time
budget, and every cell is read, whatever the sheet's declared dimension says. Then every cell is
validated; every error is reported by sheet, row and column, and nothing is saved when any cell is wrong.
Only a clean file reaches ``procurement.services.demand_set``, which checks permission, state and deadline
under its lock like any other demand entry.
"""

import io
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import xlsx
from core.errors import InvalidInput, NotAllowed
from procurement import permissions
from procurement.models import MAX_QUANTITY, Initiative, Item, Participation, Unit
from procurement.services import demand_set

from .limits import Budget, check_contents

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 500
MAX_EXTRA_ROWS = 1000  # rows below the items that may still be read before giving up
SHEET_NAMES = {"nl": "Behoefte", "en": "Demand"}
HEADER_ROW = 6  # 1-based, as a person reads the sheet
INITIATIVE_CELL = (2, 2)  # B2
PARTICIPATION_CELL = (3, 2)  # B3
COL_LOT, COL_ITEM, COL_NAME, COL_UNIT, COL_PRICE, COL_VAT, COL_QUANTITY, COL_MAX = range(1, 9)


def _headings(framework: bool) -> list[str]:
    headings = [_("Lot"), _("Item id"), _("Item"), _("Unit"), _("Estimated unit price excl. VAT"), _("VAT rate"),
                _("Quantity")]
    if framework:
        headings.append(_("Maximum quantity over the term"))
    return headings


def _sheet_name(language: str | None = None) -> str:
    return SHEET_NAMES.get((language or translation.get_language() or "nl")[:2], SHEET_NAMES["nl"])


def template_participation(user, initiative: Initiative, participation_id: Any = None) -> Participation | None:
    """Whose demand to prefill: the participation asked for (when visible), else the user's own
    organisation's participation when there is exactly one."""
    visible = permissions.visible_participations(user).filter(initiative=initiative)
    if participation_id not in (None, ""):
        try:
            return visible.get(pk=int(participation_id))
        except (ValueError, TypeError, Participation.DoesNotExist):
            from core.errors import NotFound

            raise NotFound(_("There is no such participation in this initiative that you can see."))
    own = list(visible.filter(organisation__in=permissions.organisation_ids(user))[:2])
    return own[0] if len(own) == 1 else None


def write_template(initiative: Initiative, participation: Participation | None = None) -> bytes:
    framework = initiative.is_framework
    current = {}
    if participation is not None:
        current = {line.item_id: line for line in participation.lines.all()}
    buffer = io.BytesIO()
    workbook = xlsx.open_workbook(buffer, title=_("Demand template: %(title)s") % {"title": initiative.title})
    ws = workbook.add_worksheet(_sheet_name())
    f = xlsx.house_formats(workbook)
    bold, title, head, money, percent, entry = f["label"], f["title"], f["head"], f["money"], f["percent"], f["entry"]
    widths = [8, 9, 40, 14, 16, 9, 14, 16]

    ws.write_string(0, 0, _("Demand template: %(title)s") % {"title": initiative.title}, title)
    ws.write_string(1, 0, _("Initiative id"), bold)
    ws.write_number(1, 1, initiative.pk)
    ws.write_string(1, 2, initiative.title)
    ws.write_string(2, 0, _("Participation id"), bold)
    if participation is not None:
        ws.write_number(2, 1, participation.pk)
        ws.write_string(2, 2, participation.organisation.name)
    ws.write_string(3, 0, _("Fill in the yellow quantity cells with numbers (empty means no demand). Do not add "
                            "sheets, rows, columns or formulas: the upload refuses them."))
    if initiative.demand_deadline:
        ws.write_string(4, 0, _("Demand deadline"), bold)
        ws.write_string(4, 1, timezone.localtime(initiative.demand_deadline).strftime("%d-%m-%Y %H:%M"))
    for col, heading in enumerate(_headings(framework)):
        ws.write_string(HEADER_ROW - 1, col, heading, head)
    row = HEADER_ROW - 1
    items = Item.objects.filter(lot__initiative=initiative).select_related("lot").order_by("lot__number", "position", "id")
    for item in items:
        row += 1
        line = current.get(item.pk)
        ws.write_number(row, 0, item.lot.number)
        ws.write_number(row, 1, item.pk)
        ws.write_string(row, 2, item.name)
        ws.write_string(row, 3, str(Unit(item.unit).label) if item.unit in Unit.values else item.unit)
        ws.write_number(row, 4, float(item.estimated_unit_price), money)
        ws.write_number(row, 5, float(item.vat_rate), percent)
        widths[2] = max(widths[2], min(len(item.name) + 2, 80))
        if line is not None:
            ws.write_number(row, 6, float(line.quantity), entry)
        else:
            ws.write_blank(row, 6, None, entry)
        if framework:
            if line is not None and line.max_quantity is not None:
                ws.write_number(row, 7, float(line.max_quantity), entry)
            else:
                ws.write_blank(row, 7, None, entry)
    last_col = COL_MAX - 1 if framework else COL_QUANTITY - 1
    if row >= HEADER_ROW:
        ws.data_validation(HEADER_ROW, COL_QUANTITY - 1, row, last_col, {
            "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": float(MAX_QUANTITY),
            "error_message": _("Enter a number of zero or more."),
        })
    for col in range(last_col + 1):
        ws.set_column(col, col, widths[col])
    ws.set_row(HEADER_ROW - 1, 32)
    ws.freeze_panes(HEADER_ROW, 0)
    # Protection without a password: it guides the hand (only the yellow cells take input); the upload
    # validates every cell all the same.
    ws.protect("", {"format_columns": True, "format_rows": True})
    workbook.close()
    return buffer.getvalue()


# --- reading an upload back ---

@dataclass
class CellError:
    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def text(self) -> str:
        if self.row is not None and self.column:
            return _("Sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s") % self.__dict__
        if self.sheet:
            return _("Sheet %(sheet)s: %(message)s") % self.__dict__
        return self.message


@dataclass
class Problems:
    errors: list[CellError] = field(default_factory=list)

    def add(self, message: str, *, sheet: str | None = None, row: int | None = None, col: int | None = None) -> None:
        from openpyxl.utils import get_column_letter

        self.errors.append(CellError(sheet, row, get_column_letter(col) if col else None, str(message)))

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidInput({
                "file": [error.text() for error in self.errors],
                "cells": [error.__dict__ for error in self.errors],
            }, code="invalid_upload")


def _file_error(message: str):
    return InvalidInput({"file": [message]}, code="invalid_upload")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def read_upload(upload) -> bytes:
    """The uploaded bytes, refusing what is too large before reading it."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _file_error(_("The file is %(size)s MB; upload at most %(max)s MB.")
                          % {"size": _megabytes(size), "max": MAX_UPLOAD_BYTES // (1024 * 1024)})
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _file_error(_("The file is larger than %(max)s MB.") % {"max": MAX_UPLOAD_BYTES // (1024 * 1024)})
    return data


def check_archive(data: bytes) -> None:
    """An XLSX is a ZIP: check what it would unpack to before anything unpacks it."""
    not_xlsx = _("This is not an XLSX workbook; download the template, fill it in and upload it as .xlsx.")
    if not data.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise _file_error(not_xlsx)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _file_error(not_xlsx)
    if len(members) > MAX_MEMBERS:
        raise _file_error(_("The file holds %(n)s parts; a demand template has far fewer.") % {"n": len(members)})
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise _file_error(_("The file unpacks to %(size)s MB; at most %(max)s MB is accepted.")
                          % {"size": _megabytes(unpacked), "max": MAX_UNPACKED_BYTES // (1024 * 1024)})
    names = {member.filename for member in members}
    if any(member.flag_bits & 0x1 for member in members):
        raise _file_error(_("The file is encrypted; upload it without a password."))
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _file_error(not_xlsx)
    if "xl/vbaProject.bin" in names:
        raise _file_error(_("The file contains macros; save it as an ordinary .xlsx workbook."))


def _number(value: Any, problems: Problems, sheet: str, row: int, col: int, what: str) -> Decimal | None:
    if isinstance(value, bool):
        problems.add(_("%(what)s must be a number, not TRUE or FALSE.") % {"what": what}, sheet=sheet, row=row, col=col)
        return None
    if isinstance(value, (datetime, date, time)):
        problems.add(_("%(what)s must be a number, not a date or time.") % {"what": what}, sheet=sheet, row=row, col=col)
        return None
    if isinstance(value, str):
        problems.add(_("%(what)s contains text (%(text)s); enter a number.") % {"what": what, "text": repr(value[:40])},
                     sheet=sheet, row=row, col=col)
        return None
    if not isinstance(value, (int, float, Decimal)):
        problems.add(_("%(what)s must be a number.") % {"what": what}, sheet=sheet, row=row, col=col)
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        problems.add(_("%(what)s must be a finite number.") % {"what": what}, sheet=sheet, row=row, col=col)
    elif number < 0:
        problems.add(_("%(what)s is negative (%(value)s); enter zero or more.") % {"what": what, "value": value},
                     sheet=sheet, row=row, col=col)
    elif number > MAX_QUANTITY:
        problems.add(_("%(what)s is more than %(max)s.") % {"what": what, "max": f"{MAX_QUANTITY:,.0f}".replace(",", ".")},
                     sheet=sheet, row=row, col=col)
    elif number != number.quantize(Decimal("0.01")):
        problems.add(_("%(what)s has more than two decimals (%(value)s).") % {"what": what, "value": value},
                     sheet=sheet, row=row, col=col)
    else:
        return number.quantize(Decimal("0.01"))
    return None


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


@dataclass
class ParsedLine:
    row: int
    item: int
    quantity: Decimal
    max_quantity: Decimal | None


def parse(data: bytes, *, initiative: Initiative, participation: Participation | None) -> list[ParsedLine]:
    """Validate the whole workbook; return the demand lines or raise one InvalidInput with every error."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    check_archive(data)
    budget = Budget()
    unreadable = _("The workbook could not be read; download a fresh template and fill it in.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_contents(archive, budget)  # the limits, while the XML streams: before any other work
    except InvalidInput:
        raise
    except Exception:  # noqa: BLE001 — malformed XML or a DTD: expat and defusedxml raise their own errors
        raise _file_error(unreadable)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, SyntaxError):
        raise _file_error(unreadable)
    except Exception:  # noqa: BLE001 — malformed XML raises parser-specific errors (defusedxml, expat)
        raise _file_error(unreadable)
    try:
        return _parse_workbook(workbook, initiative=initiative, participation=participation, budget=budget)
    finally:
        workbook.close()


def _parse_workbook(workbook, *, initiative: Initiative, participation: Participation | None,
                    budget: Budget) -> list[ParsedLine]:
    problems = Problems()
    accepted = set(SHEET_NAMES.values())
    demand_sheets = [name for name in workbook.sheetnames if name in accepted]
    for name in workbook.sheetnames:
        if name not in accepted or name != (demand_sheets[0] if demand_sheets else None):
            problems.add(_("This workbook may hold only the sheet %(expected)s; remove the sheet %(name)s.")
                         % {"expected": _sheet_name(), "name": repr(name)}, sheet=name)
    if not demand_sheets:
        problems.add(_("The sheet %(expected)s is missing; download a fresh template.") % {"expected": _sheet_name()})
        problems.raise_if_any()
    sheet_name = demand_sheets[0]
    worksheet = workbook[sheet_name]
    framework = initiative.is_framework
    last_col = COL_MAX if framework else COL_QUANTITY
    items = {item.pk: item for item in Item.objects.filter(lot__initiative=initiative)}
    expected_headings = {}
    for language in SHEET_NAMES:
        with translation.override(language):
            for col, heading in enumerate(_headings(framework), start=1):
                expected_headings.setdefault(col, set()).add(heading.strip().lower())

    meta: dict[tuple[int, int], Any] = {}
    rows: dict[int, dict[int, Any]] = {}
    max_row = HEADER_ROW + len(items) + MAX_EXTRA_ROWS
    # The declared <dimension> is not trusted: every cell of the sheet is read, from A1 on (the limits were
    # checked on the whole sheet before).
    worksheet.reset_dimensions()
    for row_cells in worksheet.iter_rows(min_row=1, min_col=1):
        budget.check()
        for cell in row_cells:
            value = getattr(cell, "value", None)
            row, col = getattr(cell, "row", None), getattr(cell, "column", None)
            if value is None or row is None or (isinstance(value, str) and not value.strip()):
                continue
            if row > max_row:
                problems.add(_("The sheet has content far below the items; remove it."), sheet=sheet_name, row=row,
                             col=col)
                problems.raise_if_any()
            if getattr(cell, "data_type", None) == "f" or not isinstance(value, (str, int, float, bool, datetime,
                                                                                   date, time, Decimal)):
                problems.add(_("Formulas are not accepted; type the value itself."), sheet=sheet_name, row=row, col=col)
                continue
            if row < HEADER_ROW:
                meta[(row, col)] = value
            elif row == HEADER_ROW:
                if col > last_col:
                    problems.add(_("The template has no column here; remove this heading."), sheet=sheet_name,
                                 row=row, col=col)
                elif not isinstance(value, str) or value.strip().lower() not in expected_headings[col]:
                    problems.add(_("The heading was changed (expected %(heading)s); download a fresh template.")
                                 % {"heading": repr(_headings(framework)[col - 1])}, sheet=sheet_name, row=row, col=col)
            else:
                rows.setdefault(row, {})[col] = value

    initiative_id = _whole(meta.get(INITIATIVE_CELL))
    if initiative_id != initiative.pk:
        problems.add(_("This template belongs to another initiative; download the template of %(title)s.")
                     % {"title": repr(initiative.title)}, sheet=sheet_name, row=INITIATIVE_CELL[0], col=INITIATIVE_CELL[1])
    participation_value = meta.get(PARTICIPATION_CELL)
    if participation_value is not None and participation is not None and _whole(participation_value) != participation.pk:
        problems.add(_("This template was filled in for another organisation's participation."),
                     sheet=sheet_name, row=PARTICIPATION_CELL[0], col=PARTICIPATION_CELL[1])

    parsed: list[ParsedLine] = []
    seen: dict[int, int] = {}
    for row in sorted(rows):
        cells = rows[row]
        for col in sorted(cells):
            if col > last_col:
                problems.add(_("The template has no column here; remove this value."), sheet=sheet_name, row=row,
                             col=col)
        raw_item = cells.get(COL_ITEM)
        raw_quantity = cells.get(COL_QUANTITY)
        raw_max = cells.get(COL_MAX) if framework else None
        if raw_item is None:
            if raw_quantity is not None or raw_max is not None:
                problems.add(_("A quantity without an item id; use the rows of the template."), sheet=sheet_name,
                             row=row, col=COL_ITEM)
            continue
        item_id = _whole(raw_item)
        if item_id is None or item_id not in items:
            problems.add(_("Unknown item %(item)s: it is not part of this initiative.") % {"item": repr(raw_item)},
                         sheet=sheet_name, row=row, col=COL_ITEM)
            continue
        if item_id in seen:
            problems.add(_("Item %(item)s appears twice (also in row %(other)s).") % {"item": item_id, "other": seen[item_id]},
                         sheet=sheet_name, row=row, col=COL_ITEM)
            continue
        seen[item_id] = row
        quantity = _number(raw_quantity, problems, sheet_name, row, COL_QUANTITY, _("The quantity")) \
            if raw_quantity is not None else None
        max_quantity = _number(raw_max, problems, sheet_name, row, COL_MAX, _("The maximum quantity")) \
            if raw_max is not None else None
        if raw_max is not None and raw_quantity is None:
            problems.add(_("Give the quantity as well as the maximum quantity."), sheet=sheet_name, row=row,
                         col=COL_QUANTITY)
            continue
        if quantity is not None and max_quantity is not None and max_quantity < quantity:
            problems.add(_("The maximum quantity (%(max)s) is below the quantity (%(quantity)s).")
                         % {"max": max_quantity, "quantity": quantity}, sheet=sheet_name, row=row, col=COL_MAX)
            continue
        if quantity is None or (quantity == 0 and not max_quantity):
            continue  # empty (or zero): no demand for this item
        parsed.append(ParsedLine(row=row, item=item_id, quantity=quantity, max_quantity=max_quantity))
    problems.raise_if_any()
    return parsed


def upload_demand(*, participation: Participation, actor, upload) -> Participation:
    """Replace the participation's demand with the uploaded template's (all or nothing)."""
    if not permissions.may_edit_demand(actor, participation):
        raise NotAllowed(_("Only ICT staff of %(organisation)s can enter its demand.")
                         % {"organisation": participation.organisation})
    data = read_upload(upload)
    lines = parse(data, initiative=participation.initiative, participation=participation)
    try:
        return demand_set(participation=participation, actor=actor, lines=[
            {"item": line.item, "quantity": line.quantity, "max_quantity": line.max_quantity} for line in lines
        ])
    except InvalidInput as error:
        # The service checks again; name its findings by row as well.
        problems = Problems()
        line_errors = (error.errors or {}).get("lines")
        if isinstance(line_errors, list) and len(line_errors) == len(lines):
            for line, errors in zip(lines, line_errors, strict=True):
                for field_name, messages in (errors or {}).items():
                    col = COL_MAX if field_name == "max_quantity" else COL_QUANTITY if field_name == "quantity" else COL_ITEM
                    for message in messages:
                        problems.add(message, sheet=_sheet_name(), row=line.row, col=col)
        if not problems.errors:
            raise
        problems.raise_if_any()
        raise
