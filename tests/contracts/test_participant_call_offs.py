"""Every participant of a framework places its own call-offs from its dashboard, within its own maximum; the order
step first shows what is ordered and what remains (check your answers); the lead sees every call-off."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from contracts import services
from contracts.models import CallOff, CallOffState

from .helpers import framework_agreement


@pytest.fixture
def agreement(fixed_round, clock):
    return framework_agreement(fixed_round, clock)


def test_a_participant_reaches_its_framework_from_the_dashboard(client, fixed_round, agreement):
    r = fixed_round
    client.force_login(r.laarne_people.ict)
    html = client.get(reverse("dashboard")).content.decode()
    link = reverse("contract-detail", args=[agreement.pk]) + "#call-off-title"
    assert f'<a class="button small" href="{link}">Place a call-off for Laarne</a>' in html
    assert "3.600,00 €" in html  # Laarne's maximum: 4 laptops × 900
    page = client.get(reverse("contract-detail", args=[agreement.pk])).content.decode()
    assert 'name="organisation"' in page and f'value="{r.laarne.pk}"' in page  # orders for its own organisation
    # Who cannot order under it sees no such row (the lead is no beneficiary; an outsider has nothing).
    client.force_login(r.outsider_people.ict)
    assert "Place a call-off" not in client.get(reverse("dashboard")).content.decode()


def order_page(client, r, agreement, laptops: str):
    """Laarne prepares a call-off of ``laptops`` and opens its order step."""
    call_off = services.call_off_create(contract=agreement, actor=r.laarne_people.ict, organisation=r.laarne,
                                        lines=[{"item": r.laptop.pk, "quantity": laptops}])
    client.force_login(r.laarne_people.ict)
    return call_off, client.get(reverse("call-off-transition", args=[call_off.pk, "order"])).content.decode()


def test_the_order_step_shows_the_order_and_what_remains(client, fixed_round, agreement):
    r = fixed_round
    call_off, html = order_page(client, r, agreement, "3")
    assert "Check your order" in html
    assert "2.700,00 €" in html  # 3 × 900
    assert "What remains of the maximum of Laarne: 3.600,00 € now, 900,00 € after this order." in html
    assert "does not fit" not in html
    assert client.post(reverse("call-off-transition", args=[call_off.pk, "order"]), {}).status_code == 302
    assert CallOff.objects.get(pk=call_off.pk).state == CallOffState.ORDERED


def test_an_order_above_the_maximum_is_announced_and_refused(client, fixed_round, agreement):
    r = fixed_round
    call_off, html = order_page(client, r, agreement, "5")
    assert "This order does not fit within the maximum: it will be refused." in html and "too many" in html
    before = AuditEntry.objects.count()
    answer = client.post(reverse("call-off-transition", args=[call_off.pk, "order"]), {})
    assert answer.status_code == 409
    assert "exceeds Laarne&#x27;s maximum for Laptop 14 inch" in answer.content.decode()
    assert CallOff.objects.get(pk=call_off.pk).state == CallOffState.DRAFT
    assert AuditEntry.objects.count() == before


def test_the_lead_sees_every_participants_call_offs(client, fixed_round, agreement):
    r = fixed_round
    for people, organisation in ((r.laarne_people, r.laarne), (r.wetteren_people, r.wetteren)):
        services.call_off_create(contract=agreement, actor=people.ict, organisation=organisation,
                                 lines=[{"item": r.laptop.pk, "quantity": "1"}])
    client.force_login(r.lead_people.procurement)
    html = client.get(reverse("contract-detail", args=[agreement.pk])).content.decode()
    calls = html.split('id="call-offs-title"')[1]
    assert "Laarne" in calls and "Wetteren" in calls
    client.force_login(r.laarne_people.ict)
    calls = client.get(reverse("contract-detail", args=[agreement.pk])).content.decode().split('id="call-offs-title"')[1]
    assert "Laarne" in calls and "Wetteren" not in calls


def test_the_contracts_list_searches_and_filters(client, fixed_round, agreement):
    r = fixed_round
    client.force_login(r.laarne_people.ict)
    url = reverse("contract-list")
    link = reverse("contract-detail", args=[agreement.pk])
    assert link in client.get(url).content.decode()  # a beneficiary sees the agreement
    assert link in client.get(url, {"q": "laptops", "kind": "framework_agreement", "state": "active"}).content.decode()
    assert link not in client.get(url, {"state": "terminated"}).content.decode()
    assert link not in client.get(url, {"q": "printers"}).content.decode()
    assert client.get(url, {"kind": "bogus", "sort": "x"}).status_code == 200
    client.force_login(r.outsider_people.ict)
    assert link not in client.get(url).content.decode()  # someone else's contracts are not listed
