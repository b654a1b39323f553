"""The floor for the demand sheet: one raw SQL aggregate and xlsxwriter writing the same cells.

No ORM, no pandas, no formatting niceties beyond what the cells need: this is what writing the sheet
costs at the least on this machine, so the product's sheet is measured against it in the same run.
The cells are the product's (``procurement/sheets/export.py``): the overview (organisations × items,
value columns, three total rows), a sheet per lot (one row per organisation × item of the lot), the cost
per organisation and the participants, each under the same eight-row header block.
"""

import io
from collections import defaultdict

LINES_SQL = """
SELECT p.id, i.id, i.lot_id, SUM(d.quantity), SUM(d.max_quantity),
       SUM(d.quantity * i.estimated_unit_price),
       SUM(d.quantity * i.estimated_unit_price * (100 + i.vat_rate) / 100)
FROM procurement_demandline d
JOIN procurement_participation p ON p.id = d.participation_id
JOIN procurement_item i ON i.id = d.item_id
WHERE p.initiative_id = %s AND p.state = ANY(%s)
GROUP BY p.id, i.id, i.lot_id
"""
ITEMS_SQL = """
SELECT i.id, i.lot_id, l.number, l.title, i.name, i.unit, i.estimated_unit_price, i.vat_rate
FROM procurement_item i JOIN procurement_lot l ON l.id = i.lot_id
WHERE l.initiative_id = %s ORDER BY l.number, i.position, i.id
"""
PARTICIPANTS_SQL = """
SELECT p.id, o.name, o.enterprise_number, p.state, p.deciding_body, p.decision_date, p.decision_reference,
       p.submitted_at
FROM procurement_participation p JOIN procurement_organisation o ON o.id = p.organisation_id
WHERE p.initiative_id = %s ORDER BY o.name
"""
HEADER_ROWS = 8


def _header(ws, title: str, pooled: tuple[float, float], bold) -> None:
    ws.write_string(0, 0, title, bold)
    for row, (label, value) in enumerate([("Initiative", title), ("Lead organisation", "lead"), ("State", "s"),
                                          ("Data as of", "now"), ("Demand shown", "shown")], start=1):
        ws.write_string(row, 0, label, bold)
        ws.write_string(row, 1, value)
    ws.write_string(6, 0, "Pooled value excl. VAT", bold)
    ws.write_number(6, 1, pooled[0])
    ws.write_string(7, 0, "Pooled value incl. VAT", bold)
    ws.write_number(7, 1, pooled[1])


