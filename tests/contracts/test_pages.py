"""The contracts' pages: the framework page with its consumption and the call-off form, the call-off page and
its transitions, the shared-hire page with the key and the statements; who sees what (404 for others)."""

from datetime import date

import pytest

from contracts import services
from contracts.models import AllocationKey, CallOff, CallOffState, SharedHire

from .helpers import framework_agreement, shared_hire


@pytest.fixture
def agreement(fixed_round, clock):
    return framework_agreement(fixed_round, clock)


def page(client, user, url: str, **kwargs):
    client.force_login(user)
    return client.get(url, **kwargs)


def test_the_framework_page(client, fixed_round, agreement):
    r = fixed_round
    url = f"/contracts/{agreement.pk}/"
    lead = page(client, r.lead_people.procurement, url)
    assert lead.status_code == 200
    html = lead.content.decode()
    assert "Framework agreement: Laptops 2027, lot 1" in html and "13.350,00 €" in html
    assert "Wetteren" in html and "Laarne" in html and "Terminate the contract" in html and "Renew" in html
    assert "New call-off" not in html  # the lead is no beneficiary
    own = page(client, r.laarne_people.ict, url).content.decode()
    assert "New call-off" in own and "3.600,00 €" in own and "9.750,00 €" not in own  # Laarne's rows only
    assert "Terminate the contract" not in own
    assert page(client, r.outsider_people.procurement, url).status_code == 404
    # The tender page links to it.
    tender = page(client, r.wetteren_people.ict, f"/tenders/{agreement.tender_id}/").content.decode()
    assert f'href="/contracts/{agreement.pk}/"' in tender


def test_a_call_off_through_the_pages(client, fixed_round, agreement):
    r = fixed_round
    client.force_login(r.wetteren_people.ict)
    answer = client.post(f"/contracts/{agreement.pk}/call-offs/new/", {
        "organisation": r.wetteren.pk, f"qty_{r.laptop.pk}": "2", f"qty_{r.dock.pk}": "", "delivery_address": ""})
    call_off = CallOff.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/call-offs/{call_off.pk}/"
    detail = client.get(f"/call-offs/{call_off.pk}/").content.decode()
    assert "Call-off 1 of Wetteren" in detail and "1.800,00 €" in detail and "Order form (PDF)" not in detail
    assert client.get(f"/call-offs/{call_off.pk}/do/order/").status_code == 200
    assert client.post(f"/call-offs/{call_off.pk}/do/order/", {"delivery_address": "", "delivery_date": ""}
                       ).status_code == 302
    assert CallOff.objects.get().state == CallOffState.ORDERED
    detail = client.get(f"/call-offs/{call_off.pk}/").content.decode()
    assert "9.750,00 € → 7.950,00 €" in detail and "Order form (PDF)" in detail
    form = client.get(f"/call-offs/{call_off.pk}/do/deliver/").content.decode()
    assert f'name="qty_{r.laptop.pk}"' in form
    refused = client.post(f"/call-offs/{call_off.pk}/do/deliver/", {f"qty_{r.laptop.pk}": "5"})
    assert refused.status_code == 400 and "Only 2 of Laptop 14 inch are still to be delivered." in refused.content.decode()
    assert client.post(f"/call-offs/{call_off.pk}/do/deliver/", {f"qty_{r.laptop.pk}": "1"}).status_code == 302
    assert client.post(f"/call-offs/{call_off.pk}/do/close/").status_code == 302
    assert CallOff.objects.get().state == CallOffState.CLOSED
    # Someone else's call-off is a 404; the lead's procurement officer reads it but cannot act.
    assert page(client, r.laarne_people.ict, f"/call-offs/{call_off.pk}/").status_code == 404
    assert page(client, r.laarne_people.ict, f"/call-offs/{call_off.pk}/do/cancel/").status_code == 404
    assert page(client, r.lead_people.procurement, f"/call-offs/{call_off.pk}/").status_code == 200
    assert page(client, r.lead_people.procurement, f"/call-offs/{call_off.pk}/do/cancel/").status_code == 403


def test_a_refused_order_on_the_page_names_the_ceiling(client, fixed_round, agreement):
    r = fixed_round
    call_off = services.call_off_create(contract=agreement, actor=r.laarne_people.ict, organisation=r.laarne,
                                        lines=[{"item": r.laptop.pk, "quantity": "5"}])
    client.force_login(r.laarne_people.ict)
    answer = client.post(f"/call-offs/{call_off.pk}/do/order/", {}, follow=True)
    assert answer.status_code == 409
    assert "exceeds Laarne&#x27;s maximum for Laptop 14 inch: 0 ordered of 4, 4 remain, this call-off asks 5." in (
        answer.content.decode())


