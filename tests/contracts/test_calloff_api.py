"""The call-off API (API.md "Contracts, call-offs, shared hires"): create, the transitions, the 409 naming
the ceiling, who sees which call-off (another organisation's is a 404), the contracts list's consumption."""

import pytest

from contracts.models import CallOff

from .helpers import client_of, framework_agreement


@pytest.fixture
def agreement(fixed_round, clock):
    return framework_agreement(fixed_round, clock)


def create(client, agreement, organisation, *lines):
    return client.post(f"/api/contracts/{agreement.pk}/call-offs/",
                       {"organisation": organisation.pk, "lines": [{"item": i, "quantity": q} for i, q in lines]},
                       format="json")


def test_create_order_deliver_close(fixed_round, agreement):
    r = fixed_round
    ict = client_of(r.wetteren_people.ict)
    answer = create(ict, agreement, r.wetteren, (r.laptop.pk, "3"), (r.dock.pk, "1"))
    assert answer.status_code == 201
    body = answer.json()
    assert (body["state"], body["total"], body["number"]) == ("draft", "2850.00", 1)
    assert body["available_transitions"] == ["order", "cancel"]
    assert [(line["item"], line["quantity"], line["unit_price"], line["amount"]) for line in body["lines"]] == [
        (r.laptop.pk, "3.00", "900.00", "2700.00"), (r.dock.pk, "1.00", "150.00", "150.00")]
    url = f"/api/call-offs/{body['id']}"
    ordered = ict.post(f"{url}/transitions/order/", {"delivery_date": "2027-01-15"}, format="json").json()
    assert (ordered["state"], ordered["ordered_on"], ordered["delivery_date"]) == ("ordered", "2026-12-18",
                                                                                   "2027-01-15")
    assert (ordered["participant_remaining_before"], ordered["participant_remaining_after"]) == ("9750.00", "6900.00")
    assert ordered["lines"][0]["remaining_before"] == "10.00" and ordered["lines"][0]["remaining_after"] == "7.00"
    partial = ict.post(f"{url}/transitions/deliver/", {"lines": [{"item": r.laptop.pk, "quantity": "1"}]},
                       format="json")
    assert partial.status_code == 200 and partial.json()["state"] == "delivered"
    assert [line["outstanding"] for line in partial.json()["lines"]] == ["2.00", "1.00"]
    assert partial.json()["deliveries"][0]["lines"] == [{"item": r.laptop.pk, "quantity": "1.00"}]
    too_much = ict.post(f"{url}/transitions/deliver/", {"lines": [{"item": r.dock.pk, "quantity": "2"}]},
                        format="json")
    assert too_much.status_code == 400
    assert too_much.json() == {"lines": [{"quantity": ["Only 1 of Docking station USB-C are still to be delivered."]}]}
    assert ict.post(f"{url}/transitions/close/").json()["state"] == "closed"
    assert ict.post(f"{url}/transitions/nonsense/").status_code == 404
    contracts = client_of(r.wetteren_people.viewer).get(f"/api/contracts/?initiative={r.initiative.pk}").json()
    [listed] = contracts["results"]
    # Closed after delivering one laptop: the rest (2 laptops, 1 dock = 1 950,00 €) went back to the ceilings.
    assert (listed["consumed"], listed["remaining"]) == ("900.00", "12450.00")
    assert listed["beneficiaries"][1] == {"organisation": r.wetteren.pk, "organisation_name": "Wetteren",
                                          "maximum": "9750.00", "consumed": "900.00", "remaining": "8850.00"}


def test_an_order_beyond_a_ceiling_is_409_naming_it(fixed_round, agreement):
    r = fixed_round
    ict = client_of(r.wetteren_people.ict)
    first = create(ict, agreement, r.wetteren, (r.laptop.pk, "3")).json()
    ict.post(f"/api/call-offs/{first['id']}/transitions/order/")
    second = create(ict, agreement, r.wetteren, (r.laptop.pk, "8")).json()
    answer = ict.post(f"/api/call-offs/{second['id']}/transitions/order/")
    assert answer.status_code == 409
    assert answer.json() == {
        "detail": "This call-off exceeds Wetteren's maximum for Laptop 14 inch: 3 ordered of 10, 7 remain, this "
                  "call-off asks 8.", "code": "item_maximum_exceeded"}
    assert ict.get(f"/api/call-offs/{second['id']}/").json()["state"] == "draft"


