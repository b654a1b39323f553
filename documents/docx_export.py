"""The editable copy of a document (DOCX, python-docx): the same HTML the PDF is made from, mapped block by
block to Word — letterhead, headings, paragraphs (bold kept), lists, tables (header row, merged cells),
fill-in blocks, signature lines and a landscape section for an annex. A secretary edits a decision draft
before it goes on the agenda; the content stays that of the PDF because both come from one template and
the context the Document stored.
"""

import io
from typing import Any

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt
from lxml import html as lxml_html

from . import rendering

BLOCKS = {"p", "div", "ul", "ol", "table", "h1", "h2", "h3", "section"}


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _runs(paragraph, element, bold: bool = False) -> None:
    """Add ``element``'s text to ``paragraph`` as runs, bold inside <strong>/<b>, a line break for <br>."""
    if element.text:
        paragraph.add_run(" ".join(element.text.split(" "))).bold = bold or None
    for child in element:
        if child.tag == "br":
            paragraph.add_run().add_break()
        else:
            _runs(paragraph, child, bold or child.tag in ("strong", "b"))
        if child.tail:
            paragraph.add_run(child.tail).bold = bold or None


def _paragraph(doc, element, style: str | None = None, italic: bool = False):
    paragraph = doc.add_paragraph(style=style)
    _runs(paragraph, element)
    if italic:
        for run in paragraph.runs:
            run.italic = True
    return paragraph


def _table(doc, element) -> None:
    rows = element.xpath(".//tr")
    if not rows:
        return
    width = max(sum(int(cell.get("colspan", 1)) for cell in row.xpath("./th|./td")) for row in rows)
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        column = 0
        for cell in row.xpath("./th|./td"):
            span = int(cell.get("colspan", 1))
            target = table.cell(r, column)
            if span > 1:
                target = target.merge(table.cell(r, column + span - 1))
            target.text = ""
            _runs(target.paragraphs[0], cell, bold=cell.tag == "th")
            column += span


def _signatures(doc, element) -> None:
    for signature in element.xpath("./div[contains(@class, 'signature')]"):
        doc.add_paragraph()
        doc.add_paragraph("_" * 40)
        doc.add_paragraph(_text(signature))


def _landscape(doc) -> None:
    section = doc.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)


def _blocks(doc, parent) -> None:
    for element in parent:
        if not isinstance(element.tag, str):
            continue
        classes = set((element.get("class") or "").split())
        tag = element.tag
        if tag in ("h1", "h2", "h3"):
            doc.add_heading(_text(element), level={"h1": 1, "h2": 2, "h3": 3}[tag])
        elif tag == "p":
            _paragraph(doc, element, italic="quote" in classes)
        elif tag in ("ul", "ol"):
            for item in element.xpath("./li"):
                _paragraph(doc, item, style="List Bullet" if tag == "ul" else "List Number")
        elif tag == "table":
            _table(doc, element)
            doc.add_paragraph()
        elif tag == "section":
            if "annex" in classes:
                _landscape(doc)
            _blocks(doc, element)
        elif tag == "div" and "signatures" in classes:
            _signatures(doc, element)
        elif tag == "div" and "letterhead" in classes:
            for line in element.xpath("./div"):
                paragraph = doc.add_paragraph()
                run = paragraph.add_run(_text(line))
                run.bold = "name" in (line.get("class") or "")
                run.font.size = Pt(14 if run.bold else 9)
        elif tag == "div" and (element.xpath("./p|./ul|./div|./table")):
            _blocks(doc, element)
        elif tag == "div":
            _paragraph(doc, element, italic="quote" in classes)


def docx_from_html(html: str, *, language: str, meta: dict[str, Any]) -> bytes:
    tree = lxml_html.fromstring(html)
    doc = WordDocument()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    doc.styles["Normal"].font.name = "DejaVu Sans"
    doc.styles["Normal"].font.size = Pt(10)
    properties = doc.core_properties
    properties.title = meta.get("title", "")
    properties.author = meta.get("author", "")
    properties.subject = meta.get("subject", "")
    properties.language = language
    main = tree.xpath("//main")
    _blocks(doc, main[0] if main else tree.xpath("//body")[0])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_docx(template: str, context: dict[str, Any], *, language: str) -> bytes:
    """The editable copy of ``template`` rendered with ``context`` (the stored context of a Document)."""
    return docx_from_html(rendering.render_html(template, context, language=language), language=language,
                          meta=context.get("meta", {}))
