"""Only the lead organisation's procurement officers act on a tender; participants read it; anyone else
gets a 404. Every refusal changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.errors import NotAllowed
from tendering import rules
from tendering import services as tender_services
from tendering.models import Supplier
from tests import factories as f

from .helpers import create_tender, make_ready, prices, scores


def client_of(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def only_wetteren(round_):
    """Wetteren takes part; Laarne is in the circle but did not join; Roeselare is outside."""
    make_ready(round_, {"wetteren": [{"item": round_.laptop.pk, "quantity": "40"},
                                     {"item": round_.dock.pk, "quantity": "40"},
                                     {"item": round_.monitor.pk, "quantity": "12"}]})
    return round_


def people(round_):
    return {
        "lead.procurement": round_.lead_people.procurement,
        "lead.ict": round_.lead_people.ict,
        "lead.viewer": round_.lead_people.viewer,
        "wetteren.procurement": round_.wetteren_people.procurement,
        "wetteren.alderman": round_.wetteren_people.alderman,
        "wetteren.ict": round_.wetteren_people.ict,
        "laarne.procurement": round_.laarne_people.procurement,
        "outsider.procurement": round_.outsider_people.procurement,
    }


READERS = {"lead.procurement", "lead.ict", "lead.viewer", "wetteren.procurement", "wetteren.alderman", "wetteren.ict"}


def test_who_sees_the_tender(only_wetteren):
    tender = create_tender(only_wetteren)
    for who, user in people(only_wetteren).items():
        answer = client_of(user).get(f"/api/tenders/{tender.pk}/")
        assert answer.status_code == (200 if who in READERS else 404), who
        assert rules.may_see_tender(user, tender) == (who in READERS), who
        if who in READERS:
            expected = ["publish", "cancel"] if who == "lead.procurement" else []
            assert answer.data["available_transitions"] == expected, who


def test_only_the_leads_procurement_officers_act(only_wetteren, unchanged):
    round_ = only_wetteren
    tender = create_tender(round_)
    for who, user in people(round_).items():
        if who == "lead.procurement":
            continue
        with unchanged(tender, round_.initiative):
            answer = client_of(user).post(f"/api/tenders/{tender.pk}/transitions/publish/",
                                          {"publication_reference": "BE-1"}, format="json")
            assert answer.status_code == (403 if who in READERS else 404), who
            answer = client_of(user).post(f"/api/tenders/{tender.pk}/transitions/cancel/", {"reason": "x"},
                                          format="json")
            assert answer.status_code == (403 if who in READERS else 404), who
            with pytest.raises(NotAllowed):
                tender_services.tender_publish(tender=tender, actor=user, publication_reference="BE-1")


def test_only_the_leads_procurement_officers_create_the_tender(only_wetteren, unchanged):
    round_ = only_wetteren
    body = {"bid_deadline": (timezone.now() + timedelta(days=9)).isoformat(),
            "award_criteria": [{"name": "Price", "weight": 100, "is_price": True}]}
    for who, user in people(round_).items():
        if who == "lead.procurement":
            continue
        with unchanged(round_.initiative):
            answer = client_of(user).post(f"/api/initiatives/{round_.initiative.pk}/tender/", body, format="json")
        # The initiative is visible to the circle's members (403) but not to an outsider (404).
        assert answer.status_code == (404 if who == "outsider.procurement" else 403), who


def test_bids_are_confidential_until_the_evaluation(only_wetteren, clock, unchanged):
    round_ = only_wetteren
    officer = round_.lead_people.procurement
    clock.set(timezone.now())
    tender = create_tender(round_)
    tender_services.tender_publish(tender=tender, actor=officer, publication_reference="BE-1")
    supplier = Supplier.objects.create(name="Bechtle", enterprise_number=f.kbo(5))
    lot2 = round_.initiative.lots.get(number=2)
    body = {"supplier": supplier.pk, "lot": lot2.pk, "unit_prices": prices(round_, 2, "200"),
            "quality_scores": scores(tender, quality=20, service=5)}
    participant = client_of(round_.wetteren_people.procurement)
    with unchanged(tender):
        assert participant.post(f"/api/tenders/{tender.pk}/bids/", body, format="json").status_code == 403
    bid = client_of(officer).post(f"/api/tenders/{tender.pk}/bids/", body, format="json").data["id"]
    with unchanged(tender):
        assert participant.patch(f"/api/bids/{bid}/", {"regular": False, "irregular_reason": "x"},
                                 format="json").status_code == 403
    assert participant.get(f"/api/tenders/{tender.pk}/ranking/").status_code == 403
    assert participant.get(f"/api/tenders/{tender.pk}/bids/").status_code == 403
    assert participant.get(f"/api/bids/{bid}/").status_code == 403
    outsider = client_of(round_.outsider_people.procurement)
    assert outsider.get(f"/api/tenders/{tender.pk}/ranking/").status_code == 404
    assert outsider.get(f"/api/bids/{bid}/").status_code == 404

    clock.set(tender.bid_deadline + timedelta(seconds=1))
    tender_services.tender_close_bids(tender=tender, actor=officer)
    tender_services.tender_evaluate(tender=tender, actor=officer)
    assert participant.get(f"/api/tenders/{tender.pk}/ranking/").status_code == 200
    assert participant.get(f"/api/tenders/{tender.pk}/bids/").data["count"] == 1
    assert outsider.get(f"/api/tenders/{tender.pk}/ranking/").status_code == 404


def test_suppliers_are_a_shared_register(only_wetteren):
    Supplier.objects.create(name="Bechtle", enterprise_number=f.kbo(5))
    for who, user in people(only_wetteren).items():
        assert client_of(user).get("/api/suppliers/").data["count"] == 1, who
    answer = client_of(only_wetteren.wetteren_people.ict).post(
        "/api/suppliers/", {"name": "X", "enterprise_number": f.kbo(6)}, format="json")
    assert answer.status_code == 403
    answer = client_of(only_wetteren.outsider_people.procurement).post(
        "/api/suppliers/", {"name": "X", "enterprise_number": f.kbo(6)}, format="json")
    assert answer.status_code == 201
    assert APIClient().get("/api/suppliers/").status_code == 401
