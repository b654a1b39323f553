"""GET /api/contracts/?initiative=<id>: who sees which contract, and the ceiling of a framework."""

from datetime import date

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from procurement.models import InitiativeKind
from tests.tendering.helpers import make_ready

from .test_conclusion import conclude


def client_of(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_a_framework_agreement_shows_its_ceiling_to_its_beneficiaries(round_, clock):
    make_ready(round_, {"wetteren": [{"item": round_.laptop.pk, "quantity": "10", "max_quantity": "12"}]},
               kind=InitiativeKind.FRAMEWORK_CONTRACT, framework_term_months=24)
    lot2 = round_.initiative.lots.get(number=2)
    conclude(round_, clock, {round_.laptop.pk: "900.00"}, contract_start=date(2027, 1, 1), awards=lambda bids: [
        {"lot": lot, "bid": bid.pk} if lot != lot2.pk else {"lot": lot, "bid": None, "reason": "No budget"}
        for lot, bid in bids.items()])
    url = f"/api/contracts/?initiative={round_.initiative.pk}"
    [agreement] = client_of(round_.wetteren_people.alderman).get(url).data["results"]
    assert {k: agreement[k] for k in ("kind", "organisation", "value", "ceiling", "consumed", "remaining", "period")} == {
        "kind": "framework_agreement", "organisation": None, "value": "10800.00", "ceiling": "10800.00",
        "consumed": "0.00", "remaining": "10800.00", "period": {"start": "2027-01-01", "end": "2028-12-31"}}
    assert agreement["beneficiaries"] == [
        {"organisation": round_.wetteren.pk, "organisation_name": "Wetteren", "maximum": "10800.00",
         "consumed": "0.00", "remaining": "10800.00"}]
    assert client_of(round_.lead_people.viewer).get(url).data["count"] == 1
    assert client_of(round_.laarne_people.procurement).get(url).data["count"] == 0
    outsider = client_of(round_.outsider_people.procurement)
    assert outsider.get(f"/api/contracts/{agreement['id']}/").status_code == 404
    assert client_of(round_.wetteren_people.ict).get(f"/api/contracts/{agreement['id']}/").status_code == 200
