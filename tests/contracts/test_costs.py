"""Cost statements of a shared hire: every quarter's amounts add up to the quarter's cost to the cent, for
awkward shares (1/3, 1/7), a mid-quarter change of the allocation key, indexation across a year boundary,
a termination mid-quarter; and the pure arithmetic for arbitrary shares and dates (hypothesis)."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.models import AuditEntry
from contracts import costs, services
from contracts.models import AllocationKey, Contract, SharedHire
from core.errors import InvalidInput, NotAllowed, TransitionRefused
from procurement.models import Organisation

from .helpers import client_of, shared_hire

D = Decimal
START = date(2027, 1, 1)


def amounts(contract: Contract, label: str) -> dict[str, Decimal]:
    statement = costs.statement(contract, costs.Quarter.parse(label))
    assert sum(row.amount for row in statement.rows) == statement.cost
    return {row.organisation.name: row.amount for row in statement.rows}


def assert_exact(statement: costs.Statement) -> None:
    """The amounts add up to the cost; each is within a cent of the exact share; the cost is the exact
    cost rounded to the cent."""
    assert sum((row.amount for row in statement.rows), D("0")) == statement.cost
    exact = statement.exact_cost
    assert abs(Fraction(statement.cost) - exact) <= Fraction(1, 200)
    for row in statement.rows:
        assert abs(Fraction(row.amount) - row.exact) < Fraction(1, 100)


def test_the_hire_as_concluded(fixed_round, clock):
    contract = shared_hire(fixed_round, clock, {"wetteren": "0.5", "laarne": "0.3", "lead": "0.2"}, start=START)
    hire = contract.hire
    assert (hire.title, hire.fte, hire.employer, hire.annual_salary_cost, hire.base_year) == (
        "GIS-coördinator", D("1.0000"), fixed_round.lead, D("100000.00"), 2027)
    [key] = AllocationKey.objects.filter(contract=contract)
    assert (key.version, key.valid_from, key.basis) == (1, START, "fte")
    assert {s.organisation.name: s.value for s in key.shares.all()} == {
        "Destelbergen": D("0.2000"), "Laarne": D("0.3000"), "Wetteren": D("0.5000")}
    # Q1 2027: 90 of 365 days of 100 000,00 € = 24 657,534… → 24 657,53.
    # Exact shares 4 931,5068…, 7 397,2602… and 12 328,7671…: one cent left, for the largest remainder.
    assert amounts(contract, "2027-Q1") == {"Destelbergen": D("4931.50"), "Laarne": D("7397.26"),
                                            "Wetteren": D("12328.77")}
    assert costs.statement(contract, costs.Quarter(2026, 4)).rows == []  # before the start


@pytest.mark.parametrize("shares, expected", [
    # 1/3 each of 0,6 FTE × 100 000 = 60 000 a year; Q1: 14 794,5205… → 14 794,52; 4 931,5068… each: the two
    # cents left go to the first two by name (equal remainders).
    ({"wetteren": "0.2", "laarne": "0.2", "lead": "0.2"},
     {"Destelbergen": D("4931.51"), "Laarne": D("4931.51"), "Wetteren": D("4931.50")}),
    # 1/7, 2/7 and 4/7 of 0,7 FTE × 100 000 = 70 000 a year; Q1: 17 260,2739… → 17 260,27.
    ({"lead": "0.1", "laarne": "0.2", "wetteren": "0.4"},
     {"Destelbergen": D("2465.75"), "Laarne": D("4931.51"), "Wetteren": D("9863.01")}),
])
def test_awkward_shares_add_up_to_the_cent(fixed_round, clock, shares, expected):
    contract = shared_hire(fixed_round, clock, shares, start=START)
    assert amounts(contract, "2027-Q1") == expected
    for year in (2027, 2028, 2029):
        for statement in costs.year_statements(contract, year):
            assert_exact(statement)


def test_a_mid_quarter_change_of_the_allocation_key(fixed_round, clock):
    contract = shared_hire(fixed_round, clock, {"wetteren": "0.5", "laarne": "0.5"}, start=START)
    officer = fixed_round.lead_people.procurement
    # Destelbergen joins from 15 February: 45 days under version 1, 45 under version 2.
    services.allocation_key_add(contract=contract, actor=officer, valid_from=date(2027, 2, 15), basis="fte",
                                reason="Destelbergen joins", shares=[
                                    {"organisation": fixed_round.wetteren.pk, "value": "0.5"},
                                    {"organisation": fixed_round.laarne.pk, "value": "0.3"},
                                    {"organisation": fixed_round.lead.pk, "value": "0.2"}])
    statement = costs.statement(contract, costs.Quarter(2027, 1))
    assert statement.cost == D("24657.53")
    # Exact: Wetteren 45 day-equivalents (12 328,767…), Laarne 36 (9 863,013…), Destelbergen 9 (2 465,753…);
    # the floors leave one cent, for the largest remainder (Wetteren).
    assert {r.organisation.name: (r.amount, r.share, r.days) for r in statement.rows} == {
        "Destelbergen": (D("2465.75"), D("10.0000"), 45), "Laarne": (D("9863.01"), D("40.0000"), 90),
        "Wetteren": (D("12328.77"), D("50.0000"), 90)}
    assert_exact(statement)
    # The API answers the same.
    answer = client_of(fixed_round.laarne_people.ict).get(
        f"/api/contracts/{contract.pk}/cost-statements/?period=2027-Q1")
    assert answer.status_code == 200
    assert [(r["organisation_name"], r["share"], r["amount"]) for r in answer.json()] == [
        ("Destelbergen", "10.0000", "2465.75"), ("Laarne", "40.0000", "9863.01"), ("Wetteren", "50.0000", "12328.77")]
    assert {r["organisation"] for r in answer.json()} == {fixed_round.lead.pk, fixed_round.laarne.pk,
                                                          fixed_round.wetteren.pk}
    # Laarne leaves from 1 May, in percentages now; Q2: 30 days of version 2, 61 of version 3.
    services.allocation_key_add(contract=contract, actor=officer, valid_from=date(2027, 5, 1), basis="percentage",
                                shares=[{"organisation": fixed_round.wetteren.pk, "value": "66.6667"},
                                        {"organisation": fixed_round.lead.pk, "value": "33.3333"}])
    q2 = costs.statement(contract, costs.Quarter(2027, 2))
    assert_exact(q2)
    assert {r.organisation.name: r.days for r in q2.rows} == {"Destelbergen": 91, "Laarne": 30, "Wetteren": 91}
    q3 = costs.statement(contract, costs.Quarter(2027, 3))
    assert {r.organisation.name for r in q3.rows} == {"Destelbergen", "Wetteren"}
    assert_exact(q3)
    assert AuditEntry.objects.filter(action="contracts.allocation_key.created").count() == 3
    assert AuditEntry.objects.filter(action="contracts.allocation_key.created").order_by("pk").last().data["left"] == [
        fixed_round.laarne.pk]


def test_indexation_across_a_year_boundary(fixed_round, clock):
    contract = shared_hire(fixed_round, clock, {"wetteren": "0.5", "laarne": "0.5"}, start=START)
    services.cost_model_update(contract=contract, actor=fixed_round.lead_people.procurement,
                               annual_salary_cost="90000.00", operating_costs="10000.00", overhead_percentage="5",
                               subsidies="15000.00", indexation_percentage="2", base_year=2027)
    hire = SharedHire.objects.get(contract=contract)
    # 2027: 100 000 × 1,05 − 15 000 = 90 000; 2028: 102 000 × 1,05 − 15 000 = 92 100; 2029: 104 040 × 1,05 − 15 000.
    assert costs.annual_cost(hire, 2027) == 90000
    assert costs.annual_cost(hire, 2028) == 92100
    assert costs.to_cents(costs.annual_cost(hire, 2029)) == D("94242.00")
    q4 = costs.statement(contract, costs.Quarter(2027, 4))
    q1 = costs.statement(contract, costs.Quarter(2028, 1))
    assert q4.cost == D("22684.93")  # 90 000 × 92 / 365 = 22 684,931…
    assert q1.cost == D("22899.18")  # 92 100 × 91 / 366 (2028 is a leap year) = 22 899,180…
    assert amounts(contract, "2028-Q1") == {"Laarne": D("11449.59"), "Wetteren": D("11449.59")}
    assert_exact(q4)
    assert_exact(q1)
    # A whole year of quarters is within a few cents of the year's cost (each quarter rounds on its own).
    assert abs(sum(s.cost for s in costs.year_statements(contract, 2028)) - D("92100.00")) <= D("0.02")


def test_a_termination_mid_quarter_ends_the_statements(fixed_round, clock):
    contract = shared_hire(fixed_round, clock, {"wetteren": "0.5", "laarne": "0.5"}, start=START)
    clock.set(clock.now.replace(year=2027, month=5, day=2))
    services.contract_terminate(contract=contract, actor=fixed_round.lead_people.procurement,
                                reason="The employee left", terminated_on=date(2027, 5, 15))
    contract.refresh_from_db()
    q2 = costs.statement(contract, costs.Quarter(2027, 2))
    assert (q2.first_day, q2.last_day, q2.days) == (date(2027, 4, 1), date(2027, 5, 15), 45)
    assert q2.cost == D("12328.77")
    assert costs.statement(contract, costs.Quarter(2027, 3)).rows == []
    with pytest.raises(TransitionRefused):  # a terminated hire's key no longer changes
        services.allocation_key_add(contract=contract, actor=fixed_round.lead_people.procurement,
                                    valid_from=date(2027, 5, 10), basis="percentage",
                                    shares=[{"organisation": fixed_round.wetteren.pk, "value": "100"}])


def test_a_new_version_is_checked(fixed_round, clock):
    contract = shared_hire(fixed_round, clock, {"wetteren": "0.5", "laarne": "0.5"}, start=START)
    officer = fixed_round.lead_people.procurement

    def add(**kwargs):
        fields = {"valid_from": date(2027, 4, 1), "basis": "fte",
                  "shares": [{"organisation": fixed_round.wetteren.pk, "value": "1"}], **kwargs}
        return services.allocation_key_add(contract=contract, actor=officer, **fields)

    with pytest.raises(NotAllowed):
        services.allocation_key_add(contract=contract, actor=fixed_round.wetteren_people.procurement,
                                    valid_from=date(2027, 4, 1), basis="fte", shares=[])
    with pytest.raises(InvalidInput) as refused:
        add(shares=[{"organisation": fixed_round.wetteren.pk, "value": "0.6"},
                    {"organisation": fixed_round.laarne.pk, "value": "0.3"}])
    assert refused.value.errors == {"shares": ["The FTE shares add up to 0,9; they must add up to the position's 1 FTE."]}
    with pytest.raises(InvalidInput) as refused:
        add(basis="percentage", shares=[{"organisation": fixed_round.wetteren.pk, "value": "33.3333"},
                                        {"organisation": fixed_round.laarne.pk, "value": "33.3333"}])
    assert refused.value.errors["shares"] == ["The percentages add up to 66,6666; they must add up to 100."]
    with pytest.raises(InvalidInput) as refused:
        add(valid_from=START)
    assert "valid_from" in refused.value.errors
    with pytest.raises(InvalidInput) as refused:
        add(shares=[{"organisation": fixed_round.outsider.pk, "value": "1"}])
    assert refused.value.errors["shares"][0]["organisation"]
    add()
    assert AllocationKey.objects.filter(contract=contract).count() == 2


def test_the_api_of_the_cost_sharing(fixed_round, clock):
    contract = shared_hire(fixed_round, clock, {"wetteren": "0.5", "laarne": "0.5"}, start=START)
    url = f"/api/contracts/{contract.pk}"
    assert client_of(fixed_round.outsider_people.procurement).get(f"{url}/cost-statements/?period=2027-Q1"
                                                                  ).status_code == 404
    wetteren = client_of(fixed_round.wetteren_people.viewer)
    assert wetteren.get(f"{url}/cost-statements/?period=2027-Q5").json() == {
        "period": ["Give a quarter as YYYY-Qn, for example 2027-Q1."]}
    assert wetteren.get(f"{url}/hire/").json()["fte"] == "1.0000"
    assert wetteren.patch(f"{url}/hire/", {"subsidies": "1000"}, format="json").status_code == 403
    officer = client_of(fixed_round.lead_people.procurement)
    answer = officer.patch(f"{url}/hire/", {"subsidies": "1000.00", "indexation_percentage": "1.5"}, format="json")
    assert answer.status_code == 200 and answer.json()["subsidies"] == "1000.00"
    answer = officer.post(f"{url}/allocation-keys/", {
        "valid_from": "2027-07-01", "basis": "percentage",
        "shares": [{"organisation": fixed_round.wetteren.pk, "value": "70"},
                   {"organisation": fixed_round.laarne.pk, "value": "30"}]}, format="json")
    assert answer.status_code == 201
    assert [(v["version"], v["valid_from"], v["valid_until"]) for v in answer.json()] == [
        (1, "2027-01-01", "2027-06-30"), (2, "2027-07-01", None)]
    assert officer.post(f"{url}/allocation-keys/", {"valid_from": "2027-07-01", "basis": "fte", "shares": []},
                        format="json").status_code == 400
    purchase = client_of(fixed_round.lead_people.procurement)
    assert purchase.get("/api/contracts/999999/cost-statements/").status_code == 404


# --- the arithmetic on its own, for arbitrary keys (no database) ---


def _contract(start: date, annual: Decimal, last_day: date | None) -> Contract:
    contract = Contract(starts_on=start, ends_on=None, terminated_on=last_day)
    contract.hire = SharedHire(fte=D("1"), annual_salary_cost=annual, operating_costs=D("0"),
                               overhead_percentage=D("0"), subsidies=D("0"), indexation_percentage=D("0"),
                               base_year=start.year)
    return contract


shares_strategy = st.lists(st.decimals(min_value=D("0.0001"), max_value=D("99.9999"), places=4), min_size=1,
                           max_size=8)


@settings(max_examples=150, deadline=None)
@given(
    annual=st.decimals(min_value=D("0.00"), max_value=D("9999999.99"), places=2),
    first=shares_strategy, second=shares_strategy,
    start_offset=st.integers(min_value=0, max_value=400), change_offset=st.integers(min_value=1, max_value=200),
    quarter=st.integers(min_value=1, max_value=4),
)
def test_any_key_adds_up_to_the_cent(annual, first, second, start_offset, change_offset, quarter):
    start = date(2027, 1, 1) + timedelta(days=start_offset)
    contract = _contract(start, annual, None)
    orgs = [Organisation(pk=i + 1, name=f"Org {i:02d}") for i in range(8)]
    change = start + timedelta(days=change_offset)
    versions = [
        costs.Version(key=AllocationKey(version=1, valid_from=start, basis="fte"), start=start,
                      end=change - timedelta(days=1), shares=list(zip(orgs, first, strict=False))),
        costs.Version(key=AllocationKey(version=2, valid_from=change, basis="fte"), start=change, end=None,
                      shares=list(zip(reversed(orgs), second, strict=False))),
    ]
    statement = costs.statement(contract, costs.Quarter(start.year, quarter), key_versions=versions)
    assert_exact(statement)
    if statement.days:
        assert sum((row.weight for row in statement.rows), Fraction(0)) == 1