def write_baseline(initiative_id: int, states: tuple[str, ...]) -> bytes:
    import xlsxwriter
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(LINES_SQL, [initiative_id, list(states)])
        lines = cursor.fetchall()
        cursor.execute(ITEMS_SQL, [initiative_id])
        items = cursor.fetchall()
        cursor.execute(PARTICIPANTS_SQL, [initiative_id])
        participants = cursor.fetchall()

    by_participation: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    by_item: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    by_lot: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    cell: dict[tuple[int, int], float] = {}
    for pid, iid, lot_id, quantity, _max, excl, incl in lines:
        excl, incl = float(excl), float(incl)
        by_participation[pid][0] += excl
        by_participation[pid][1] += incl
        by_item[iid][0] += float(quantity)
        by_item[iid][1] += excl
        by_item[iid][2] += incl
        by_lot[lot_id][0] += excl
        by_lot[lot_id][1] += incl
        cell[(pid, iid)] = float(quantity)
    pooled = (sum(v[0] for v in by_participation.values()), sum(v[1] for v in by_participation.values()))
    counted = [p for p in participants if p[3] in states]
    names = {p[0]: p[1] for p in participants}

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False})
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": '#,##0.00 "€"'})
    whole = workbook.add_format({"num_format": "#,##0"})

    ws = workbook.add_worksheet("Overview")
    _header(ws, "Demand sheet", pooled, bold)
    top = HEADER_ROWS + 1
    ws.write_string(top, 0, "Organisation", bold)
    for col, item in enumerate(items, start=1):
        ws.write_string(top, col, f"{item[2]}.{item[4]} ({item[5]})", bold)
    value_col = len(items) + 1
    ws.write_string(top, value_col, "Value excl. VAT", bold)
    ws.write_string(top, value_col + 1, "Value incl. VAT", bold)
    row = top
    for p in counted:
        row += 1
        ws.write_string(row, 0, p[1])
        for col, item in enumerate(items, start=1):
            ws.write_number(row, col, cell.get((p[0], item[0]), 0.0), whole)
        ws.write_number(row, value_col, by_participation[p[0]][0], money)
        ws.write_number(row, value_col + 1, by_participation[p[0]][1], money)
    for label, index, value_cols in (("Total quantity", 0, (0, 1)), ("Value excl. VAT", 1, (0,)),
                                     ("Value incl. VAT", 2, (1,))):
        row += 1
        ws.write_string(row, 0, label, bold)
        for col, item in enumerate(items, start=1):
            ws.write_number(row, col, by_item[item[0]][index], money)
        for k in value_cols:
            ws.write_number(row, value_col + k, pooled[k], money)

    item_of = {item[0]: item for item in items}
    lots: dict[int, list] = defaultdict(list)
    for line in lines:
        lots[line[2]].append(line)
    lot_numbers = {item[1]: item[2] for item in items}
    for lot_id in sorted(lot_numbers, key=lot_numbers.get):
        ws = workbook.add_worksheet(f"Lot {lot_numbers[lot_id]}")
        _header(ws, "Lot", pooled, bold)
        for col, heading in enumerate(["Organisation", "Item", "Unit", "Quantity", "Price", "VAT", "Excl", "Incl"]):
            ws.write_string(top, col, heading, bold)
        row = top
        for pid, iid, _lot, quantity, _max, excl, incl in sorted(lots[lot_id], key=lambda r: (names[r[0]], r[1])):
            row += 1
            item = item_of[iid]
            ws.write_string(row, 0, names[pid])
            ws.write_string(row, 1, item[4])
            ws.write_string(row, 2, item[5])
            ws.write_number(row, 3, float(quantity), whole)
            ws.write_number(row, 4, float(item[6]), money)
            ws.write_number(row, 5, float(item[7]))
            ws.write_number(row, 6, float(excl), money)
            ws.write_number(row, 7, float(incl), money)
        row += 1
        ws.write_string(row, 0, "Total of the lot", bold)
        ws.write_number(row, 6, by_lot[lot_id][0], money)
        ws.write_number(row, 7, by_lot[lot_id][1], money)

    ws = workbook.add_worksheet("Cost per organisation")
    _header(ws, "Cost", pooled, bold)
    for col, heading in enumerate(["Organisation", "Enterprise number", "State", "Excl", "VAT", "Incl"]):
        ws.write_string(top, col, heading, bold)
    row = top
    for p in counted:
        row += 1
        excl, incl = by_participation[p[0]]
        ws.write_string(row, 0, p[1])
        ws.write_string(row, 1, p[2])
        ws.write_string(row, 2, p[3])
        ws.write_number(row, 3, excl, money)
        ws.write_number(row, 4, incl - excl, money)
        ws.write_number(row, 5, incl, money)
    row += 1
    ws.write_string(row, 0, "Total", bold)
    ws.write_number(row, 3, pooled[0], money)
    ws.write_number(row, 4, pooled[1] - pooled[0], money)
    ws.write_number(row, 5, pooled[1], money)

    ws = workbook.add_worksheet("Participants")
    _header(ws, "Participants", pooled, bold)
    for col, heading in enumerate(["Organisation", "Enterprise number", "State", "Counted", "Body", "Date",
                                   "Reference", "Submitted"]):
        ws.write_string(top, col, heading, bold)
    row = top
    for p in participants:
        row += 1
        ws.write_string(row, 0, p[1])
        ws.write_string(row, 1, p[2])
        ws.write_string(row, 2, p[3])
        ws.write_string(row, 3, "yes" if p[3] in states else "no")
        ws.write_string(row, 4, p[4] or "")
        ws.write_string(row, 6, p[6] or "")
        if p[7] is not None:
            ws.write_datetime(row, 7, p[7].replace(tzinfo=None))
    workbook.close()
    return buffer.getvalue()


def sheet_dimensions(content: bytes) -> dict[str, str]:
    """The used range of every worksheet (``<dimension ref=…>``), to check that both files have the
    same cells without reading 400 000 of them back."""
    import re
    import zipfile

    result = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in sorted(archive.namelist()):
            if name.startswith("xl/worksheets/sheet"):
                head = archive.open(name).read(4096).decode("utf-8", "replace")
                match = re.search(r'<dimension ref="([^"]+)"', head)
                result[name] = match.group(1) if match else "?"
    return result


def count_cells(content: bytes) -> int:
    import zipfile

    total = 0
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                total += archive.read(name).count(b"<c r=")
    return total

