"""The lead officer's task list on the initiative page and the one next step on the dashboard: every stage from
pooling to the contracts is reached by clicking, and only the lead's procurement officers see the list and the
process chart."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from procurement import services
from tendering import services as tendering
from tendering.models import Supplier
from tests.factories import kbo
from tests.tendering.helpers import Clock, create_tender, make_ready, prices, ready_demand, scores


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


def page(client, user, initiative) -> str:
    client.force_login(user)
    response = client.get(reverse("initiative-detail", args=[initiative.pk]))
    assert response.status_code == 200
    return response.content.decode()


def current(html: str) -> tuple[str, str]:
    """(stage title, URL of its action) of the stage marked "to do now"."""
    match = re.search(r'<li class="task task-current">\s*<span class="task-name"><a href="([^"]+)">([^<]+)</a>', html)
    assert match, "no current stage with an action"
    return match.group(2), match.group(1)


def dashboard_next(client, user) -> str:
    client.force_login(user)
    html = client.get(reverse("dashboard")).content.decode()
    match = re.search(r'data-label="Next step"><a class="button small" href="([^"]+)">([^<]+)</a>', html)
    assert match, "no next step on the dashboard"
    return match.group(1)


def test_every_stage_is_reached_by_clicking(client, round_, clock):
    officer = round_.lead_people.procurement
    initiative = round_.initiative
    html = page(client, officer, initiative)
    assert current(html) == ("Demand pooling", reverse("initiative-transition", args=[initiative.pk, "close_pooling"]))
    assert "Where the initiative stands" in html  # the process chart, for the officer

    make_ready(round_, ready_demand(round_))
    title, url = current(page(client, officer, initiative))
    assert (title, url) == ("Tender set-up", reverse("tender-create", args=[initiative.pk]))
    assert dashboard_next(client, officer) == url

    clock.set(timezone.now())
    tender = create_tender(round_)
    assert current(page(client, officer, initiative)) == (
        "Publication", reverse("tender-transition", args=[tender.pk, "publish"]))

    tendering.tender_publish(tender=tender, actor=officer, publication_reference="BE-2026-1")
    assert current(page(client, officer, initiative)) == (
        "Bids", reverse("tender-detail", args=[tender.pk]) + "#bids-title")
    supplier = Supplier.objects.create(name="Bechtle", enterprise_number=kbo(901))
    for lot, unit_prices in ((1, ("850.00", "170.00")), (2, ("199.99",))):
        tendering.bid_submit(tender=tender, actor=officer, lot=initiative.lots.get(number=lot), supplier=supplier,
                            unit_prices=prices(round_, lot, *unit_prices), quality_scores=scores(tender, quality=25, service=8))

    clock.set(tender.bid_deadline + timedelta(minutes=1))
    assert current(page(client, officer, initiative)) == (
        "Bids", reverse("tender-transition", args=[tender.pk, "close_bids"]))
    tendering.tender_close_bids(tender=tender, actor=officer)
    assert current(page(client, officer, initiative)) == (
        "Evaluation", reverse("tender-transition", args=[tender.pk, "evaluate"]))
    tendering.tender_evaluate(tender=tender, actor=officer)
    assert current(page(client, officer, initiative)) == ("Award", reverse("tender-award", args=[tender.pk]))

    bids = {bid.lot.number: bid for bid in tender.bids.all()}
    tendering.tender_award(tender=tender, actor=officer, awards=[{"lot": b.lot_id, "bid": b.pk} for b in bids.values()])
    tender.refresh_from_db()
    assert current(page(client, officer, initiative))[0] == "Standstill period"

    clock.set(tender.standstill_ends + timedelta(minutes=1))
    assert current(page(client, officer, initiative)) == (
        "Conclusion of the contracts", reverse("tender-transition", args=[tender.pk, "conclude"]))
    tendering.tender_conclude(tender=tender, actor=officer)
    html = page(client, officer, initiative)
    title, url = current(html)
    assert title == "Contract management"
    assert url == reverse("tender-detail", args=[tender.pk]) + "#contracts-title"  # a contract per lot
    closing = reverse("initiative-transition", args=[initiative.pk, "close"])
    assert f'href="{closing}">Close the initiative</a>' in html
    assert html.count('class="task task-done"') == 10


def test_participants_see_no_task_list_and_no_process_chart(client, round_):
    html = page(client, round_.wetteren_people.ict, round_.initiative)
    assert "Steps of this initiative" not in html
    assert "Where the initiative stands" not in html
    html = page(client, round_.wetteren_people.alderman, round_.initiative)
    assert "Steps of this initiative" not in html and "Where the initiative stands" not in html


def test_participants_reach_the_tender_and_their_contracts_from_the_initiative(client, round_, clock):
    make_ready(round_, ready_demand(round_))
    clock.set(timezone.now())
    tender = create_tender(round_)
    link = reverse("tender-detail", args=[tender.pk])
    assert link in page(client, round_.wetteren_people.ict, round_.initiative)
    assert link in page(client, round_.laarne_people.alderman, round_.initiative)


def test_the_dashboard_says_the_next_step_in_dutch(client, round_):
    officer = round_.lead_people.procurement
    client.force_login(officer)
    with override("nl"):
        html = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    link = reverse("initiative-transition", args=[round_.initiative.pk, "close_pooling"])
    assert f'<a class="button small" href="{link}">Bundeling afsluiten</a>' in html


def test_closing_pooling_and_confirming_say_who_drops_out_and_the_value(client, round_):
    """Wetteren submitted 10 laptops (9.000,00 €) and Laarne has a draft of 2 screens (420,00 €)."""
    wetteren, laarne = round_.wetteren_people.ict, round_.laarne_people.ict
    initiative = round_.initiative
    w = services.participation_join(initiative=initiative, actor=wetteren, organisation=round_.wetteren)
    services.demand_set(participation=w, actor=wetteren, lines=[{"item": round_.laptop.pk, "quantity": "10"}])
    services.participation_submit(participation=w, actor=wetteren)
    a = services.participation_join(initiative=initiative, actor=laarne, organisation=round_.laarne)
    services.demand_set(participation=a, actor=laarne, lines=[{"item": round_.monitor.pk, "quantity": "2"}])
    officer = round_.lead_people.procurement
    client.force_login(officer)
    html = client.get(reverse("initiative-transition", args=[initiative.pk, "close_pooling"])).content.decode()
    assert "1 participation is still a draft (420,00 €)" in html and "<strong>Laarne</strong>: 420,00 €" in html
    assert "1 participation awaits the alderman's decision (9.000,00 €)" in html
    assert "0 approved participations take part (0,00 €)." in html

    services.initiative_close_pooling(initiative=initiative, actor=officer)
    html = client.get(reverse("initiative-transition", args=[initiative.pk, "confirm_participants"])).content.decode()
    assert "2 participations drop out (9.420,00 €)" in html
    assert "<strong>Wetteren</strong>: 9.000,00 €" in html and "no decision yet" in html
    assert "<strong>Laarne</strong>: 420,00 €" in html and "never submitted" in html
