"""Minimum time limits for the receipt of bids, as data per procedure, publication level and reduction
(migration 0007): a bid deadline too early is refused by the tender service (so by the API and the page)
with the minimum and its source, and nothing changes; the reductions the law allows need a reason."""

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import InvalidInput
from procurement.models import BidTimeLimit, Initiative, InitiativeState, Item
from tendering import services
from tendering.models import Tender, TenderState

from .helpers import CRITERIA, create_tender, make_ready

SEED = importlib.import_module("procurement.migrations.0007_seed_bid_time_limits")
EU_SOURCE = "art. 36 §1 Wet 17 juni 2016 inzake overheidsopdrachten; art. 27(1) Directive 2014/24/EU"
BE_SOURCE = "KB plaatsing 18 april 2017: open procedure, Belgian publication only"
UNCONFIRMED = " (This minimum is not confirmed yet: check it in the act.)"


def ready_at(round_, value: str):
    Item.objects.filter(pk=round_.laptop.pk).update(estimated_unit_price=Decimal(value))
    return make_ready(round_, {"wetteren": [{"item": round_.laptop.pk, "quantity": "1"}]})


def refusal(days: int, minimum: int, source: str, confirmed: bool = True) -> str:
    today = timezone.localdate()
    return (f"The bid deadline leaves {days} days after the publication on {today:%d-%m-%Y}; this procedure and "
            f"publication need at least {minimum} calendar days ({source}). Set the bid deadline on "
            f"{today + timedelta(days=minimum):%d-%m-%Y} or later." + ("" if confirmed else UNCONFIRMED))


@pytest.mark.django_db
def test_the_migration_seeded_the_time_limits_with_their_sources():
    rows = {(r.procedure, r.publication, r.reduction): r for r in BidTimeLimit.objects.all()}
    assert {k: (r.days, r.is_confirmed) for k, r in rows.items()} == {
        ("open", "european", "none"): (35, True), ("open", "european", "electronic_submission"): (30, False),
        ("open", "european", "prior_information_notice"): (15, False), ("open", "european", "urgency"): (15, False),
        ("open", "belgian", "none"): (22, False)}
    assert all(r.source for r in rows.values()) and len(SEED.ROWS) == len(rows)


# value → (publication, minimum, source, confirmed); the deadline is tried a day short and exactly at it
CASES = [("216000.00", "european", 35, EU_SOURCE, True), ("140000.00", "belgian", 22, BE_SOURCE, False)]


@pytest.mark.parametrize(("value", "publication", "minimum", "source", "confirmed"), CASES)
def test_a_bid_period_shorter_than_the_minimum_is_refused(round_, value, publication, minimum, source, confirmed):
    ready_at(round_, value)
    with pytest.raises(InvalidInput) as refused:
        create_tender(round_, deadline_days=minimum - 1)
    assert refused.value.errors == {"bid_deadline": [refusal(minimum - 1, minimum, source, confirmed)]}
    assert not Tender.objects.exists()
    assert Initiative.objects.get(pk=round_.initiative.pk).state == InitiativeState.READY
    tender = create_tender(round_, deadline_days=minimum)
    assert (tender.procedure, tender.publication) == ("open", publication)


def test_the_issue_case_two_days_for_an_open_procedure(round_):
    ready_at(round_, "216000.00")
    with pytest.raises(InvalidInput) as refused:
        create_tender(round_, deadline_days=2)
    assert "at least 35 calendar days (art. 36 §1" in refused.value.errors["bid_deadline"][0]


def test_without_publication_there_is_no_legal_minimum(round_):
    ready_at(round_, "30000.00")  # negotiated procedure without prior publication
    assert create_tender(round_, deadline_days=3).procedure == "negotiated_without_publication"


def test_a_reduction_needs_its_reason_and_allows_the_shorter_minimum(round_):
    ready_at(round_, "216000.00")
    with pytest.raises(InvalidInput) as refused:
        create_tender(round_, deadline_days=15, bid_period_reduction="urgency")
    assert refused.value.errors == {"bid_period_reduction_reason": ["Give the reason that allows the shorter bid period."]}
    with pytest.raises(InvalidInput) as refused:
        create_tender(round_, deadline_days=14, bid_period_reduction="urgency", bid_period_reduction_reason="Storm")
    assert refused.value.errors["bid_deadline"][0].startswith("The bid deadline leaves 14 days")
    assert refused.value.errors["bid_deadline"][0].endswith(UNCONFIRMED)
    tender = create_tender(round_, deadline_days=15, bid_period_reduction="urgency",
                           bid_period_reduction_reason="Storm damage to the servers")
    assert (tender.bid_period_reduction, tender.bid_period_reduction_reason) == ("urgency", "Storm damage to the servers")


def test_a_reduction_the_law_does_not_give_is_refused(round_):
    ready_at(round_, "140000.00")  # Belgian publication: no reduced row
    with pytest.raises(InvalidInput) as refused:
        create_tender(round_, deadline_days=30, bid_period_reduction="urgency", bid_period_reduction_reason="x")
    assert refused.value.errors == {"bid_period_reduction": [
        "The law allows no shorter bid period (duly substantiated urgency) for this procedure and publication; "
        "choose no reduction."]}


def test_publishing_later_checks_the_period_again_and_changes_nothing(round_, monkeypatch):
    ready_at(round_, "216000.00")
    tender = create_tender(round_, deadline_days=36)
    later = timezone.now() + timedelta(days=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with pytest.raises(InvalidInput) as refused:
        services.tender_publish(tender=tender, actor=round_.lead_people.procurement, publication_reference="TED-1")
    assert "leaves 31 days" in refused.value.errors["bid_deadline"][0]
    tender.refresh_from_db()
    assert (tender.state, tender.publication_reference) == (TenderState.DRAFT, "")


def test_moving_the_deadline_earlier_than_the_minimum_is_refused(round_):
    ready_at(round_, "216000.00")
    tender = create_tender(round_, deadline_days=40)
    before = tender.bid_deadline
    with pytest.raises(InvalidInput) as refused:
        services.tender_update(tender=tender, actor=round_.lead_people.procurement,
                               bid_deadline=timezone.now() + timedelta(days=20))
    assert "at least 35 calendar days" in refused.value.errors["bid_deadline"][0]
    tender.refresh_from_db()
    assert tender.bid_deadline == before


def test_the_api_and_the_page_refuse_with_the_minimum(round_, client):
    ready_at(round_, "216000.00")
    officer = round_.lead_people.procurement
    from rest_framework.test import APIClient
    api = APIClient()
    api.force_authenticate(officer)
    deadline = timezone.now() + timedelta(days=2)
    answer = api.post(f"/api/initiatives/{round_.initiative.pk}/tender/",
                      {"bid_deadline": deadline.isoformat(), "award_criteria": CRITERIA}, format="json")
    assert answer.status_code == 400
    assert answer.json() == {"bid_deadline": [refusal(2, 35, EU_SOURCE)]}
    client.force_login(officer)
    page = client.post(reverse("tender-create", args=[round_.initiative.pk]), {
        "procedure": "", "bid_deadline": timezone.localtime(deadline).strftime("%Y-%m-%dT%H:%M"),
        "standstill_days": "15", "criteria-TOTAL_FORMS": "1", "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "Price", "criteria-0-weight": "100", "criteria-0-is_price": "on"})
    assert page.status_code == 400 and "art. 36 §1 Wet 17 juni 2016" in page.content.decode()
    assert not Tender.objects.exists()
