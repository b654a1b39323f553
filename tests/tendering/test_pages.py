"""The tender pages: set-up, bid entry, ranking, award with confirmation, standstill countdown, outcome."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tendering.models import Bid, Tender, TenderState

from .helpers import brussels


@pytest.fixture(autouse=True)
def _static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_officer_runs_the_tender_from_the_pages(ready_round, suppliers, clock):
    round_ = ready_round
    clock.set(brussels(2026, 12, 1, 9, 0))
    officer = client_of(round_.lead_people.procurement)  # sessions last a working day: log in after a clock jump
    url = reverse("tender-create", args=[round_.initiative.pk])
    page = officer.get(url)
    assert page.status_code == 200 and "negotiated procedure without prior publication" in page.content.decode()
    form = {
        "procedure": "", "bid_deadline": "2026-12-15T11:00", "standstill_days": "15",
        "criteria-TOTAL_FORMS": "3", "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "Price", "criteria-0-weight": "70", "criteria-0-is_price": "on",
        "criteria-1-name": "Quality", "criteria-1-weight": "20",
        "criteria-2-name": "", "criteria-2-weight": "",
    }
    page = officer.post(url, form)
    assert page.status_code == 400 and "sum to 90" in page.content.decode()
    assert not Tender.objects.exists()
    page = officer.post(url, {**form, "criteria-1-weight": "30"})
    tender = Tender.objects.get()
    assert page.status_code == 302 and page.url == reverse("tender-detail", args=[tender.pk])
    assert timezone.localtime(tender.bid_deadline).hour == 11

    page = officer.post(reverse("tender-transition", args=[tender.pk, "publish"]), {"publication_reference": ""})
    assert page.status_code == 400
    officer.post(reverse("tender-transition", args=[tender.pk, "publish"]), {"publication_reference": "BE-2026-1"})
    tender.refresh_from_db()
    assert tender.state == TenderState.PUBLISHED

    lot1 = round_.initiative.lots.get(number=1)
    lot2 = round_.initiative.lots.get(number=2)
    quality = tender.criteria.get(name="Quality")
    bid_url = reverse("tender-bid-create", args=[tender.pk, lot1.pk])
    assert "65" in officer.get(bid_url).content.decode()  # the pooled quantity of the laptops
    page = officer.post(bid_url, {"supplier": suppliers[0].pk, f"price_{round_.laptop.pk}": "850,00",
                                  f"price_{round_.dock.pk}": "170", f"score_{quality.pk}": "25", "regular": "on"})
    assert page.status_code == 302, page.content.decode()
    page = officer.post(reverse("tender-bid-create", args=[tender.pk, lot2.pk]), {
        "supplier": suppliers[1].pk, f"price_{round_.monitor.pk}": "199,99", f"score_{quality.pk}": "31",
        "regular": "on"})
    assert page.status_code == 400  # the score is above the weight of 30
    officer.post(reverse("tender-bid-create", args=[tender.pk, lot2.pk]), {
        "supplier": suppliers[1].pk, f"price_{round_.monitor.pk}": "199,99", f"score_{quality.pk}": "30",
        "regular": "on"})
    assert Bid.objects.count() == 2

    clock.set(brussels(2026, 12, 15, 11, 1))
    officer = client_of(round_.lead_people.procurement)
    officer.post(reverse("tender-transition", args=[tender.pk, "close_bids"]))
    officer.post(reverse("tender-transition", args=[tender.pk, "evaluate"]))
    page = officer.get(reverse("tender-ranking", args=[tender.pk]))
    assert "Bechtle" in page.content.decode() and "100.00" in page.content.decode()

    award_url = reverse("tender-award", args=[tender.pk])
    page = officer.get(award_url)
    assert "30-12-2026 11:01" in page.content.decode()  # the standstill end, asked before confirming
    bids = {b.lot_id: b.pk for b in Bid.objects.all()}
    page = officer.post(award_url, {f"lot_{lot1.pk}": bids[lot1.pk], f"lot_{lot2.pk}": bids[lot2.pk]})
    assert page.status_code == 302
    page = officer.get(reverse("tender-detail", args=[tender.pk]))
    assert "Standstill period until 30-12-2026 11:01" in page.content.decode()

    clock.set(brussels(2026, 12, 30, 11, 2))
    officer = client_of(round_.lead_people.procurement)
    officer.post(reverse("tender-transition", args=[tender.pk, "conclude"]), {"contract_start": ""})
    tender.refresh_from_db()
    assert tender.state == TenderState.CONCLUDED
    # A participant reads the outcome and its own contracts only.
    page = client_of(round_.wetteren_people.alderman).get(reverse("tender-detail", args=[tender.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "Contracts" in text and "Wetteren" in text and "Laarne" not in text


def test_pages_refuse_what_the_user_may_not_do(ready_round, suppliers, clock):
    round_ = ready_round
    clock.set(timezone.now())
    officer = client_of(round_.lead_people.procurement)
    officer.post(reverse("tender-create", args=[round_.initiative.pk]), {
        "bid_deadline": timezone.localtime(timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
        "standstill_days": "15", "criteria-TOTAL_FORMS": "1", "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "Price", "criteria-0-weight": "100", "criteria-0-is_price": "on"})
    tender = Tender.objects.get()
    lot1 = round_.initiative.lots.get(number=1)
    participant = client_of(round_.wetteren_people.procurement)
    assert participant.get(reverse("tender-detail", args=[tender.pk])).status_code == 200
    assert participant.get(reverse("tender-bid-create", args=[tender.pk, lot1.pk])).status_code == 403
    assert participant.get(reverse("tender-ranking", args=[tender.pk])).status_code == 403
    assert participant.get(reverse("tender-award", args=[tender.pk])).status_code == 403
    assert participant.post(reverse("tender-transition", args=[tender.pk, "publish"]),
                            {"publication_reference": "X"}).status_code == 403
    tender.refresh_from_db()
    assert tender.state == TenderState.DRAFT
    outsider = client_of(round_.outsider_people.procurement)
    for name in ("tender-detail", "tender-ranking", "tender-award"):
        assert outsider.get(reverse(name, args=[tender.pk])).status_code == 404
    assert officer.get(reverse("tender-transition", args=[tender.pk, "dance"])).status_code == 404
    page = officer.get(reverse("tender-transition", args=[tender.pk, "close_bids"]))
    assert page.status_code == 409  # asked before the deadline: the page says why
