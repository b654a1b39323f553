"""Helpers of the tendering tests: a clock, moving a round to `ready` through the services, creating a
tender, and a snapshot to prove that a refusal changed nothing.

``ready_demand``: Wetteren (laptop 40, dock 40, monitor 12) and Laarne (laptop 25, dock 10, monitor 7) approved;
pooled value 65 × 900 + 50 × 180 + 19 × 210 = 71 490,00 € (a negotiated procedure without publication on the
planned start 01-03-2027, thresholds 2026–2027).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Model
from django.utils import timezone

from audit.models import AuditEntry
from procurement import services
from procurement.models import Initiative
from tendering import services as tender_services
from tendering.models import Supplier, Tender

PLANNED_START = date(2027, 3, 1)
BRUSSELS = timezone.get_default_timezone()


def brussels(*args) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)


class Clock:
    """``django.utils.timezone.now`` under the test's control (guards, services and auto_now read it)."""

    def __init__(self, monkeypatch):
        self._monkeypatch = monkeypatch
        self.now: datetime | None = None

    def set(self, moment: datetime) -> datetime:
        self.now = moment
        self._monkeypatch.setattr(timezone, "now", lambda: self.now)
        return moment

    def advance(self, **delta) -> datetime:
        return self.set((self.now or timezone.now()) + timedelta(**delta))


def make_ready(round_, demand: dict[str, list[dict]], *, kind: str | None = None, **initiative_fields) -> Initiative:
    """Join, enter demand, submit, close pooling, approve and confirm, all through the services.

    ``demand`` maps "wetteren" / "laarne" / "lead" to demand lines. ``kind`` and other initiative fields are
    test set-up (not states) and are written before anything happens."""
    initiative = round_.initiative
    fields = {"planned_procedure_start": PLANNED_START, **initiative_fields}
    if kind is not None:
        fields["kind"] = kind
    Initiative.objects.filter(pk=initiative.pk).update(**fields)
    initiative.refresh_from_db()
    if "lead" in demand:
        round_.circle.organisations.add(round_.lead)
    joined = []
    for key, lines in demand.items():
        organisation = getattr(round_, key)
        people = getattr(round_, f"{key}_people")
        p = services.participation_join(initiative=initiative, actor=people.ict, organisation=organisation)
        services.demand_set(participation=p, actor=people.ict, lines=lines)
        services.participation_submit(participation=p, actor=people.ict)
        joined.append((p, people))
    lead = round_.lead_people.procurement
    services.initiative_close_pooling(initiative=initiative, actor=lead)
    for p, people in joined:
        services.participation_approve(participation=p, actor=people.alderman, decision_date=timezone.localdate(),
                                       decision_reference=f"CBS/2026/{p.pk}")
    services.initiative_confirm_participants(initiative=initiative, actor=lead)
    initiative.refresh_from_db()
    return initiative


CRITERIA = [
    {"name": "Price", "weight": 60, "is_price": True},
    {"name": "Quality", "weight": 30, "is_price": False},
    {"name": "Service", "weight": 10, "is_price": False},
]


def create_tender(round_, *, deadline_days: int = 40, criteria=None, **kwargs) -> Tender:
    return tender_services.tender_create(
        initiative=round_.initiative, actor=round_.lead_people.procurement,
        bid_deadline=timezone.now() + timedelta(days=deadline_days), award_criteria=criteria or CRITERIA, **kwargs,
    )


def scores(tender: Tender, **by_name) -> list[dict]:
    return [{"criterion": c.pk, "score": by_name[c.name.lower()]} for c in tender.criteria.filter(is_price=False)]


def prices(round_, lot: int, *unit_prices) -> list[dict]:
    items = [round_.laptop, round_.dock] if lot == 1 else [round_.monitor]
    return [{"item": item.pk, "unit_price": str(price)} for item, price in zip(items, unit_prices, strict=True)]


@dataclass
class Snapshot:
    """Everything a refused request could have changed: row counts, states and the audit log."""

    rows: dict

    @classmethod
    def take(cls, *objects: Model) -> "Snapshot":
        from contracts.models import Contract
        from tendering.models import Award, Bid, BidPrice, QualityScore

        rows = {model.__name__: model.objects.count()
                for model in (AuditEntry, Award, Bid, BidPrice, QualityScore, Supplier, Tender, Contract)}
        for obj in objects:
            fresh = type(obj).objects.get(pk=obj.pk)
            rows[f"{type(obj).__name__}:{obj.pk}"] = {f.attname: getattr(fresh, f.attname)
                                                       for f in fresh._meta.concrete_fields}
        return cls(rows)


def ready_demand(round_) -> dict[str, list[dict]]:
    return {
        "wetteren": [{"item": round_.laptop.pk, "quantity": "40"}, {"item": round_.dock.pk, "quantity": "40"},
                     {"item": round_.monitor.pk, "quantity": "12"}],
        "laarne": [{"item": round_.laptop.pk, "quantity": "25"}, {"item": round_.dock.pk, "quantity": "10"},
                   {"item": round_.monitor.pk, "quantity": "7"}],
    }
