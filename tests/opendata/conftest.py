"""Open data fixtures: a round walked through the services with the after-commit callbacks run (that is
where releases are recorded), a clock, and API clients."""

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from procurement import services
from procurement.models import Initiative, InitiativeKind
from tendering import services as tender_services
from tendering.models import Supplier
from tests import factories as f

PRICE_ONLY = [{"name": "Price", "weight": 100, "is_price": True}]
RATED = [{"name": "Price", "weight": 70, "is_price": True}, {"name": "Quality", "weight": 30, "is_price": False}]



@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): <service calls>`` runs their after-commit callbacks, as a real commit would
    (the test's own transaction never commits)."""

    @contextmanager
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return run


class Clock:
    def __init__(self, monkeypatch):
        self._monkeypatch = monkeypatch
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta):
        self.now += timedelta(**delta)
        return self.now

    def set(self, moment):
        self.now = moment
        return moment


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


class Lifecycle:
    """One round through the services: pooling → deciding → ready → tender → award → conclusion."""

    def __init__(self, round_, clock, committed, *, kind: str = InitiativeKind.JOINT_PURCHASE) -> None:
        self.r = round_
        self.clock = clock
        self.committed = committed
        self.officer = round_.lead_people.procurement
        self.tender = None
        fields = {"kind": kind}  # the round's planned start (a fixed date: the 2026–2027 thresholds) stays
        if kind == InitiativeKind.FRAMEWORK_CONTRACT:
            fields.update(framework_term_months=36, renewals=1)  # 72 months: test set-up written around the services (a real one needs a justification)
        Initiative.objects.filter(pk=round_.initiative.pk).update(**fields)
        round_.initiative.refresh_from_db()
        round_.laptop.cpv_code = "30213100-6"
        round_.laptop.save()

    @property
    def initiative(self) -> Initiative:
        return self.r.refresh()

    def demand(self, who: str, laptops: str, docks: str, monitors: str, maximum: str | None = None) -> None:
        org, people = getattr(self.r, who), getattr(self.r, f"{who}_people")
        lines = [{"item": self.r.laptop.pk, "quantity": laptops}, {"item": self.r.dock.pk, "quantity": docks},
                 {"item": self.r.monitor.pk, "quantity": monitors}]
        if maximum is not None:
            for line in lines:
                line["max_quantity"] = maximum
        with self.committed():
            p = services.participation_join(initiative=self.r.initiative, actor=people.ict, organisation=org)
            services.demand_set(participation=p, actor=people.ict, lines=lines)
            services.participation_submit(participation=p, actor=people.ict)

    def to_ready(self) -> None:
        with self.committed():
            services.initiative_close_pooling(initiative=self.r.initiative, actor=self.officer)
        for p in self.r.initiative.participations.filter(state="submitted").select_related("organisation"):
            alderman = self.r.wetteren_people.alderman if p.organisation == self.r.wetteren else self.r.laarne_people.alderman
            with self.committed():
                services.participation_approve(participation=p, actor=alderman, decision_date=date.today(),
                                               decision_reference=f"CBS/{p.pk}")
        with self.committed():
            services.initiative_confirm_participants(initiative=self.r.initiative, actor=self.officer)

    def start_tender(self, criteria=PRICE_ONLY) -> None:
        with self.committed():
            self.tender = tender_services.tender_create(initiative=self.r.initiative, actor=self.officer,
                                                 bid_deadline=timezone.now() + timedelta(days=40),
                                                 award_criteria=criteria)

    def publish(self) -> None:
        with self.committed():
            self.tender = tender_services.tender_publish(tender=self.tender, actor=self.officer,
                                                  publication_reference="BE-2027-001")

    def bid(self, supplier: Supplier | None, price: str = "800.00", candidate: str = "") -> dict:
        bids = {}
        with self.committed():
            for lot in self.r.initiative.lots.all():
                lines = [{"item": item.pk, "unit_price": price} for item in lot.items.all()]
                bids[lot.pk] = tender_services.bid_submit(tender=self.tender, actor=self.officer, lot=lot, supplier=supplier,
                                                   candidate=candidate, unit_prices=lines)
        return bids

    def close_and_evaluate(self) -> None:
        self.clock.set(self.tender.bid_deadline + timedelta(seconds=1))
        with self.committed():
            tender_services.tender_close_bids(tender=self.tender, actor=self.officer)
            self.tender = tender_services.tender_evaluate(tender=self.tender, actor=self.officer)

    def award(self, bids: dict, unsuccessful_lots=()) -> None:
        awards = [{"lot": lot, "bid": None if lot in unsuccessful_lots else bid.pk} for lot, bid in bids.items()]
        for entry in awards:
            if entry["bid"] is None:
                entry["reason"] = "No acceptable bid."
        with self.committed():
            self.tender = tender_services.tender_award(tender=self.tender, actor=self.officer, awards=awards)
        self.tender.refresh_from_db()

    def conclude(self) -> None:
        self.clock.set(self.tender.standstill_ends + timedelta(minutes=1))
        with self.committed():
            self.tender = tender_services.tender_conclude(tender=self.tender, actor=self.officer,
                                                   contract_start=timezone.localdate() + timedelta(days=7))

    def walk(self, supplier: Supplier | None, *, candidate: str = "") -> None:
        self.demand("wetteren", "40", "40", "12", maximum="60" if self.r.initiative.is_framework else None)
        self.demand("laarne", "25", "10", "7", maximum="30" if self.r.initiative.is_framework else None)
        self.to_ready()
        self.start_tender()
        self.publish()
        bids = self.bid(supplier, candidate=candidate)
        self.close_and_evaluate()
        self.award(bids)
        self.conclude()


@pytest.fixture
def lifecycle(round_, clock, committed):
    return lambda **kw: Lifecycle(round_, clock, committed, **kw)


@pytest.fixture
def supplier(db) -> Supplier:
    return Supplier.objects.create(name="Bechtle Brussels", enterprise_number=f.kbo(901), email="sales@bechtle.example",
                                   address="Rue de l'Industrie 10, 1040 Etterbeek")
