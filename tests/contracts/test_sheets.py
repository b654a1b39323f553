"""The consumption sheet of a framework agreement and the cost statements sheet of a shared hire: downloaded
through the API, read back with openpyxl and checked against the database."""

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from contracts import costs, services
from contracts.models import Beneficiary, CallOff, ContractLine

from .helpers import client_of, framework_agreement, shared_hire

D = Decimal


def workbook(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.content), data_only=False)


def table(sheet, heading: str) -> list[dict]:
    """The rows under the header row whose first cell is ``heading``, as dicts (up to the first empty row)."""
    rows = list(sheet.iter_rows(values_only=True))
    top = next(i for i, row in enumerate(rows) if row[0] == heading)
    names = rows[top]
    result = []
    for row in rows[top + 1:]:
        if row[0] is None:
            break
        result.append(dict(zip(names, row, strict=False)))
    return result


def test_the_consumption_sheet(fixed_round, clock):
    r = fixed_round
    agreement = framework_agreement(r, clock)
    ict = r.wetteren_people.ict
    first = services.call_off_create(contract=agreement, actor=ict, organisation=r.wetteren,
                                     lines=[{"item": r.laptop.pk, "quantity": "3"}, {"item": r.dock.pk, "quantity": "2"}])
    services.call_off_order(call_off=first, actor=ict)
    services.call_off_deliver(call_off=first, actor=ict, lines=[{"item": r.laptop.pk, "quantity": "2"}])
    laarne = services.call_off_create(contract=agreement, actor=r.laarne_people.ict, organisation=r.laarne,
                                      lines=[{"item": r.laptop.pk, "quantity": "1"}])
    services.call_off_order(call_off=laarne, actor=r.laarne_people.ict)
    services.call_off_create(contract=agreement, actor=ict, organisation=r.wetteren,
                             lines=[{"item": r.laptop.pk, "quantity": "1"}])  # a draft: consumes nothing

    book = workbook(client_of(r.lead_people.procurement), f"/api/contracts/{agreement.pk}/consumption.xlsx")
    assert book.sheetnames == ["Consumption", "Beneficiaries", "Call-offs"]
    rows = table(book["Consumption"], "Organisation")
    expected = {(line.organisation.name, line.item.name): line
                for line in ContractLine.objects.filter(contract=agreement).select_related("organisation", "item")}
    assert {(row["Organisation"], row["Item"]) for row in rows} == set(expected)
    for row in rows:
        line = expected[(row["Organisation"], row["Item"])]
        assert D(str(row["Maximum quantity"])) == line.quantity
        assert D(str(row["Ordered"])) == line.ordered
        assert D(str(row["Delivered"])) == line.delivered
        assert D(str(row["Remaining"])) == line.quantity - line.ordered
        assert D(str(row["Maximum excl. VAT"])) == line.amount
        assert D(str(row["Ordered excl. VAT"])).quantize(D("0.01")) == line.ordered * line.unit_price
    wetteren_laptops = next(r_ for r_ in rows if (r_["Organisation"], r_["Item"]) == ("Wetteren", "Laptop 14 inch"))
    assert (wetteren_laptops["Ordered"], wetteren_laptops["Delivered"], wetteren_laptops["Remaining"]) == (3, 2, 7)

    beneficiaries = table(book["Beneficiaries"], "Organisation")
    assert {row["Organisation"]: (D(str(row["Maximum excl. VAT"])), D(str(row["Consumed excl. VAT"])))
            for row in beneficiaries if row["Organisation"] != "Overall maximum"} == {
        b.organisation.name: (b.maximum, b.consumed) for b in Beneficiary.objects.filter(contract=agreement)}
    overall = next(row for row in book["Beneficiaries"].iter_rows(values_only=True) if row[0] == "Overall maximum")
    agreement.refresh_from_db()
    assert (D(str(overall[1])), D(str(overall[2])), D(str(overall[3]))) == (
        agreement.ceiling, agreement.consumed, agreement.remaining)

    call_offs = table(book["Call-offs"], "Number")
    assert [(row["Number"], row["Organisation"], row["State"], D(str(row["Total excl. VAT"]))) for row in call_offs] == [
        (c.number, c.organisation.name, c.get_state_display(), c.total)
        for c in CallOff.objects.filter(contract=agreement).order_by("number")]

    # A beneficiary gets its own rows only (and the overall totals).
    mine = workbook(client_of(r.laarne_people.ict), f"/api/contracts/{agreement.pk}/consumption.xlsx")
    assert {row["Organisation"] for row in table(mine["Consumption"], "Organisation")} == {"Laarne"}
    assert [row["Organisation"] for row in table(mine["Call-offs"], "Number")] == ["Laarne"]
    assert client_of(r.outsider_people.procurement).get(
        f"/api/contracts/{agreement.pk}/consumption.xlsx").status_code == 404


