"""The floor for the demand sheet: one raw SQL aggregate and xlsxwriter writing the same cells.

No ORM, no pandas, no formatting niceties beyond what the cells need: this is what writing the sheet
costs at the least on this machine, so the product's sheet is measured against it in the same run.
The cells are the product's (``procurement/sheets/export.py``) for a joint purchase: the overview
(organisations × items, value columns, five footer rows), a sheet per lot (the organisations that ask for
something in the lot × its items, the same layout), the cost per organisation and the participants, each
under the same nine-row header block (the estimated value as the law counts it, then the demand shown).
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
HEADER_ROWS = 9


def _header(ws, title: str, pooled: tuple[float, float], bold) -> None:
    ws.write_string(0, 0, title, bold)
    for row, (label, value) in enumerate([("Initiative", title), ("Lead organisation", "lead"), ("State", "s"),
                                          ("Data as of", "now"), ("Demand shown", "shown")], start=1):
        ws.write_string(row, 0, label, bold)
        ws.write_string(row, 1, value)
    ws.write_string(6, 0, "Estimated value excl. VAT", bold)
    ws.write_number(6, 1, pooled[0])  # (the product computes it with renewals; the cell costs the same)
    ws.write_string(7, 0, "Demand shown excl. VAT", bold)
    ws.write_number(7, 1, pooled[0])
    ws.write_string(8, 0, "Demand shown incl. VAT", bold)
    ws.write_number(8, 1, pooled[1])


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
    by_participation_lot: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0.0])
    by_item: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    by_lot: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    cell: dict[tuple[int, int], float] = {}
    for pid, iid, lot_id, quantity, _max, excl, incl in lines:
        excl, incl = float(excl), float(incl)
        for totals in (by_participation[pid], by_participation_lot[(pid, lot_id)], by_item[iid], by_lot[lot_id]):
            totals[0] += excl
            totals[1] += incl
        cell[(pid, iid)] = float(quantity)
    pooled = (sum(v[0] for v in by_participation.values()), sum(v[1] for v in by_participation.values()))
    counted = [p for p in participants if p[3] in states]

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False})
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": '#,##0.00 "€"'})
    whole = workbook.add_format({"num_format": "#,##0"})

    def pivot(ws, items, rows, values, total) -> None:
        top = HEADER_ROWS + 1
        ws.write_string(top, 0, "Organisation", bold)
        for col, item in enumerate(items, start=1):
            ws.write_string(top, col, f"{item[2]}.{item[4]} ({item[5]})", bold)
        value_col = len(items) + 1
        ws.write_string(top, value_col, "Value excl. VAT", bold)
        ws.write_string(top, value_col + 1, "Value incl. VAT", bold)
        row = top
        sums = [0.0] * len(items)
        for p in rows:
            row += 1
            ws.write_string(row, 0, p[1])
            for n, item in enumerate(items):
                quantity = cell.get((p[0], item[0]), 0.0)
                sums[n] += quantity
                ws.write_number(row, n + 1, quantity, whole)
            ws.write_number(row, value_col, values[p[0]][0], money)
            ws.write_number(row, value_col + 1, values[p[0]][1], money)
        footer = [("Total quantity", sums, (0, 1)), ("Price", [float(item[6]) for item in items], ()),
                  ("VAT", [float(item[7]) for item in items], ()),
                  ("Value excl. VAT", [by_item[item[0]][0] for item in items], (0,)),
                  ("Value incl. VAT", [by_item[item[0]][1] for item in items], (1,))]
        for label, figures, value_cols in footer:
            row += 1
            ws.write_string(row, 0, label, bold)
            for col, figure in enumerate(figures, start=1):
                ws.write_number(row, col, figure, money)
            for k in value_cols:
                ws.write_number(row, value_col + k, total[k], money)

    ws = workbook.add_worksheet("Overview")
    _header(ws, "Demand sheet", pooled, bold)
    pivot(ws, items, counted, by_participation, pooled)

    lots: dict[int, list] = defaultdict(list)
    for item in items:
        lots[item[1]].append(item)
    for lot_id, lot_items in sorted(lots.items(), key=lambda pair: pair[1][0][2]):
        ws = workbook.add_worksheet(f"Lot {lot_items[0][2]}")
        _header(ws, "Lot", pooled, bold)
        values = {pid: value for (pid, lid), value in by_participation_lot.items() if lid == lot_id}
        pivot(ws, lot_items, [p for p in counted if p[0] in values], values, by_lot[lot_id])

    top = HEADER_ROWS + 1
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