def test_input_errors_by_position_and_refusals(fixed_round, agreement):
    r = fixed_round
    ict = client_of(r.wetteren_people.ict)
    answer = create(ict, agreement, r.wetteren, (r.laptop.pk, "2"), (r.monitor.pk, "1"))
    assert answer.status_code == 400
    assert answer.json() == {"lines": [{}, {"item": [f"Item {r.monitor.pk} is not part of this lot."]}]}
    assert create(ict, agreement, r.wetteren).status_code == 400  # no lines
    assert create(ict, agreement, r.laarne, (r.laptop.pk, "1")).status_code == 403  # not Laarne's ICT
    lead = client_of(r.lead_people.procurement)
    refused = create(lead, agreement, r.lead, (r.laptop.pk, "1"))
    assert refused.status_code == 409 and refused.json()["code"] == "not_a_beneficiary"
    outsider = client_of(r.outsider_people.ict)
    assert create(outsider, agreement, r.outsider, (r.laptop.pk, "1")).status_code == 404
    assert not CallOff.objects.exists()


def test_who_sees_which_call_off(fixed_round, agreement):
    r = fixed_round
    wetteren = create(client_of(r.wetteren_people.ict), agreement, r.wetteren, (r.laptop.pk, "1")).json()
    laarne = create(client_of(r.laarne_people.ict), agreement, r.laarne, (r.laptop.pk, "1")).json()
    for user in (r.laarne_people.ict, r.laarne_people.procurement, r.outsider_people.procurement,
                 r.lead_people.viewer, r.lead_people.ict):
        assert client_of(user).get(f"/api/call-offs/{wetteren['id']}/").status_code == 404, user
        assert client_of(user).post(f"/api/call-offs/{wetteren['id']}/transitions/order/").status_code == 404, user
    for user in (r.wetteren_people.alderman, r.wetteren_people.viewer, r.lead_people.procurement):
        answer = client_of(user).get(f"/api/call-offs/{wetteren['id']}/")
        assert answer.status_code == 200 and answer.json()["available_transitions"] == []
        assert client_of(user).post(f"/api/call-offs/{wetteren['id']}/transitions/order/").status_code == 403
    listing = f"/api/contracts/{agreement.pk}/call-offs/"
    assert [c["id"] for c in client_of(r.lead_people.procurement).get(listing).json()["results"]] == [
        wetteren["id"], laarne["id"]]
    assert [c["id"] for c in client_of(r.laarne_people.ict).get(listing).json()["results"]] == [laarne["id"]]
    assert client_of(r.outsider_people.procurement).get(listing).status_code == 404


def test_terminate_and_renew_over_the_api(fixed_round, agreement):
    r = fixed_round
    officer = client_of(r.lead_people.procurement)
    url = f"/api/contracts/{agreement.pk}"
    assert officer.get(f"{url}/").json()["available_transitions"] == ["terminate"]
    assert client_of(r.wetteren_people.procurement).get(f"{url}/").json()["available_transitions"] == []
    renewed = officer.post(f"{url}/renewals/", {}, format="json").json()
    assert (renewed["period"]["end"], renewed["renewals_used"], renewed["renewals"]) == ("2030-12-17", 1, 1)
    assert officer.post(f"{url}/renewals/", {}, format="json").status_code == 409
    assert officer.post(f"{url}/transitions/terminate/", {}, format="json").status_code == 400
    ended = officer.post(f"{url}/transitions/terminate/", {"reason": "Supplier bankrupt"}, format="json").json()
    assert (ended["state"], ended["terminated_on"], ended["reason"]) == ("terminated", "2026-12-18", "Supplier bankrupt")
    assert officer.post(f"{url}/transitions/expire/", {}, format="json").status_code == 404


def test_the_schema_documents_the_new_endpoints(client, fixed_round):
    client.force_login(fixed_round.lead_people.procurement)
    schema = client.get("/api/schema/?format=json").json()
    for path in ("/api/contracts/{id}/call-offs/", "/api/call-offs/{id}/", "/api/call-offs/{id}/transitions/order/",
                 "/api/call-offs/{id}/transitions/deliver/", "/api/contracts/{id}/cost-statements/",
                 "/api/contracts/{id}/allocation-keys/", "/api/contracts/{id}/consumption.xlsx"):
        assert path in schema["paths"], path