def test_text_never_becomes_a_formula(fixed_round, clock):
    r = fixed_round
    agreement = framework_agreement(r, clock)
    ict = r.wetteren_people.ict
    call_off = services.call_off_create(contract=agreement, actor=ict, organisation=r.wetteren,
                                        delivery_address='=HYPERLINK("http://evil.example","x")',
                                        lines=[{"item": r.laptop.pk, "quantity": "1"}])
    book = workbook(client_of(ict), f"/api/contracts/{agreement.pk}/consumption.xlsx")
    cell = next(row[6] for row in book["Call-offs"].iter_rows() if row[0].value == call_off.number)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_the_cost_statements_sheet(fixed_round, clock):
    r = fixed_round
    contract = shared_hire(r, clock, {"wetteren": "0.2", "laarne": "0.2", "lead": "0.2"}, start=date(2027, 1, 1))
    services.allocation_key_add(contract=contract, actor=r.lead_people.procurement, valid_from=date(2027, 8, 16),
                                basis="fte", shares=[{"organisation": r.wetteren.pk, "value": "0.4"},
                                                     {"organisation": r.lead.pk, "value": "0.2"}])
    book = workbook(client_of(r.laarne_people.ict), f"/api/contracts/{contract.pk}/cost-statements.xlsx?year=2027")
    assert book.sheetnames == ["Statements 2027", "Detail", "Allocation key", "Cost model"]
    statements = costs.year_statements(contract, 2027)
    rows = [row for row in table(book["Statements 2027"], "Organisation") if row["Organisation"] != "Cost of the quarter"]
    assert [row["Organisation"] for row in rows] == ["Destelbergen", "Laarne", "Wetteren"]
    for row in rows:
        for statement in statements:
            expected = next((x.amount for x in statement.rows if x.organisation.name == row["Organisation"]), D("0"))
            assert D(str(row[statement.period.label])).quantize(D("0.01")) == expected
    quarter_costs = next(row for row in book["Statements 2027"].iter_rows(values_only=True)
                         if row[0] == "Cost of the quarter")
    assert [D(str(v)).quantize(D("0.01")) for v in quarter_costs[1:5]] == [s.cost for s in statements]
    for i, statement in enumerate(statements, start=1):  # the column of each quarter adds up to its cost
        assert sum(D(str(row[statement.period.label])).quantize(D("0.01")) for row in rows) == statement.cost, i
    detail = table(book["Detail"], "Quarter")
    assert len(detail) == sum(len(s.rows) for s in statements)
    q3 = {row["Organisation"]: (row["Days"], D(str(row["Share (%)"]))) for row in detail if row["Quarter"] == "2027-Q3"}
    assert q3["Laarne"][0] == 46  # 1 July – 15 August
    versions = table(book["Allocation key"], "Version")
    assert [(row["Version"], row["Organisation"]) for row in versions] == [
        (1, "Destelbergen"), (1, "Laarne"), (1, "Wetteren"), (2, "Destelbergen"), (2, "Wetteren")]
    assert client_of(r.lead_people.procurement).get(
        f"/api/contracts/{contract.pk}/cost-statements.xlsx?year=twenty").status_code == 400
