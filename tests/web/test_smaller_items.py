"""The "smaller" items of issue 17: money in flash messages, no countdown after pooling closed, no bid entry after
the bid deadline, the audit trail says whom an entry concerns, the header names organisation and role, NL | EN."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from procurement import services
from tendering import services as tendering
from tendering.models import Supplier
from tests.factories import kbo
from tests.tendering.helpers import Clock, create_tender, make_ready, ready_demand, scores


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def tender(round_, clock):
    make_ready(round_, ready_demand(round_))
    clock.set(timezone.now())
    tender = create_tender(round_)
    tendering.tender_publish(tender=tender, actor=round_.lead_people.procurement, publication_reference="BE-1")
    return tender


def test_a_recorded_bid_is_announced_in_belgian_money(client, round_, tender):
    supplier = Supplier.objects.create(name="Bechtle", enterprise_number=kbo(901))
    client.force_login(round_.lead_people.procurement)
    lot = round_.initiative.lots.get(number=1)
    data = {"supplier": supplier.pk, "regular": "on", f"price_{round_.laptop.pk}": "850,00",
            f"price_{round_.dock.pk}": "170"}
    data.update({f"score_{s['criterion']}": s["score"] for s in scores(tender, quality=25, service=8)})
    response = client.post(reverse("tender-bid-create", args=[tender.pk, lot.pk]), data, follow=True)
    assert "Bid of Bechtle recorded: 63.750,00 € excl. VAT." in response.content.decode()  # 65 × 850 + 50 × 170


def test_no_bid_entry_is_offered_after_the_bid_deadline(client, round_, tender, clock):
    client.force_login(round_.lead_people.procurement)
    url = reverse("tender-detail", args=[tender.pk])
    new_bid = reverse("tender-bid-create", args=[tender.pk, round_.initiative.lots.get(number=1).pk])
    assert new_bid in client.get(url).content.decode()
    clock.set(tender.bid_deadline + timedelta(minutes=1))
    assert new_bid not in client.get(url).content.decode()


def test_no_countdown_once_pooling_is_closed(client, round_):
    client.force_login(round_.lead_people.procurement)
    url = reverse("initiative-detail", args=[round_.initiative.pk])
    assert "days left" in client.get(url).content.decode() or "left)" in client.get(url).content.decode()
    services.initiative_close_pooling(initiative=round_.initiative, actor=round_.lead_people.procurement)
    html = client.get(url).content.decode()
    demand = html.split("Demand deadline</dt><dd>")[1].split("</dd>")[0]
    assert "(" not in demand  # the date only, no "(… left)"


def test_the_trail_says_whom_an_entry_concerns_and_the_header_who_is_signed_in(client, round_):
    ict = round_.wetteren_people.ict
    p = services.participation_join(initiative=round_.initiative, actor=ict, organisation=round_.wetteren)
    client.force_login(round_.lead_people.procurement)
    html = client.get(reverse("participation-detail", args=[p.pk])).content.decode()
    assert "for Wetteren" in html and "(Wetteren)" not in html
    assert "Procurement officer: Destelbergen" in html
    assert 'name="language" value="nl"' in html and 'name="language" value="en"' in html


def test_the_initiatives_list_searches_filters_and_sorts(client, round_):
    from tests import factories as f

    other = f.InitiativeFactory(lead_organisation=round_.wetteren, circles=[round_.circle], title="Printers 2027",
                                kind="framework_contract")
    client.force_login(round_.laarne_people.ict)
    url = reverse("initiative-list")

    def titles(**query) -> list[str]:
        html = client.get(url, query).content.decode()
        found = [t for t in ("Laptops 2027", "Printers 2027") if f">{t}</a>" in html]
        return sorted(found, key=lambda t: html.index(f">{t}</a>"))  # in the page's order

    assert titles() == ["Printers 2027", "Laptops 2027"]  # newest first
    assert titles(q="printer") == ["Printers 2027"]
    assert titles(kind="framework_contract") == ["Printers 2027"]
    assert titles(lead=str(round_.lead.pk)) == ["Laptops 2027"]
    assert titles(state="pooling") == ["Laptops 2027"]
    assert titles(circle=str(round_.circle.pk), sort="title") == ["Laptops 2027", "Printers 2027"]
    assert titles(sort="state") == ["Printers 2027", "Laptops 2027"]  # draft before pooling
    # Nonsense is ignored, not an error page.
    assert client.get(url, {"state": "bogus", "sort": "x", "circle": "abc"}).status_code == 200
    assert other.pk
