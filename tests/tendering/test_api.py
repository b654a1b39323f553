"""The "Tendering" endpoints of docs/API.md, end to end, and GET /api/contracts/?initiative=<id>."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tendering.models import Tender

from .helpers import CRITERIA, brussels


@pytest.fixture
def api(ready_round):
    """``api("lead.procurement")``: a client with that person's token."""

    def make(who: str) -> APIClient:
        organisation, role = who.split(".")
        user = getattr(getattr(ready_round, f"{organisation}_people"), role)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        return client

    return make


def tender_body(**changes) -> dict:
    return {"bid_deadline": (timezone.now() + timedelta(days=10)).isoformat(), "award_criteria": CRITERIA, **changes}


def criteria_ids(tender: dict) -> dict[str, int]:
    return {c["name"]: c["id"] for c in tender["award_criteria"]}


def test_the_whole_tender_through_the_api(ready_round, api, clock):
    round_ = ready_round
    officer = api("lead.procurement")
    clock.set(timezone.now())

    answer = officer.post("/api/suppliers/", {"name": "Bechtle", "enterprise_number": "0207447366",
                                              "email": "sales@bechtle.be", "address": "Kortrijk"}, format="json")
    assert answer.status_code == 201, answer.data
    assert answer.data["enterprise_number"] == "0207.447.366"
    supplier = answer.data["id"]
    assert officer.get("/api/suppliers/?search=bech").data["count"] == 1

    answer = officer.post(f"/api/initiatives/{round_.initiative.pk}/tender/", tender_body(), format="json")
    assert answer.status_code == 201, answer.data
    tender = answer.data
    assert (tender["state"], tender["procedure"], tender["publication"]) == (
        "draft", "negotiated_without_publication", "none")
    assert tender["available_transitions"] == ["publish", "cancel"]
    assert tender["estimated_value"] == "71490.00"
    assert tender["standstill_days"] == 15
    url = f"/api/tenders/{tender['id']}"
    assert officer.get(f"/api/initiatives/{round_.initiative.pk}/tender/").data["id"] == tender["id"]

    answer = officer.post(f"{url}/transitions/publish/", {"publication_reference": "BE-2026-777"}, format="json")
    assert answer.status_code == 200, answer.data
    assert answer.data["state"] == "published"

    ids = criteria_ids(tender)
    lot1, lot2 = (lot["id"] for lot in tender["lots"])
    answer = officer.post(f"{url}/bids/", {
        "supplier": supplier, "lot": lot1,
        "unit_prices": [{"item": round_.laptop.pk, "unit_price": "850.00"},
                        {"item": round_.dock.pk, "unit_price": "170.00"}],
        "quality_scores": [{"criterion": ids["Quality"], "score": "25"}, {"criterion": ids["Service"], "score": 8}],
        "regular": True,
    }, format="json")
    assert answer.status_code == 201, answer.data
    assert (answer.data["total"], answer.data["regular"]) == ("63750.00", True)
    bid = answer.data["id"]
    answer = officer.post(f"{url}/bids/", {
        "supplier": supplier, "lot": lot2, "unit_prices": [{"item": round_.monitor.pk, "unit_price": "199.99"}],
        "quality_scores": [{"criterion": ids["Quality"], "score": "30"}, {"criterion": ids["Service"], "score": 10}],
    }, format="json")
    assert answer.status_code == 201, answer.data
    bid2 = answer.data["id"]

    clock.advance(days=11)
    assert officer.post(f"{url}/transitions/close_bids/", format="json").data["state"] == "bids_closed"
    assert officer.post(f"{url}/transitions/evaluate/", {}, format="json").data["state"] == "evaluated"
    ranking = officer.get(f"{url}/ranking/").data
    assert ranking["lots"][0]["bids"][0] == {
        "bid": bid, "supplier": supplier, "bidder": "Bechtle", "total": "63750.00", "regular": True,
        "irregular_reason": "", "price_score": "60.00", "quality_score": "33.00", "score": "93.00",
        "scores": {str(ids["Price"]): "60.00", str(ids["Quality"]): "25.00", str(ids["Service"]): "8.00"}, "rank": 1,
    }

    clock.set(brussels(2027, 3, 26, 14, 0))  # summer time starts on 28 March
    answer = officer.post(f"{url}/transitions/award/", {"awards": [{"lot": lot1, "bid": bid},
                                                                   {"lot": lot2, "bid": bid2}]}, format="json")
    assert answer.status_code == 200, answer.data
    assert answer.data["state"] == "standstill"
    assert answer.data["standstill_ends"] == "2027-04-10T14:00:00+02:00"
    assert answer.data["awards"][0] == {
        "lot": lot1, "lot_number": 1, "bid": bid, "supplier": supplier, "bidder": "Bechtle", "total": "63750.00",
        "unsuccessful": False, "reason": "",
    }
    assert answer.data["available_transitions"] == ["cancel"]

    clock.set(brussels(2027, 4, 10, 14, 0))
    answer = officer.post(f"{url}/transitions/conclude/", {"contract_start": "2027-05-01"}, format="json")
    assert answer.status_code == 200, answer.data
    assert (answer.data["state"], answer.data["contract_start"]) == ("concluded", "2027-05-01")

    contracts = officer.get(f"/api/contracts/?initiative={round_.initiative.pk}").data
    assert contracts["count"] == 4
    first = contracts["results"][0]
    assert {k: first[k] for k in ("kind", "lot", "supplier", "state", "ceiling", "consumed", "remaining")} == {
        "kind": "purchase", "lot": lot1, "supplier": supplier, "state": "active", "ceiling": None, "consumed": None,
        "remaining": None}
    assert first["period"] == {"start": "2027-05-01", "end": None}
    lot1_total = sum(Decimal(c["value"]) for c in contracts["results"] if c["lot"] == lot1)
    assert lot1_total == Decimal("63750.00")
    # A participant sees its own contracts only.
    mine = api("wetteren.ict").get(f"/api/contracts/?initiative={round_.initiative.pk}").data
    assert {c["organisation"] for c in mine["results"]} == {round_.wetteren.pk}
    assert api("outsider.procurement").get(f"/api/contracts/?initiative={round_.initiative.pk}").data["count"] == 0


