"""The demand template: download, fill in, upload; every bad upload is refused precisely and changes nothing."""

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from audit.models import AuditEntry
from procurement.models import InitiativeState

from .helpers import workbook


def lines_of(participation):
    return sorted((line.item_id, line.quantity, line.max_quantity) for line in participation.lines.all())


@pytest.fixture
def draft(demand):
    return demand["Destelbergen"]  # a draft with 3 laptops


def template_bytes(client, user, participation) -> bytes:
    client.force_login(user)
    response = client.get(f"/api/initiatives/{participation.initiative_id}/demand-template.xlsx",
                          {"participation": participation.pk})
    assert response.status_code == 200
    return response.content


def upload(client, user, participation, content: bytes, name: str = "behoefte.xlsx"):
    client.force_login(user)
    return client.post(f"/api/participations/{participation.pk}/demand-upload/", {"file": _named(content, name)})


def _named(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content,
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def edited(content: bytes, change) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def item_row(wb, item) -> int:
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=7, min_col=2, max_col=2):
        if row[0].value == item.pk:
            return row[0].row
    raise AssertionError("item not in template")


def test_template_lists_every_item_prefilled(client, round_, draft):
    wb = workbook(template_bytes(client, round_.lead_people.ict, draft))
    ws = wb.worksheets[0]
    assert wb.sheetnames == ["Demand"]
    assert ws["B2"].value == round_.initiative.pk and ws["B3"].value == draft.pk
    assert [c.value for c in ws[6]][:7] == ["Lot", "Item id", "Item", "Unit", "Estimated unit price excl. VAT",
                                            "VAT rate", "Quantity"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=7, values_only=True)}
    assert set(rows) == {round_.laptop.pk, round_.dock.pk, round_.monitor.pk}
    assert rows[round_.laptop.pk][6] == 3 and rows[round_.dock.pk][6] is None
    assert rows[round_.laptop.pk][4] == 900 and rows[round_.laptop.pk][0] == 1


def test_template_round_trip(client, round_, draft):
    content = template_bytes(client, round_.lead_people.ict, draft)
    before = lines_of(draft)
    response = upload(client, round_.lead_people.ict, draft, content)
    assert response.status_code == 200, response.content
    assert lines_of(draft) == before  # unchanged template: unchanged demand

    def fill(wb):
        ws = wb.worksheets[0]
        ws.cell(item_row(wb, round_.laptop), 7).value = 12
        ws.cell(item_row(wb, round_.dock), 7).value = 2.5
        ws.cell(item_row(wb, round_.monitor), 7).value = None
    response = upload(client, round_.lead_people.ict, draft, edited(content, fill))
    assert response.status_code == 200, response.content
    assert lines_of(draft) == [(round_.laptop.pk, Decimal("12.00"), None), (round_.dock.pk, Decimal("2.50"), None)]
    assert response.json()["subtotal"] == "11250.00"  # 12 × 900 + 2.5 × 180
    assert AuditEntry.objects.filter(action="procurement.participation.demand_changed", object_id=draft.pk).count() == 3


def _cell(item_attr, value):
    def change(round_):
        def apply(wb):
            wb.worksheets[0].cell(item_row(wb, getattr(round_, item_attr)), 7).value = value
        return apply
    return change


