"""The aggregated demand sheet: totals equal the selectors to the cent, in the XLSX and in the CSV."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procurement import selectors
from procurement.models import DemandLine, InitiativeKind, InitiativeState, ParticipationState
from procurement.sheets import export
from procurement.sheets.states import shown_states
from tests import factories as f
from tests.conftest import move

from .helpers import csv_rows, csv_sums, labelled, money, row_of, table, workbook

SUBMITTED_AND_APPROVED = (ParticipationState.SUBMITTED, ParticipationState.APPROVED)


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def xlsx_url(initiative):
    return f"/api/initiatives/{initiative.pk}/demand-sheet.xlsx"


def csv_url(initiative):
    return f"/api/initiatives/{initiative.pk}/demand-sheet.csv"


def test_xlsx_totals_equal_the_selectors(client, round_, demand):
    response = _get(client, round_.lead_people.procurement, xlsx_url(round_.initiative))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    wb = workbook(response.content)
    assert wb.sheetnames == ["Overview", "Lot 1", "Lot 2", "Cost per organisation", "Participants"]
    expected = selectors.demand_totals(round_.initiative, states=SUBMITTED_AND_APPROVED)
    by_item = selectors.demand_subtotals(round_.initiative, states=SUBMITTED_AND_APPROVED, by="item")
    by_lot = selectors.demand_subtotals(round_.initiative, states=SUBMITTED_AND_APPROVED, by="lot")
    # 40×900 + 40×180 + 12×210 (Wetteren) + 10×900 + 5×210 (Laarne); the lead's draft does not count.
    assert expected.pooled_value == Decimal("55770.00")

    overview = wb["Overview"]
    assert money(labelled(overview, "Demand shown excl. VAT")) == expected.pooled_value
    assert money(labelled(overview, "Demand shown incl. VAT")) == expected.pooled_value_incl_vat
    assert "submitted" in labelled(overview, "Demand shown") and "drafts are not counted" in labelled(overview, "Demand shown")
    assert labelled(overview, "Lead organisation") == "Destelbergen"
    headings, rows = table(overview)
    assert [r["Organisation"] for r in rows[:2]] == ["Laarne", "Wetteren"]
    wetteren = rows[1]
    assert wetteren["1.Laptop 14 inch (piece)"] == 40 and wetteren["2.Scherm 27 inch (piece)"] == 12
    # Column totals: quantities and values per item.
    value_row = row_of(overview, "Value excl. VAT")
    for col, heading in enumerate(headings, start=1):
        for item in (round_.laptop, round_.dock, round_.monitor):
            if heading.endswith(f"{item.name} (piece)"):
                assert money(overview.cell(value_row, col).value) == by_item[item.pk][0]
    quantity_row = row_of(overview, "Total quantity")
    assert overview.cell(quantity_row, 2).value == 50  # laptops
    # Row totals per organisation and the grand total.
    assert money(wetteren["Value excl. VAT"]) == expected.subtotals[demand["Wetteren"].pk]
    assert money(overview.cell(quantity_row, len(headings) - 1).value) == expected.pooled_value
    assert overview.freeze_panes is not None and overview.auto_filter.ref

    cost = wb["Cost per organisation"]
    _, cost_rows = table(cost)
    by_name = {r["Organisation"]: r for r in cost_rows if r["Organisation"] != "Total"}
    assert set(by_name) == {"Wetteren", "Laarne"}
    for name, p in demand.items():
        if name in by_name:
            assert money(by_name[name]["Value excl. VAT"]) == expected.subtotals[p.pk]
            assert money(by_name[name]["Value incl. VAT"]) == expected.subtotals_incl_vat[p.pk]
    assert money(labelled(cost, "Total", col=4)) == expected.pooled_value
    assert money(labelled(cost, "Total", col=6)) == expected.pooled_value_incl_vat

    # A sheet per lot: the organisations that ask for something in it × its items, with their value in
    # the lot, and the lot's totals under it.
    lot_values = {1: {"Laarne": Decimal("9000.00"), "Wetteren": Decimal("43200.00")},  # 10×900; 40×900 + 40×180
                  2: {"Laarne": Decimal("1050.00"), "Wetteren": Decimal("2520.00")}}  # 5×210; 12×210
    for lot in round_.initiative.lots.all():
        ws = wb[f"Lot {lot.number}"]
        headings, rows = table(ws)
        assert headings[1:-2] == [f"{lot.number}.{item.name} (piece)" for item in lot.items.order_by("position", "id")]
        assert {r["Organisation"]: money(r["Value excl. VAT"]) for r in rows[:2]} == lot_values[lot.number]
        excl_col, incl_col = len(headings) - 1, len(headings)
        assert money(labelled(ws, "Value excl. VAT", col=excl_col)) == by_lot[lot.pk][0]
        assert money(labelled(ws, "Value incl. VAT", col=incl_col)) == by_lot[lot.pk][1]
        assert money(labelled(ws, "Total quantity", col=excl_col)) == by_lot[lot.pk][0]
        for col, item in enumerate(lot.items.order_by("position", "id"), start=2):
            assert money(labelled(ws, "Estimated unit price excl. VAT", col=col)) == item.estimated_unit_price
            assert labelled(ws, "VAT rate", col=col) == item.vat_rate
            assert money(labelled(ws, "Value excl. VAT", col=col)) == by_item[item.pk][0]
        assert ws.freeze_panes is not None and ws.auto_filter.ref
    headings, rows = table(wb["Lot 1"])
    assert [rows[1][heading] for heading in headings[:3]] == ["Wetteren", 40, 40]  # laptops and docks

    _, participants = table(wb["Participants"])
    counted = {r["Organisation"]: (r["State"], r["Counted in this sheet"]) for r in participants}
    assert counted == {"Destelbergen": ("draft", "no"), "Laarne": ("approved", "yes"),
                       "Wetteren": ("submitted for approval", "yes")}
    # Column widths were fitted to the content, on the lot sheets too (names and amounts).
    assert wb["Participants"].column_dimensions["A"].width >= len("Destelbergen")
    lot_sheet = wb["Lot 1"]
    assert lot_sheet.column_dimensions["A"].width >= len("Estimated unit price excl. VAT")
    assert lot_sheet.column_dimensions["D"].width >= len("43.200,00 €")  # Wetteren's value in lot 1


def test_a_framework_lot_sheet_shows_the_estimate_and_the_maximum_of_every_item(db):
    initiative = f.InitiativeFactory(kind=InitiativeKind.FRAMEWORK_CONTRACT, framework_term_months=48,
                                     state=InitiativeState.POOLING)
    lot = f.LotFactory(initiative=initiative, number=1)
    printer = f.ItemFactory(lot=lot, name="Printer", estimated_unit_price=Decimal("400.00"), vat_rate=Decimal(21))
    for name, quantity, maximum in (("Aalst", 10, 25), ("Zele", 5, None)):
        p = f.ParticipationFactory(initiative=initiative, organisation=f.OrganisationFactory(name=name),
                                   state=ParticipationState.SUBMITTED)
        f.DemandLineFactory(participation=p, item=printer, quantity=quantity, max_quantity=maximum)

    ws = workbook(export.write_xlsx(export.load(initiative)))["Lot 1"]
    headings, rows = table(ws)
    assert headings == ["Organisation", "1.Printer (piece)\nEstimated quantity",
                        "1.Printer (piece)\nMaximum quantity over the term",
                        "Value excl. VAT", "Value incl. VAT"]
    # The value counts the maximum, or the estimate where no maximum was given.
    assert [list(r.values()) for r in rows[:2]] == [["Aalst", 10, 25, 10000.0, 12100.0], ["Zele", 5, 5, 2000.0, 2420.0]]
    assert [ws.cell(row_of(ws, "Total quantity"), col).value for col in (2, 3, 4)] == [15, 30, 12000.0]
    # The value of the estimate stays empty: only the maximum is valued.
    assert [ws.cell(row_of(ws, "Value excl. VAT"), col).value for col in (2, 3, 4)] == [None, 12000.0, 12000.0]


def test_csv_is_the_long_form_and_sums_to_the_selectors(client, round_, demand):
    response = _get(client, round_.lead_people.procurement, csv_url(round_.initiative))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response.content)
    assert len(rows) == 5  # Wetteren × 3 items, Laarne × 2 items
    assert {(r["organisation"], r["item"]) for r in rows} == {
        ("Wetteren", "Laptop 14 inch"), ("Wetteren", "Docking station USB-C"), ("Wetteren", "Scherm 27 inch"),
        ("Laarne", "Laptop 14 inch"), ("Laarne", "Scherm 27 inch"),
    }
    assert {r["demand_shown"] for r in rows} == {"submitted|approved"}
    expected = selectors.demand_totals(round_.initiative, states=SUBMITTED_AND_APPROVED)
    per_org = csv_sums(rows, "organisation")
    for name, p in demand.items():
        if name != "Destelbergen":
            assert per_org[name] == (expected.subtotals[p.pk], expected.subtotals_incl_vat[p.pk])
    by_item = selectors.demand_subtotals(round_.initiative, states=SUBMITTED_AND_APPROVED, by="item")
    assert {int(k): v for k, v in csv_sums(rows, "item_id").items()} == by_item
    by_lot = selectors.demand_subtotals(round_.initiative, states=SUBMITTED_AND_APPROVED, by="lot")
    lots = {lot.number: lot.pk for lot in round_.initiative.lots.all()}
    assert {lots[int(k)]: v for k, v in csv_sums(rows, "lot").items()} == by_lot
    total = csv_sums([{**r, "all": "x"} for r in rows], "all")["x"]
    assert total == (expected.pooled_value, expected.pooled_value_incl_vat)


def test_after_the_freeze_only_approved_demand_counts(client, round_, demand):
    move(round_.initiative, InitiativeState.READY)
    wb = workbook(_get(client, round_.lead_people.procurement, xlsx_url(round_.initiative)).content)
    overview = wb["Overview"]
    assert labelled(overview, "Demand shown").startswith("Approved participations only")
    assert money(labelled(overview, "Demand shown excl. VAT")) == Decimal("10050.00")  # Laarne: 10×900 + 5×210
    assert money(labelled(overview, "Demand shown excl. VAT")) == selectors.pooled_value(round_.initiative)
    rows = csv_rows(_get(client, round_.lead_people.procurement, csv_url(round_.initiative)).content)
    assert {r["organisation"] for r in rows} == {"Laarne"}


@pytest.mark.parametrize("who, status", [("wetteren_ict", 403), ("lead_viewer", 403), ("outsider", 404)])
def test_only_the_leads_procurement_officers_get_the_sheet(client, round_, demand, who, status):
    user = {"wetteren_ict": round_.wetteren_people.ict, "lead_viewer": round_.lead_people.viewer,
            "outsider": round_.outsider_people.procurement}[who]
    for url in (xlsx_url(round_.initiative), csv_url(round_.initiative)):
        assert _get(client, user, url).status_code == status


def test_anonymous_gets_no_sheet(client, round_):
    assert client.get(xlsx_url(round_.initiative)).status_code in (401, 403)


def test_names_that_look_like_formulas_stay_text(client, round_, django_capture_on_commit_callbacks):
    from procurement import services

    evil_org = f.OrganisationFactory(name='=HYPERLINK("http://x","y")')
    round_.circle.organisations.add(evil_org)
    ict = f.UserFactory(username="ict.evil")
    f.MembershipFactory(user=ict, organisation=evil_org, role="ict")
    round_.laptop.name = "+cmd"
    round_.laptop.save()
    round_.dock.name = "@SUM(A1)"
    round_.dock.save()
    round_.initiative.title = "-2+3"
    round_.initiative.save()
    p = services.participation_join(initiative=round_.initiative, actor=ict, organisation=evil_org)
    services.demand_set(participation=p, actor=ict, lines=[{"item": round_.laptop.pk, "quantity": 2},
                                                           {"item": round_.dock.pk, "quantity": 1}])
    services.participation_submit(participation=p, actor=ict)

    wb = workbook(_get(client, round_.lead_people.procurement, xlsx_url(round_.initiative)).content)
    texts = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value}"
                assert cell.hyperlink is None
                if isinstance(cell.value, str):
                    texts.add(cell.value)
    assert '=HYPERLINK("http://x","y")' in texts
    assert "1.+cmd (piece)" in texts and "1.@SUM(A1) (piece)" in texts  # item headings, text all the same

    content = _get(client, round_.lead_people.procurement, csv_url(round_.initiative)).content
    rows = csv_rows(content)
    assert {r["organisation"] for r in rows} == {"'=HYPERLINK(\"http://x\",\"y\")"}
    assert {r["item"] for r in rows} == {"'+cmd", "'@SUM(A1)"}
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_safe_prefixes_every_dangerous_start():
    for value in ("=1", "+1", "-1", "@x", "\tx", "\rx"):
        assert export.csv_safe(value) == "'" + value
    assert export.csv_safe("Wetteren") == "Wetteren"
    assert export.csv_safe(Decimal("1.50")) == "1.50"


# --- property: whatever the demand, the sheet's totals are the selectors' ---

prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("99999.99"), places=2)
quantities = st.decimals(min_value=Decimal("0"), max_value=Decimal("5000"), places=2)
STATES = [ParticipationState.DRAFT, ParticipationState.SUBMITTED, ParticipationState.APPROVED,
          ParticipationState.DECLINED]


@st.composite
def demand_sets(draw):
    n_items = draw(st.integers(1, 4))
    items = [(draw(st.integers(1, 2)), draw(prices), draw(st.sampled_from(["0", "6", "12", "21"])))
             for _ in range(n_items)]
    n_orgs = draw(st.integers(1, 4))
    orgs = []
    for _ in range(n_orgs):
        lines = {}
        for index in range(n_items):
            quantity = draw(st.one_of(st.none(), quantities))
            if quantity is not None:
                extra = draw(st.one_of(st.none(), quantities))
                lines[index] = (quantity, None if extra is None else quantity + extra)
        orgs.append((draw(st.sampled_from(STATES)), lines))
    return draw(st.booleans()), draw(st.booleans()), items, orgs


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(data=demand_sets())
def test_property_sheet_totals_equal_selectors(data):
    framework, frozen, item_specs, org_specs = data
    with transaction.atomic():
        initiative = f.InitiativeFactory(
            kind=InitiativeKind.FRAMEWORK_CONTRACT if framework else InitiativeKind.JOINT_PURCHASE,
            framework_term_months=48 if framework else None,
            state=InitiativeState.READY if frozen else InitiativeState.POOLING,
        )
        lots = {n: f.LotFactory(initiative=initiative, number=n) for n in {spec[0] for spec in item_specs}}
        items = [f.ItemFactory(lot=lots[lot], estimated_unit_price=price, vat_rate=Decimal(vat))
                 for lot, price, vat in item_specs]
        participations = []
        for state, lines in org_specs:
            p = f.ParticipationFactory(initiative=initiative, state=state)
            participations.append(p)
            DemandLine.objects.bulk_create(
                DemandLine(participation=p, item=items[i], quantity=q, max_quantity=m if framework else None)
                for i, (q, m) in lines.items()
            )
        states = shown_states(initiative)
        expected = selectors.demand_totals(initiative, states=states)
        by_item = selectors.demand_subtotals(initiative, states=states, by="item")
        by_lot = selectors.demand_subtotals(initiative, states=states, by="lot")
        sheet = export.load(initiative)

        rows = csv_rows(export.write_csv(sheet))
        all_rows = csv_sums([{**r, "all": "x"} for r in rows], "all").get("x", (Decimal("0.00"), Decimal("0.00")))
        assert all_rows == (expected.pooled_value, expected.pooled_value_incl_vat)
        assert {int(k): v for k, v in csv_sums(rows, "item_id").items()} == by_item
        names = {p.organisation.name: p.pk for p in participations}
        assert {names[k]: v for k, v in csv_sums(rows, "organisation").items()} == {
            pk: (excl, expected.subtotals_incl_vat[pk]) for pk, excl in expected.subtotals.items()}

        wb = workbook(export.write_xlsx(sheet))
        assert money(labelled(wb.worksheets[0], "Demand shown excl. VAT")) == expected.pooled_value
        assert money(labelled(wb.worksheets[0], "Demand shown incl. VAT")) == expected.pooled_value_incl_vat
        _, cost_rows = table(wb["Cost per organisation"])
        sheet_costs = {names[r["Organisation"]]: (money(r["Value excl. VAT"]), money(r["Value incl. VAT"]))
                       for r in cost_rows if r["Organisation"] != "Total"}
        counted_ids = {p.pk for p in participations if p.state in states}
        assert sheet_costs == {pk: (expected.subtotals.get(pk, Decimal("0.00")),
                                    expected.subtotals_incl_vat.get(pk, Decimal("0.00"))) for pk in counted_ids}
        for lot in lots.values():
            lot_sheet = wb[f"Lot {lot.number}"]
            headings, _ = table(lot_sheet)
            lot_total = by_lot.get(lot.pk, (Decimal("0.00"),) * 2)
            assert money(labelled(lot_sheet, "Value excl. VAT", col=len(headings) - 1)) == lot_total[0]
            assert money(labelled(lot_sheet, "Value incl. VAT", col=len(headings))) == lot_total[1]
        transaction.set_rollback(True)
