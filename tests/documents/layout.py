"""Where the glyphs of a PDF lie, read back with pypdf.

WeasyPrint writes every text run as ``Tm`` + ``Tf`` + ``TJ`` with two-byte glyph ids (Identity-H) of an
embedded CID font whose ``/W`` array holds each glyph's advance width. ``glyph_runs`` walks the content stream
(``cm``/``q``/``Q``, ``Tm``/``Td``/``TD``/``T*``, ``Tf``, ``Tc``, ``Tz``, ``TJ``/``Tj``, form XObjects) and returns
the horizontal extent of every run in page coordinates; ``pypdf``'s ``visitor_text`` gives the words found
there, for the message. ``outside_printable_area`` lists the runs that lie (partly) outside the printable
area: horizontally the page minus the side margins of ``static/pdf/pdf.css``, vertically the page minus a
printer's 5 mm (the running header and the page numbers live in the top and bottom margins).
"""

from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ContentStream

MM = 72 / 25.4
SIDE_MARGIN = 18 * MM - 1.0  # pdf.css: @page margin 18 mm left and right (1 pt for rounding)
PRINTER_MARGIN = 5 * MM


@dataclass(frozen=True)
class Run:
    page: int
    x0: float
    x1: float
    y: float
    page_width: float
    page_height: float
    text: str = ""


def _multiply(a, b):
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def _widths(font) -> tuple[dict[int, float], float]:
    """Glyph id -> advance width (1/1000 em) of a Type0 font, and its default width."""
    font = font.get_object()
    if "/DescendantFonts" not in font:  # a simple font: /Widths from /FirstChar
        first = int(font.get("/FirstChar", 0))
        return {first + i: float(w) for i, w in enumerate(font.get("/Widths", []))}, 500.0
    descendant = font["/DescendantFonts"][0].get_object()
    widths: dict[int, float] = {}
    entries = list(descendant.get("/W", []))
    i = 0
    while i < len(entries):
        start = int(entries[i])
        following = entries[i + 1].get_object()
        if isinstance(following, list):
            for offset, width in enumerate(following):
                widths[start + offset] = float(width)
            i += 2
        else:
            for cid in range(start, int(following) + 1):
                widths[cid] = float(entries[i + 2])
            i += 3
    return widths, float(descendant.get("/DW", 1000))


def _glyph_ids(data: bytes, two_bytes: bool) -> list[int]:
    if not two_bytes:
        return list(data)
    return [data[i] << 8 | data[i + 1] for i in range(0, len(data) - 1, 2)]


def _walk(reader, content, resources, ctm, page, width, height, found):
    fonts = resources.get("/Font", {}) if resources else {}
    xobjects = resources.get("/XObject", {}) if resources else {}
    stack = []
    tm = lm = [1, 0, 0, 1, 0, 0]
    font_widths, default_width, size, char_spacing, scale, two_bytes = {}, 1000.0, 0.0, 0.0, 1.0, True
    leading = 0.0
    for operands, operator in ContentStream(content, reader).operations:
        op = operator.decode("latin-1") if isinstance(operator, bytes) else operator
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop() if stack else ctm
        elif op == "cm":
            ctm = _multiply([float(v) for v in operands], ctm)
        elif op == "BT":
            tm = lm = [1, 0, 0, 1, 0, 0]
        elif op == "Tm":
            tm = lm = [float(v) for v in operands]
        elif op in ("Td", "TD"):
            lm = _multiply([1, 0, 0, 1, float(operands[0]), float(operands[1])], lm)
            tm = lm
            if op == "TD":
                leading = -float(operands[1])
        elif op == "TL":
            leading = float(operands[0])
        elif op == "T*":
            lm = _multiply([1, 0, 0, 1, 0, -leading], lm)
            tm = lm
        elif op == "Tf":
            font = fonts[operands[0]].get_object()
            font_widths, default_width = _widths(font)
            two_bytes = "/DescendantFonts" in font
            size = float(operands[1])
        elif op == "Tc":
            char_spacing = float(operands[0])
        elif op == "Tz":
            scale = float(operands[0]) / 100
        elif op in ("TJ", "Tj", "'", '"'):
            items = operands[0] if op == "TJ" else [operands[-1]]
            advance = 0.0
            for item in items:
                if isinstance(item, (bytes, str)) or hasattr(item, "original_bytes"):
                    data = item.original_bytes if hasattr(item, "original_bytes") else (
                        item if isinstance(item, bytes) else item.encode("latin-1"))
                    for glyph in _glyph_ids(data, two_bytes):
                        advance += (font_widths.get(glyph, default_width) / 1000 * size + char_spacing) * scale
                else:
                    advance -= float(item) / 1000 * size * scale
            start = _multiply(tm, ctm)
            end = _multiply(_multiply([1, 0, 0, 1, advance, 0], tm), ctm)
            found.append(Run(page=page, x0=min(start[4], end[4]), x1=max(start[4], end[4]), y=start[5],
                             page_width=width, page_height=height))
            tm = _multiply([1, 0, 0, 1, advance, 0], tm)
        elif op == "Do":
            xobject = xobjects[operands[0]].get_object()
            if xobject.get("/Subtype") == "/Form":
                matrix = [float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                _walk(reader, xobject, xobject.get("/Resources", resources), _multiply(matrix, ctm), page, width,
                      height, found)


def _lines(page) -> list[tuple[float, str]]:
    """The text pypdf extracts, line by line, with the line's height on the page."""
    lines: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            lines.append((_multiply([float(v) for v in tm], [float(v) for v in cm])[5], text.strip()))

    page.extract_text(visitor_text=visit)
    return lines


def glyph_runs(reader: PdfReader) -> list[Run]:
    found: list[Run] = []
    for number, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        runs: list[Run] = []
        _walk(reader, page.get_contents(), page.get("/Resources", {}).get_object(), [1, 0, 0, 1, 0, 0], number,
              float(box.width), float(box.height), runs)
        lines = _lines(page)
        for run in runs:
            near = min(lines, key=lambda line: abs(line[0] - run.y), default=(0, ""))
            found.append(Run(**{**run.__dict__, "text": near[1]}))
    return found


def outside_printable_area(reader: PdfReader) -> list[Run]:
    return [run for run in glyph_runs(reader)
            if run.x0 < SIDE_MARGIN or run.x1 > run.page_width - SIDE_MARGIN
            or run.y < PRINTER_MARGIN or run.y > run.page_height - PRINTER_MARGIN]