def test_input_errors_are_field_errors(ready_round, api):
    round_ = ready_round
    officer = api("lead.procurement")
    url = f"/api/initiatives/{round_.initiative.pk}/tender/"
    answer = officer.post(url, tender_body(award_criteria=[{"name": "Price", "weight": 60, "is_price": True},
                                                           {"name": "Quality", "weight": 30}]), format="json")
    assert answer.status_code == 400
    assert answer.data == {"award_criteria": ["The weights must sum to 100; they sum to 90 now."]}
    answer = officer.post(url, tender_body(award_criteria=[{"name": "Price", "weight": 99.5, "is_price": True}]),
                          format="json")
    assert answer.status_code == 400 and "weight" in answer.data["award_criteria"][0]
    answer = officer.post(url, tender_body(procedure="accepted_invoice"), format="json")
    assert answer.status_code == 400
    assert "71.490,00 €" in answer.data["procedure"][0] and "30.000,00 €" in answer.data["procedure"][0]
    assert not Tender.objects.exists()

    tender = officer.post(url, tender_body(), format="json").data
    officer.post(f"/api/tenders/{tender['id']}/transitions/publish/", {"publication_reference": "BE-1"}, format="json")
    answer = officer.post(f"/api/tenders/{tender['id']}/bids/", {
        "supplier": None, "lot": tender["lots"][0]["id"],
        "unit_prices": [{"item": round_.laptop.pk, "unit_price": "1"}, {"item": round_.monitor.pk, "unit_price": "1"}],
    }, format="json")
    assert answer.status_code == 400
    assert answer.data["supplier"] and answer.data["unit_prices"][0] == {} and answer.data["unit_prices"][1]["item"]
    answer = officer.post(f"/api/tenders/{tender['id']}/transitions/publish/", {}, format="json")
    assert answer.status_code == 409  # already published: the state before the input
    answer = officer.post(f"/api/tenders/{tender['id']}/transitions/dance/", {}, format="json")
    assert answer.status_code == 404


def test_a_draft_can_be_changed(ready_round, api):
    officer = api("lead.procurement")
    tender = officer.post(f"/api/initiatives/{ready_round.initiative.pk}/tender/", tender_body(), format="json").data
    answer = officer.patch(f"/api/tenders/{tender['id']}/", {
        "standstill_days": 20, "award_criteria": [{"name": "Price", "weight": 100, "is_price": True}]}, format="json")
    assert answer.status_code == 200, answer.data
    assert answer.data["standstill_days"] == 20
    assert [c["weight"] for c in answer.data["award_criteria"]] == [100]


def test_the_schema_documents_the_tendering_endpoints(ready_round, api):
    answer = api("lead.procurement").get("/api/schema/", {"format": "json"})
    assert answer.status_code == 200
    paths = answer.json()["paths"] if hasattr(answer, "json") else answer.data["paths"]
    for wanted in ("/api/suppliers/", "/api/initiatives/{id}/tender/", "/api/tenders/{id}/",
                   "/api/tenders/{id}/bids/", "/api/tenders/{id}/ranking/", "/api/tenders/{id}/transitions/award/",
                   "/api/contracts/"):
        assert wanted in paths, wanted
