"""Initiatives: the list (visibility, filters, pages), one initiative, and creating one directly."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from procurement.models import Initiative, InitiativeState
from tests import factories as f
from tests.conftest import move

from .conftest import audit_count

pytestmark = pytest.mark.django_db

OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$")


def url(initiative) -> str:
    return f"/api/initiatives/{initiative.pk}/"


# --- the list ---

@pytest.mark.parametrize("who, sees", [
    ("lead.procurement", True), ("lead.viewer", True),  # the lead organisation
    ("wetteren.ict", True), ("wetteren.alderman", True),  # in the circle
    ("laarne.procurement", True), ("laarne.viewer", True),
    ("outsider.ict", False), ("outsider.procurement", False),  # not in the circle
])
def test_the_list_holds_what_the_user_may_see(round_, client_as, who, sees):
    answer = client_as(who).get("/api/initiatives/")

    assert answer.status_code == 200
    assert [i["title"] for i in answer.json()["results"]] == (["Laptops 2027"] if sees else [])


def test_an_outsider_sees_an_initiative_once_offered_to_their_circle(round_, client_as):
    other = f.CircleFactory(name="Midwest")
    other.organisations.set([round_.outsider])
    f.InitiativeFactory(title="Printers", lead_organisation=round_.outsider, circles=[other])

    assert [i["title"] for i in client_as("outsider.viewer").get("/api/initiatives/").json()["results"]] == ["Printers"]
    assert [i["title"] for i in client_as("wetteren.ict").get("/api/initiatives/").json()["results"]] == [
        "Laptops 2027"]


def test_the_list_filters_on_state_and_kind(round_, client_as):
    f.InitiativeFactory(title="Printers", kind="framework_contract", framework_term_months=48,
                        lead_organisation=round_.lead, circles=[round_.circle])
    client = client_as("wetteren.ict")

    def titles(**query) -> list[str]:
        answer = client.get("/api/initiatives/", query)
        assert answer.status_code == 200
        return sorted(i["title"] for i in answer.json()["results"])

    assert titles() == ["Laptops 2027", "Printers"]
    assert titles(state="pooling") == ["Laptops 2027"]
    assert titles(state="draft") == ["Printers"]
    assert titles(kind="framework_contract") == ["Printers"]
    assert titles(kind="joint_purchase", state="draft") == []


def test_an_unknown_state_filter_is_a_400(round_, client_as):
    answer = client_as("wetteren.ict").get("/api/initiatives/", {"state": "dreaming"})
    assert answer.status_code == 400
    assert list(answer.json()) == ["state"]


def test_the_list_is_paginated(round_, client_as):
    for _ in range(3):
        f.InitiativeFactory(lead_organisation=round_.lead, circles=[round_.circle])
    body = client_as("wetteren.ict").get("/api/initiatives/", {"page_size": 2}).json()
    assert body["count"] == 4
    assert len(body["results"]) == 2
    assert body["next"] is not None


def test_a_list_row_shows_the_initiatives_own_fields(round_, client_as):
    [row] = client_as("wetteren.ict").get("/api/initiatives/").json()["results"]

    assert row["id"] == round_.initiative.pk
    assert row["state"] == "pooling"
    assert row["kind"] == "joint_purchase"
    assert row["lead_organisation"] == round_.lead.pk
    assert row["circles"] == [round_.circle.pk]
    assert OFFSET.match(row["demand_deadline"])
    assert row["demand_deadline"].endswith(("+01:00", "+02:00"))  # Brussels time


def test_the_list_costs_the_same_queries_for_more_initiatives(round_, client_as):
    client = client_as("lead.procurement")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/initiatives/").status_code == 200
        return len(captured)

    before = queries()
    for _ in range(4):
        f.InitiativeFactory(lead_organisation=round_.lead, circles=[round_.circle])
    assert queries() == before


# --- one initiative ---

def test_the_detail_shows_value_advice_lots_and_counts(round_, client_as, participation):
    answer = client_as("laarne.viewer").get(url(round_.initiative))

    assert answer.status_code == 200
    body = answer.json()
    assert body["id"] == round_.initiative.pk
    assert body["title"] == "Laptops 2027"
    assert body["state"] == "pooling"
    assert body["pooled_value"] == "38520.00"  # 40 × 900 + 12 × 210
    assert body["procedure_advice"]["procedure"] == "negotiated_without_publication"
    assert body["procedure_advice"]["publication"] == "none"
    assert re.match(r"^\d+\.\d\d$", body["procedure_advice"]["threshold"])
    assert set(body["procedure_advice"]) == {"procedure", "publication", "threshold", "reasons", "warnings",
                                              "allowed_procedures"}
    assert any("38.520,00" in reason for reason in body["procedure_advice"]["reasons"])
    assert [lot["number"] for lot in body["lots"]] == [1, 2]
    assert body["lots"][0]["items"][0] == {
        "id": round_.laptop.pk, "lot": round_.laptop.lot_id, "name": "Laptop 14 inch", "unit": "piece",
        "estimated_unit_price": "900.00", "vat_rate": "21.00", "cpv_code": "", "specification": "",
        "position": round_.laptop.position,
    }
    assert body["participation_counts"] == {
        "draft": 1, "submitted": 0, "approved": 0, "declined": 0, "withdrawn": 0, "lapsed": 0}
    assert OFFSET.match(body["created_at"])


@pytest.mark.parametrize("who, transitions", [
    ("lead.procurement", ["close_pooling", "cancel"]),
    ("lead.ict", []), ("lead.alderman", []), ("lead.viewer", []),
    ("wetteren.procurement", []), ("wetteren.ict", []),
])
def test_available_transitions_are_those_this_user_may_call_now(round_, client_as, who, transitions):
    assert client_as(who).get(url(round_.initiative)).json()["available_transitions"] == transitions


def test_a_guard_that_refuses_hides_the_transition(round_, client_as):
    move(round_.initiative, InitiativeState.DECIDING)  # nobody approved yet: cannot confirm
    body = client_as("lead.procurement").get(url(round_.initiative)).json()
    assert body["available_transitions"] == ["reopen_pooling", "cancel"]


@pytest.mark.parametrize("who", ["outsider.procurement", "outsider.viewer"])
def test_an_initiative_the_user_may_not_see_is_a_404(round_, client_as, who):
    answer = client_as(who).get(url(round_.initiative))
    assert answer.status_code == 404
    assert "detail" in answer.json()


def test_an_initiative_that_does_not_exist_is_a_404(round_, client_as):
    assert client_as("lead.procurement").get("/api/initiatives/999999/").status_code == 404


# --- creating one directly ---

def new_initiative(round_, **changes) -> dict:
    now = timezone.now()
    return {
        "kind": "joint_purchase", "title": "Smartphones 2027", "description": "Android and iOS",
        "lead_organisation": round_.wetteren.pk, "legal_basis": "central_purchasing_body",
        "circles": [round_.circle.pk], "demand_deadline": (now + timedelta(days=20)).isoformat(),
        "decision_deadline": (now + timedelta(days=60)).isoformat(), **changes,
    }


@pytest.mark.parametrize("who, status", [
    ("wetteren.procurement", 201),  # procurement in the lead organisation named
    ("wetteren.ict", 403), ("wetteren.alderman", 403), ("wetteren.viewer", 403),
    ("lead.procurement", 403),  # procurement, but of another organisation
    ("outsider.procurement", 403),
    ("anonymous", 401),
])
def test_only_procurement_of_the_lead_organisation_creates(round_, client_as, who, status):
    before = Initiative.objects.count(), audit_count()

    answer = client_as(who).post("/api/initiatives/", new_initiative(round_), format="json")

    assert answer.status_code == status
    if status == 201:
        body = answer.json()
        assert body["state"] == "draft"
        assert body["lead_organisation"] == round_.wetteren.pk
        assert body["circles"] == [round_.circle.pk]
        assert body["available_transitions"] == ["cancel"]  # no items yet: pooling cannot open
        assert body["pooled_value"] == "0.00"
        assert Initiative.objects.get(pk=body["id"]).created_by == round_.wetteren_people.procurement
    else:
        assert (Initiative.objects.count(), audit_count()) == before
    if status == 403:
        assert answer.json()["code"] == "permission_denied"


def test_a_framework_contract_takes_its_term_and_renewals(round_, client_as):
    body = new_initiative(round_, kind="framework_contract", framework_term_months=24, renewals=1)
    answer = client_as("wetteren.procurement").post("/api/initiatives/", body, format="json")
    assert answer.status_code == 201
    assert (answer.json()["framework_term_months"], answer.json()["renewals"]) == (24, 1)


def test_missing_and_malformed_fields_are_400_field_errors(round_, client_as):
    body = new_initiative(round_, kind="barter", demand_deadline="tomorrow")
    del body["title"]

    answer = client_as("wetteren.procurement").post("/api/initiatives/", body, format="json")

    assert answer.status_code == 400
    errors = answer.json()
    assert set(errors) == {"kind", "title", "demand_deadline"}
    assert errors["title"] == ["This field is required."]


@pytest.mark.parametrize("changes, field", [
    ({"decision_deadline": (timezone.now() + timedelta(days=5)).isoformat()}, "decision_deadline"),
    ({"demand_deadline": (timezone.now() - timedelta(days=1)).isoformat()}, "demand_deadline"),
    ({"kind": "framework_contract"}, "framework_term_months"),
    ({"circles": []}, "circles"),
    ({"lead_organisation": 999999}, "lead_organisation"),
])
def test_the_services_domain_errors_are_400_on_the_field(round_, client_as, changes, field):
    before = Initiative.objects.count(), audit_count()

    answer = client_as("wetteren.procurement").post("/api/initiatives/", new_initiative(round_, **changes),
                                                    format="json")

    assert answer.status_code == 400
    assert field in answer.json()
    assert all(isinstance(message, str) for message in answer.json()[field])
    assert (Initiative.objects.count(), audit_count()) == before
