"""A user's deadlines as an iCalendar feed (docs/API.md, "Open data and calendar").

Which deadlines, by role (a person with several roles gets the union):

- ICT staff: the demand deadline of every initiative open to a circle of their organisations;
- aldermen: the decision deadline of every initiative in which one of their organisations takes part;
- procurement officers: the demand and decision deadlines of the initiatives their organisation leads, and
  the bid deadline and the end of the standstill period of their tenders.

Every event has a UID made of what it is about (``initiative-12-demand-deadline@samenaankoop``), never of
who reads it or when, so a calendar client that fetches the feed again updates a moved deadline instead of
adding a second one, and two people's calendars speak of the same event. Ideas, drafts (other than the
lead's own), cancelled initiatives and deadlines more than a year old are left out.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from procurement.models import Initiative, InitiativeState, Participation, ParticipationState, Role
from procurement.permissions import organisation_ids
from tendering.models import Tender, TenderState

from . import ocds

UID_DOMAIN = "samenaankoop"
HISTORY = timedelta(days=365)
LIVE_STATES = ocds.PUBLISHED_STATES
DECIDING_PARTICIPATIONS = (ParticipationState.DRAFT, ParticipationState.SUBMITTED, ParticipationState.APPROVED,
                           ParticipationState.DECLINED)


@dataclass
class Deadline:
    uid: str
    when: datetime
    summary: str
    path: str
    modified: datetime
    notes: list[str] = field(default_factory=list)


class _Collector:
    def __init__(self) -> None:
        self.events: dict[str, Deadline] = {}

    def add(self, uid: str, when: datetime | None, summary: str, path: str, modified: datetime, note: str) -> None:
        if when is None:
            return
        event = self.events.setdefault(uid, Deadline(uid=uid, when=when, summary=summary, path=path, modified=modified))
        if note not in event.notes:
            event.notes.append(note)

    def sorted(self) -> list[Deadline]:
        return sorted(self.events.values(), key=lambda e: (e.when, e.uid))


def uid(kind: str, name: str, pk: int) -> str:
    return f"{kind}-{pk}-{name}@{UID_DOMAIN}"


def deadlines_for(user) -> list[Deadline]:
    """The deadlines relevant to ``user``, oldest first."""
    since = timezone.now() - HISTORY
    found = _Collector()
    ict = organisation_ids(user, Role.ICT)
    aldermen = organisation_ids(user, Role.ALDERMAN)
    leads = organisation_ids(user, Role.PROCUREMENT)

    if ict:
        open_to_me = Initiative.objects.filter(
            circles__organisations__in=ict, state__in=LIVE_STATES, demand_deadline__gte=since
        ).distinct()
        for initiative in open_to_me:
            _demand_deadline(found, initiative, _("Enter and submit your organisation's demand before this moment."))

    if aldermen:
        participations = (
            Participation.objects.filter(
                organisation__in=aldermen, state__in=DECIDING_PARTICIPATIONS,
                initiative__state__in=LIVE_STATES, initiative__decision_deadline__gte=since,
            ).select_related("initiative", "organisation").order_by("organisation__name")
        )
        for participation in participations:
            _decision_deadline(found, participation.initiative, _(
                "The deciding body of %(organisation)s approves or declines its participation before this moment."
            ) % {"organisation": participation.organisation.name})

    if leads:
        led = Initiative.objects.filter(
            Q(demand_deadline__gte=since) | Q(decision_deadline__gte=since),
            lead_organisation__in=leads, state__in=[*LIVE_STATES, InitiativeState.DRAFT],
        )
        for initiative in led:
            if initiative.demand_deadline and initiative.demand_deadline >= since:
                _demand_deadline(found, initiative, _("Pooling closes: the participants' demand is due."))
            if initiative.decision_deadline and initiative.decision_deadline >= since:
                _decision_deadline(found, initiative, _("The participants' decisions are due."))
        tenders = (
            Tender.objects.filter(initiative__lead_organisation__in=leads, initiative__state__in=LIVE_STATES)
            .exclude(state=TenderState.CANCELLED).select_related("initiative")
        )
        for tender in tenders:
            title = tender.initiative.title
            path = reverse("tender-detail", args=[tender.pk])
            if tender.bid_deadline >= since:
                found.add(uid("tender", "bid-deadline", tender.pk), tender.bid_deadline,
                          _("Bid deadline: %(title)s") % {"title": title}, path, tender.updated_at,
                          _("The bids must be in before this moment."))
            if tender.standstill_ends and tender.standstill_ends >= since:
                found.add(uid("tender", "standstill-end", tender.pk), tender.standstill_ends,
                          _("End of the standstill period: %(title)s") % {"title": title}, path, tender.updated_at,
                          _("From this moment the contracts can be concluded."))
    return found.sorted()


def _demand_deadline(found: _Collector, initiative: Initiative, note: str) -> None:
    found.add(uid("initiative", "demand-deadline", initiative.pk), initiative.demand_deadline,
              _("Demand deadline: %(title)s") % {"title": initiative.title},
              reverse("initiative-detail", args=[initiative.pk]), initiative.updated_at, note)


def _decision_deadline(found: _Collector, initiative: Initiative, note: str) -> None:
    found.add(uid("initiative", "decision-deadline", initiative.pk), initiative.decision_deadline,
              _("Decision deadline: %(title)s") % {"title": initiative.title},
              reverse("initiative-detail", args=[initiative.pk]), initiative.updated_at, note)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)  # iCalendar counts whole seconds


def feed(user) -> bytes:
    """The iCalendar text of ``user``'s deadlines, in the product's language (a calendar client sends
    no language and has no session)."""
    with translation.override(settings.LANGUAGE_CODE):
        calendar = Calendar()
        calendar.add("prodid", f"-//Samenaankoop//Deadlines//{settings.LANGUAGE_CODE.upper()}")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        name = _("Samenaankoop deadlines")
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
        site = settings.SITE_URL.rstrip("/")
        for deadline in deadlines_for(user):
            event = Event()
            event.add("uid", deadline.uid)
            event.add("summary", deadline.summary)
            event.add("dtstart", _utc(deadline.when))
            # DTSTAMP and LAST-MODIFIED from the data, not the clock: the same data gives the same feed.
            event.add("dtstamp", _utc(deadline.modified))
            event.add("last-modified", _utc(deadline.modified))
            event.add("description", "\n".join([*deadline.notes, f"{site}{deadline.path}"]))
            event.add("url", f"{site}{deadline.path}")
            event.add("transp", "TRANSPARENT")  # a deadline is a moment, not a busy hour
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", deadline.summary)
            alarm.add("trigger", timedelta(days=-1))
            event.add_component(alarm)
            calendar.add_component(event)
        return calendar.to_ical()
