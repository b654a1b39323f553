"""The calendar feed: parsed with the icalendar library, the right deadlines for each role, stable UIDs,
and a secret address that can be revoked and renewed (from the API and from the profile panel)."""

from datetime import UTC, timedelta

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from audit.models import AuditEntry
from opendata import feeds
from opendata.models import CalendarFeed
from procurement import services
from procurement.models import Initiative, InitiativeState
from tests import factories as f

from .conftest import api


def fetch(user) -> Calendar:
    feed = feeds.active_feed(user) or feeds.feed_issue(actor=user)
    response = Client().get(f"/calendar/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(user) -> dict[str, object]:
    return {str(e["UID"]): e for e in fetch(user).walk("VEVENT")}


def utc(moment):
    """iCalendar times have whole seconds."""
    return moment.astimezone(UTC).replace(microsecond=0)


def uid(initiative_or_tender, name: str) -> str:
    kind = "tender" if initiative_or_tender.__class__.__name__ == "Tender" else "initiative"
    return f"{kind}-{initiative_or_tender.pk}-{name}@samenaankoop"


@pytest.mark.django_db
def test_each_role_gets_its_own_deadlines(lifecycle, supplier):
    walk = lifecycle()
    r = walk.r
    initiative = r.initiative
    demand, decision = uid(initiative, "demand-deadline"), uid(initiative, "decision-deadline")

    assert set(events(r.wetteren_people.ict)) == {demand}  # offered to Wetteren's circle
    assert set(events(r.laarne_people.ict)) == {demand}
    assert set(events(r.lead_people.procurement)) == {demand, decision}  # the lead runs the round
    assert events(r.wetteren_people.alderman) == {}  # Wetteren does not take part yet
    assert events(r.outsider_people.ict) == {}  # Roeselare is in no circle of the round
    assert events(r.wetteren_people.viewer) == {}

    walk.demand("wetteren", "4", "4", "4")
    alderman = events(r.wetteren_people.alderman)
    assert set(alderman) == {decision}
    event = alderman[decision]
    assert event["DTSTART"].dt == utc(initiative.decision_deadline)
    assert str(event["SUMMARY"]) == f"Decision deadline: {initiative.title}"
    assert "Wetteren" in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith(f"/initiatives/{initiative.pk}/")
    assert events(r.laarne_people.alderman) == {}

    walk.to_ready()
    walk.start_tender()
    walk.publish()
    bids = walk.bid(supplier)
    walk.close_and_evaluate()
    walk.award(bids)
    tender = walk.tender
    lead = events(r.lead_people.procurement)
    assert set(lead) == {demand, decision, uid(tender, "bid-deadline"), uid(tender, "standstill-end")}
    assert lead[uid(tender, "standstill-end")]["DTSTART"].dt == utc(tender.standstill_ends)
    # Bid deadlines and standstill periods are the lead's business only.
    assert set(events(r.wetteren_people.ict)) == {demand}
    assert set(events(r.wetteren_people.alderman)) == {decision}


@pytest.mark.django_db
def test_a_person_with_several_roles_gets_each_event_once(round_, committed):
    person = round_.lead_people.procurement
    f.MembershipFactory(user=person, organisation=round_.lead, role="ict")
    f.MembershipFactory(user=person, organisation=round_.wetteren, role="alderman")
    with committed():
        p = services.participation_join(initiative=round_.initiative, actor=round_.wetteren_people.ict,
                                        organisation=round_.wetteren)
    assert p.pk
    found = fetch(person).walk("VEVENT")
    uids = [str(e["UID"]) for e in found]
    assert sorted(uids) == sorted({uid(round_.initiative, "demand-deadline"), uid(round_.initiative, "decision-deadline")})
    decision = next(e for e in found if "decision" in str(e["UID"]))
    assert "Wetteren" in str(decision["DESCRIPTION"]) and "decisions are due" in str(decision["DESCRIPTION"])


@pytest.mark.django_db
def test_uids_are_stable_and_a_moved_deadline_updates_the_same_event(round_):
    ict = round_.wetteren_people.ict
    feed = feeds.feed_issue(actor=ict)
    first = Client().get(f"/calendar/{feed.token}.ics").content
    second = Client().get(f"/calendar/{feed.token}.ics").content
    assert first == second  # the same data gives the same feed, byte for byte

    later = round_.initiative.demand_deadline + timedelta(days=3)
    services.initiative_update(initiative=round_.initiative, actor=round_.lead_people.procurement, demand_deadline=later)
    moved = {str(e["UID"]): e for e in Calendar.from_ical(Client().get(f"/calendar/{feed.token}.ics").content).walk("VEVENT")}
    before = {str(e["UID"]): e for e in Calendar.from_ical(first).walk("VEVENT")}
    assert set(moved) == set(before)
    key = uid(round_.initiative, "demand-deadline")
    assert moved[key]["DTSTART"].dt == utc(later) != before[key]["DTSTART"].dt


@pytest.mark.django_db
def test_drafts_ideas_cancelled_and_old_deadlines_are_left_out(round_, committed, clock):
    officer = round_.lead_people.procurement
    draft = f.InitiativeFactory(lead_organisation=round_.lead, circles=[round_.circle], title="Nog een ontwerp")
    assert set(events(round_.wetteren_people.ict)) == {uid(round_.initiative, "demand-deadline")}
    # The lead's procurement officers do see the deadlines of their own draft.
    assert uid(draft, "demand-deadline") in events(officer)

    with committed():
        services.initiative_cancel(initiative=round_.initiative, actor=officer, reason="Budget cut.")
    assert events(round_.wetteren_people.ict) == {}

    Initiative.objects.filter(pk=draft.pk).update(state=InitiativeState.POOLING)
    assert uid(draft, "demand-deadline") in events(round_.wetteren_people.ict)
    clock.set(timezone.now() + timedelta(days=400))
    assert events(round_.wetteren_people.ict) == {}


@pytest.mark.django_db
def test_the_feed_parses_as_a_calendar_with_reminders(round_):
    calendar = fetch(round_.lead_people.procurement)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//Samenaankoop//")
    for event in calendar.walk("VEVENT"):
        assert event["DTSTAMP"] and event["DTSTART"].dt.tzinfo is not None
        alarm = event.walk("VALARM")[0]
        assert alarm["TRIGGER"].dt == timedelta(days=-1)


# --- the secret address ---


@pytest.mark.django_db
def test_unknown_revoked_and_replaced_tokens_give_404(round_):
    ict = round_.wetteren_people.ict
    old = feeds.feed_issue(actor=ict)
    new = feeds.feed_issue(actor=ict)  # renewing revokes the previous address
    client = Client()
    assert client.get(f"/calendar/{old.token}.ics").status_code == 404
    assert client.get(f"/calendar/{new.token}.ics").status_code == 200
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert feeds.feed_revoke(actor=ict) is True
    assert client.get(f"/calendar/{new.token}.ics").status_code == 404
    assert feeds.feed_revoke(actor=ict) is False
    newest = feeds.feed_issue(actor=ict)
    ict.is_active = False
    ict.save()
    assert client.get(f"/calendar/{newest.token}.ics").status_code == 404  # a deactivated account
    actions = list(AuditEntry.objects.filter(action__startswith="opendata.").order_by("id").values_list("action", flat=True))
    assert actions == ["opendata.calendar_feed.issued", "opendata.calendar_feed.renewed",
                       "opendata.calendar_feed.revoked", "opendata.calendar_feed.issued"]
    assert CalendarFeed.objects.filter(user=ict, revoked_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_the_api_reads_creates_and_revokes_my_address(round_):
    client = api(round_.wetteren_people.ict)
    assert client.get("/api/me/calendar-feed/").status_code == 404
    created = client.post("/api/me/calendar-feed/")
    assert created.status_code == 201
    body = created.json()
    assert set(body) == {"url", "webcal_url", "created_at"}
    assert body["url"].startswith("http://testserver/calendar/") and body["url"].endswith(".ics")
    assert body["webcal_url"] == "webcal://" + body["url"].removeprefix("http://")
    assert client.get("/api/me/calendar-feed/").json() == body
    assert Client().get(body["url"]).status_code == 200
    renewed = client.post("/api/me/calendar-feed/").json()
    assert renewed["url"] != body["url"] and Client().get(body["url"]).status_code == 404
    assert client.delete("/api/me/calendar-feed/").status_code == 204
    assert Client().get(renewed["url"]).status_code == 404
    assert client.delete("/api/me/calendar-feed/").status_code == 404
    assert api(None).get("/api/me/calendar-feed/").status_code in (401, 403)


@pytest.mark.django_db
def test_only_staff_revoke_someone_elses_address(round_):
    from core.errors import NotAllowed

    feeds.feed_issue(actor=round_.wetteren_people.ict)
    with pytest.raises(NotAllowed):
        feeds.feed_revoke(actor=round_.laarne_people.ict, user=round_.wetteren_people.ict)
    staff = f.UserFactory(username="beheerder", is_staff=True)
    assert feeds.feed_revoke(actor=staff, user=round_.wetteren_people.ict) is True


@pytest.mark.django_db
def test_the_profile_panel_shows_renews_and_revokes(round_):
    user = round_.wetteren_people.ict
    client = Client()
    client.force_login(user)
    page = client.get("/account/calendar/")
    assert page.status_code == 200 and b"Create a calendar address" in page.content
    response = client.post("/account/calendar/", {"action": "renew", "next": "/account/calendar/"})
    assert response.status_code == 302 and response["Location"] == "/account/calendar/"
    feed = feeds.active_feed(user)
    assert feed.token.encode() in client.get("/account/calendar/").content
    fragment = client.post("/account/calendar/", {"action": "renew"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and b'id="calendar-feed"' in fragment.content and b"<html" not in fragment.content
    assert feeds.active_feed(user).token != feed.token
    outside = client.post("/account/calendar/", {"action": "revoke", "next": "https://evil.example/"})
    assert outside["Location"] == "/account/calendar/"  # never redirected off the site
    assert feeds.active_feed(user) is None
    assert client.post("/account/calendar/", {"action": "drop"}).status_code == 400
    assert Client().get("/account/calendar/").status_code == 302  # sign-in first


@pytest.mark.django_db
def test_the_panel_can_be_included_on_any_page(round_, rf):
    user = round_.wetteren_people.ict
    feeds.feed_issue(actor=user)
    request = rf.get("/accounts/profile/")
    request.user = user
    html = Template("{% load opendata %}{% calendar_feed_panel %}").render(Context({"request": request}))
    assert feeds.active_feed(user).token in html and "Revoke the address" in html
