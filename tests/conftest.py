"""Shared fixtures: a small knowledge circle with people in every role, and an initiative that pools.

``round_`` is the workhorse: a laptop round of lead organisation ``lead`` offered to circle ``circle``
(lead, ``wetteren``, ``laarne``), in state ``pooling``, with two lots and three items.
"""

import os
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from procurement.models import Initiative, InitiativeState, Item, Organisation, Role
from tests import factories as f


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests run in the PostgreSQL pass; on SQLite they are deselected, not skipped,
    so that CI can never pass without running them (``bash dev test`` runs both passes in CI)."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgres") or item.get_closest_marker("celery_worker") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def _english_and_eager(settings):
    """Tasks run in-process unless a test asks for the real worker; messages compare in English."""
    if not os.environ.get("CELERY_BROKER_URL", "").startswith(("redis", "amqp")):
        settings.CELERY_TASK_ALWAYS_EAGER = True
        from config.celery import app

        app.conf.task_always_eager = True
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        yield


@dataclass
class People:
    ict: object
    alderman: object
    procurement: object
    viewer: object


def people_of(organisation: Organisation, prefix: str) -> People:
    made = {}
    for role in (Role.ICT, Role.ALDERMAN, Role.PROCUREMENT, Role.VIEWER):
        user = f.UserFactory(username=f"{role}.{prefix}")
        f.MembershipFactory(user=user, organisation=organisation, role=role)
        made[role] = user
    return People(ict=made[Role.ICT], alderman=made[Role.ALDERMAN], procurement=made[Role.PROCUREMENT],
                  viewer=made[Role.VIEWER])


@dataclass
class Round:
    initiative: Initiative
    circle: object
    lead: Organisation
    wetteren: Organisation
    laarne: Organisation
    outsider: Organisation
    lead_people: People
    wetteren_people: People
    laarne_people: People
    outsider_people: People
    laptop: Item
    dock: Item
    monitor: Item

    def refresh(self) -> Initiative:
        self.initiative.refresh_from_db()
        return self.initiative


@pytest.fixture
def round_(db) -> Round:
    lead = f.OrganisationFactory(name="Destelbergen", nis_code="44013", enterprise_number="0207.450.633")
    wetteren = f.OrganisationFactory(name="Wetteren", nis_code="42025", enterprise_number="0207.447.366")
    laarne = f.OrganisationFactory(name="Laarne", nis_code="42010", enterprise_number="0207.445.881")
    outsider = f.OrganisationFactory(name="Roeselare", nis_code="36015", enterprise_number="0207.432.520")
    circle = f.CircleFactory(name="Scheldeland")
    circle.organisations.set([lead, wetteren, laarne])
    initiative = f.InitiativeFactory(lead_organisation=lead, circles=[circle], title="Laptops 2027")
    lot1 = f.LotFactory(initiative=initiative, number=1, title="Laptops en docking")
    lot2 = f.LotFactory(initiative=initiative, number=2, title="Schermen")
    laptop = f.ItemFactory(lot=lot1, name="Laptop 14 inch", estimated_unit_price=Decimal("900.00"))
    dock = f.ItemFactory(lot=lot1, name="Docking station USB-C", estimated_unit_price=Decimal("180.00"))
    monitor = f.ItemFactory(lot=lot2, name="Scherm 27 inch", estimated_unit_price=Decimal("210.00"))
    Initiative.objects.filter(pk=initiative.pk).update(state=InitiativeState.POOLING)
    initiative.refresh_from_db()
    return Round(
        initiative=initiative, circle=circle, lead=lead, wetteren=wetteren, laarne=laarne, outsider=outsider,
        lead_people=people_of(lead, "destelbergen"), wetteren_people=people_of(wetteren, "wetteren"),
        laarne_people=people_of(laarne, "laarne"), outsider_people=people_of(outsider, "roeselare"),
        laptop=laptop, dock=dock, monitor=monitor,
    )


def move(obj, state: str):
    """Put an object in a state directly, for test set-up only (production code uses the services)."""
    type(obj).objects.filter(pk=obj.pk).update(state=state)
    obj.refresh_from_db()
    return obj


@pytest.fixture
def past():
    return timezone.now() - timedelta(minutes=1)
