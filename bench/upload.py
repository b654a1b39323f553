"""``python -m bench.upload``: reading a demand template upload back (procurement/sheets/template.py) at
600 items, on an in-memory SQLite database of its own (no PostgreSQL needed).

Two files: the template as the product writes it, every quantity filled in; and the largest file the upload
accepts, that template padded with empty cells to the limits of procurement/sheets/limits.py (30 000 cells,
10 000 rows). Each is parsed REPEAT times (the streaming check of the limits and openpyxl's reading, as on
upload). Target: the largest accepted file parses in at most 2 s. Exits non-zero when it misses.
"""

import io
import os
import re
import sys
import zipfile

ITEMS = 600
REPEAT = 5
TARGET_SECONDS = 2.0
SHEET = "xl/worksheets/sheet1.xml"


def padded_to_the_limits(content: bytes, *, cells: int, rows: int) -> bytes:
    """The workbook with empty cells and rows added below its last row until ``cells`` and ``rows``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    xml = source.read(SHEET)
    have_cells = len(re.findall(rb"<c[ >/]", xml))
    have_rows = len(re.findall(rb"<row[ >/]", xml))
    last_row = max(int(n) for n in re.findall(rb'<row r="(\d+)"', xml))
    new_rows = rows - have_rows
    per_row, extra = divmod(cells - have_cells, new_rows)
    padding = []
    for n in range(new_rows):
        row = last_row + 1 + n
        width = per_row + (1 if n < extra else 0)
        padding.append(b'<row r="%d">' % row + b"".join(b'<c r="%s%d" s="0"/>' % (column(c).encode(), row)
                                                        for c in range(1, width + 1)) + b"</row>")
    xml = xml.replace(b"</sheetData>", b"".join(padding) + b"</sheetData>")
    xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:H7"/>', xml)  # a dimension that lies, too
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member.filename, xml if member.filename == SHEET else source.read(member))
    return out.getvalue()


def column(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.db import connection
    from django.utils import translation

    from procurement.models import Initiative, Participation
    from procurement.sheets import limits
    from procurement.sheets.template import parse, write_template

    from . import generate
    from .common import say, timed

    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    translation.activate("nl")
    world = generate.generate(organisations=1, items=ITEMS, label="Upload")
    initiative = Initiative.objects.get(pk=world.initiative_id)
    participation = Participation.objects.get(pk=world.participation_ids[0])
    template = write_template(initiative, participation)
    largest = padded_to_the_limits(template, cells=limits.MAX_CELLS, rows=limits.MAX_ROWS)

    ok = True
    say(f"==> demand template upload, {ITEMS} items (median of {REPEAT}; target ≤ {TARGET_SECONDS:g} s)")
    for name, content in (("the template, filled in", template), ("the largest accepted file", largest)):
        lines = parse(content, initiative=initiative, participation=participation)
        assert len(lines) == ITEMS, f"{name}: {len(lines)} lines read"
        timing = timed(lambda content=content: parse(content, initiative=initiative, participation=participation),
                       repeat=REPEAT)
        cells = len(re.findall(rb"<c[ >/]", zipfile.ZipFile(io.BytesIO(content)).read(SHEET)))
        met = timing.median <= TARGET_SECONDS
        ok = ok and met
        say(f"    {name}: {cells:,} cells, {len(content) / 1024:.0f} KB: median {timing.median:.2f} s, "
            f"slowest {max(timing.runs):.2f} s {'ok' if met else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