def test_the_call_off_form_reports_errors(client, fixed_round, agreement):
    r = fixed_round
    client.force_login(r.wetteren_people.ict)
    answer = client.post(f"/contracts/{agreement.pk}/call-offs/new/", {"organisation": r.wetteren.pk})
    assert answer.status_code == 400 and "Give at least one line" in answer.content.decode()
    assert not CallOff.objects.exists()


def test_the_shared_hire_page(client, fixed_round, clock):
    r = fixed_round
    contract = shared_hire(r, clock, {"wetteren": "0.5", "laarne": "0.5"}, start=date(2027, 1, 1))
    url = f"/contracts/{contract.pk}/"
    html = page(client, r.wetteren_people.viewer, url, data={"year": "2027"}).content.decode()
    assert "Shared hire: Laptops 2027" in html and "GIS-coördinator" in html
    assert "Version 1, from 01-01-2027" in html and "2027-Q1" in html and "24.657,53 €" in html
    assert "Cost-sharing agreement (PDF)" in html and "New version of the allocation key" not in html
    assert page(client, r.wetteren_people.viewer, f"/contracts/{contract.pk}/cost-model/").status_code == 403
    assert page(client, r.outsider_people.ict, url).status_code == 404

    client.force_login(r.lead_people.procurement)
    assert "New version of the allocation key" in client.get(url).content.decode()
    assert client.get(f"/contracts/{contract.pk}/allocation-key/new/").status_code == 200
    refused = client.post(f"/contracts/{contract.pk}/allocation-key/new/", {
        "valid_from": "2027-04-01", "basis": "fte", f"share_{r.wetteren.pk}": "0,5"})
    assert refused.status_code == 400 and "add up to 0,5" in refused.content.decode()
    answer = client.post(f"/contracts/{contract.pk}/allocation-key/new/", {
        "valid_from": "2027-04-01", "basis": "fte", "reason": "Destelbergen joins", f"share_{r.wetteren.pk}": "0,5",
        f"share_{r.laarne.pk}": "0,25", f"share_{r.lead.pk}": "0,25"})
    assert answer.status_code == 302
    assert AllocationKey.objects.filter(contract=contract).count() == 2
    answer = client.post(f"/contracts/{contract.pk}/cost-model/", {
        "title": "GIS-coördinator", "annual_salary_cost": "80.000,00", "operating_costs": "4000", "overhead_percentage":
        "5", "subsidies": "0", "indexation_percentage": "2", "base_year": "2027", "notice_months": "6"})
    assert answer.status_code == 302
    assert SharedHire.objects.get(contract=contract).annual_salary_cost == 80000
    html = client.get(url, {"year": "2028"}).content.decode()
    assert "Cost statements 2028" in html and "Destelbergen" in html


def test_terminate_through_the_page(client, fixed_round, agreement):
    r = fixed_round
    client.force_login(r.wetteren_people.procurement)
    assert client.get(f"/contracts/{agreement.pk}/do/terminate/").status_code == 403
    client.force_login(r.lead_people.procurement)
    assert client.post(f"/contracts/{agreement.pk}/do/terminate/", {"reason": ""}).status_code == 400
    assert client.post(f"/contracts/{agreement.pk}/do/renew/", {"months": ""}).status_code == 302
    assert client.post(f"/contracts/{agreement.pk}/do/terminate/", {"reason": "Bankrupt"}).status_code == 302
    agreement.refresh_from_db()
    assert (agreement.state, agreement.renewals_used) == ("terminated", 1)
    assert client.get(f"/contracts/{agreement.pk}/do/whatever/").status_code == 404


def test_the_admin_shows_everything_read_only(client, fixed_round, agreement, django_user_model):
    r = fixed_round
    call_off = services.call_off_create(contract=agreement, actor=r.wetteren_people.ict, organisation=r.wetteren,
                                        lines=[{"item": r.laptop.pk, "quantity": "1"}])
    admin = django_user_model.objects.create_superuser("root", "root@example.be", "x")
    client.force_login(admin)
    for url in ("/admin/contracts/contract/", f"/admin/contracts/contract/{agreement.pk}/change/",
                "/admin/contracts/calloff/", f"/admin/contracts/calloff/{call_off.pk}/change/",
                "/admin/contracts/sharedhire/", "/admin/contracts/allocationkey/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/contracts/calloff/add/").status_code == 403
