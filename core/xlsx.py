"""The one way the product opens an XLSX workbook (demand sheet, demand template, contract sheets).

What a user typed (an item name, an organisation's note) lands in cells, so nothing may turn into a formula,
a link or a number behind the writer's back: ``strings_to_formulas``, ``strings_to_urls`` and
``strings_to_numbers`` are off (DESIGN.md §6). Every workbook says what it is and who made it.
"""

import io

OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "in_memory": True}


def open_workbook(buffer: io.BytesIO, *, title: str, author: str = ""):
    """An xlsxwriter workbook writing into ``buffer``; the caller closes it, which completes the file."""
    import xlsxwriter  # imported on use: only the sheet downloads need it

    workbook = xlsxwriter.Workbook(buffer, OPTIONS)
    workbook.set_properties({"title": title, "author": author, "company": author, "comments": "Samenaankoop"})
    return workbook