BAD = {
    "negative": (_cell("dock", -5), "Sheet Demand, row 8, column G: The quantity is negative (-5); enter zero or more."),
    "text": (_cell("dock", "veel"), "Sheet Demand, row 8, column G: The quantity contains text ('veel'); enter a number."),
    "formula": (_cell("dock", "=2*3"), "Sheet Demand, row 8, column G: Formulas are not accepted; type the value itself."),
    "unknown item": (
        lambda round_: lambda wb: setattr(wb.worksheets[0].cell(item_row(wb, round_.dock), 2), "value", 999999),
        "Sheet Demand, row 8, column B: Unknown item 999999: it is not part of this initiative."),
    "extra sheet": (
        lambda round_: lambda wb: wb.create_sheet("Notities"),
        "Sheet Notities: This workbook may hold only the sheet Demand; remove the sheet 'Notities'."),
    "extra column": (
        lambda round_: lambda wb: setattr(wb.worksheets[0].cell(item_row(wb, round_.dock), 10), "value", "x"),
        "Sheet Demand, row 8, column J: The template has no column here; remove this value."),
    "other initiative": (
        lambda round_: lambda wb: setattr(wb.worksheets[0]["B2"], "value", 424242),
        "Sheet Demand, row 2, column B: This template belongs to another initiative; download the template of "
        "'Laptops 2027'."),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_wrong_cell_is_named_and_nothing_changes(client, round_, draft, case):
    change, message = BAD[case]
    content = edited(template_bytes(client, round_.lead_people.ict, draft), change(round_))
    before, audit_count = lines_of(draft), AuditEntry.objects.count()
    response = upload(client, round_.lead_people.ict, draft, content)
    assert response.status_code == 400
    body = response.json()
    assert message in body["file"], body
    assert all({"sheet", "row", "column", "message"} <= set(c) for c in body["cells"])
    assert lines_of(draft) == before and AuditEntry.objects.count() == audit_count


def test_every_error_is_reported_at_once(client, round_, draft):
    def change(wb):
        ws = wb.worksheets[0]
        ws.cell(item_row(wb, round_.laptop), 7).value = -1
        ws.cell(item_row(wb, round_.dock), 7).value = "twee"
        ws.cell(item_row(wb, round_.monitor), 7).value = 1.234
    response = upload(client, round_.lead_people.ict, draft,
                      edited(template_bytes(client, round_.lead_people.ict, draft), change))
    assert response.status_code == 400
    cells = [(c["row"], c["column"]) for c in response.json()["cells"]]
    assert cells == [(7, "G"), (8, "G"), (9, "G")]
    assert lines_of(draft) == [(round_.laptop.pk, Decimal("3.00"), None)]


def test_a_30_mb_file_is_refused(client, round_, draft):
    before = lines_of(draft)
    response = upload(client, round_.lead_people.ict, draft, b"PK\x03\x04" + b"\0" * (30 * 1024 * 1024))
    assert response.status_code == 400
    assert response.json()["file"][0].startswith("The file is 30,0 MB; upload at most 5 MB.")
    assert lines_of(draft) == before


def test_a_zip_bomb_is_refused_before_unpacking(client, round_, draft):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(200):
                member.write(chunk)
    content = buffer.getvalue()
    assert len(content) < 1024 * 1024  # small on the wire, 200 MB unpacked
    before = lines_of(draft)
    response = upload(client, round_.lead_people.ict, draft, content)
    assert response.status_code == 400
    assert response.json()["file"] == ["The file unpacks to 200,0 MB; at most 50 MB is accepted."]
    assert lines_of(draft) == before


@pytest.mark.parametrize("content", [b"organisation;item;quantity\nWetteren;laptop;3\n", b"PK\x03\x04garbage"])
def test_a_file_that_is_not_xlsx_is_refused(client, round_, draft, content):
    response = upload(client, round_.lead_people.ict, draft, content, name="behoefte.csv")
    assert response.status_code == 400
    assert response.json()["file"] == [
        "This is not an XLSX workbook; download the template, fill it in and upload it as .xlsx."]


def test_who_may_upload(client, round_, draft):
    content = template_bytes(client, round_.lead_people.ict, draft)
    assert upload(client, round_.laarne_people.ict, draft, content).status_code == 404  # another organisation's
    assert upload(client, round_.lead_people.alderman, draft, content).status_code == 403
    client.logout()
    assert client.post(f"/api/participations/{draft.pk}/demand-upload/").status_code in (401, 403)


def test_upload_after_submission_is_refused(client, round_, demand):
    wetteren = demand["Wetteren"]  # submitted
    content = template_bytes(client, round_.wetteren_people.ict, wetteren)
    response = upload(client, round_.wetteren_people.ict, wetteren, content)
    assert response.status_code == 409
    assert response.json()["code"] == "participation_not_draft"


def test_framework_template_has_the_maximum_column(client, round_, draft):
    round_.initiative.kind = "framework_contract"
    round_.initiative.framework_term_months = 48
    round_.initiative.save()
    content = template_bytes(client, round_.lead_people.ict, draft)
    assert workbook(content).worksheets[0]["H6"].value == "Maximum quantity over the term"

    def change(wb):
        ws = wb.worksheets[0]
        ws.cell(item_row(wb, round_.laptop), 8).value = 2  # below the quantity 3
    response = upload(client, round_.lead_people.ict, draft, edited(content, change))
    assert response.status_code == 400
    assert "Sheet Demand, row 7, column H: The maximum quantity (2.00) is below the quantity (3.00)." in response.json()["file"]

    def good(wb):
        wb.worksheets[0].cell(item_row(wb, round_.laptop), 8).value = 30
    assert upload(client, round_.lead_people.ict, draft, edited(content, good)).status_code == 200
    assert lines_of(draft) == [(round_.laptop.pk, Decimal("3.00"), Decimal("30.00"))]


def test_template_of_an_invisible_initiative_is_404(client, round_):
    client.force_login(round_.outsider_people.ict)
    assert client.get(f"/api/initiatives/{round_.initiative.pk}/demand-template.xlsx").status_code == 404


def test_page_upload_shows_errors_as_messages(client, round_, draft):
    content = edited(template_bytes(client, round_.lead_people.ict, draft), _cell("dock", -5)(round_))
    client.force_login(round_.lead_people.ict)
    response = client.post(f"/sheets/participations/{draft.pk}/demand-upload/",
                           {"file": _named(content, "b.xlsx"), "next": "/somewhere/"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "row 8, column G" in response.content.decode()
    assert lines_of(draft) == [(round_.laptop.pk, Decimal("3.00"), None)]


def test_initiative_not_pooling_refuses_upload(client, round_, draft):
    content = template_bytes(client, round_.lead_people.ict, draft)
    from tests.conftest import move

    move(round_.initiative, InitiativeState.DECIDING)
    assert upload(client, round_.lead_people.ict, draft, content).status_code == 409
