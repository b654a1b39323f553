"""Shared fixtures: a small knowledge circle with people in every role, and an initiative that pools.

``round_`` is the workhorse: a laptop round of lead organisation ``lead`` offered to circle ``circle``
(lead, ``wetteren``, ``laarne``), in state ``pooling``, with two lots and three items.
"""

import os
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from procurement.models import Initiative, InitiativeState, Item, Organisation, Role
from tests import factories as f

pytest_plugins = ["tests.celery_worker"]


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests run in the PostgreSQL pass; on SQLite they are deselected, not skipped,
    so that CI can never pass without running them (``bash dev test`` runs both passes in CI)."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("DOCS_PICTURES") != "1":  # the pictures of docs/documents/ are made on request only
        pictures = [item for item in items if item.get_closest_marker("docs_pictures")]
        if pictures:
            config.hook.pytest_deselected(items=pictures)
            items[:] = [item for item in items if not item.get_closest_marker("docs_pictures")]
    if "postgresql" in engine:
        # Run once, in the SQLite pass: the eForms validator compiles for seconds (issue 18), and the browser
        # journeys test the pages, which do not change with the database, for minutes (chromium, axe-core).
        once = [item for item in items if item.get_closest_marker("eforms") or item.get_closest_marker("browser")]
        if once:
            config.hook.pytest_deselected(items=once)
            items[:] = [item for item in items if item not in once]
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgres") or item.get_closest_marker("celery_worker") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def _english_and_eager(request, settings):
    """Tasks run in-process unless a test asks for the real worker (marker ``celery_worker``), also in the
    PostgreSQL + Redis pass, where nothing else consumes the queue; messages compare in English.

    The Celery app keeps its own copy of the setting, so both are set for every test: a value left by
    one test must not leak into the next."""
    from config.celery import app

    eager = request.node.get_closest_marker("celery_worker") is None
    settings.CELERY_TASK_ALWAYS_EAGER = eager
    app.conf.task_always_eager = eager
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _demand_values_match_the_lines(request):
    """After every test with a database: each participation's stored demand value (which the pooled value
    sums) equals the value of its lines, whatever the test did through the services."""
    if "db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("db")  # set up first, so torn down (rolled back) after the check below
    yield
    from procurement import selectors

    for initiative in Initiative.objects.filter(participations__isnull=False).distinct():
        wrong = selectors.demand_values_out_of_step(initiative)
        assert not wrong, f"stored demand values differ from the lines (stored, lines): {wrong}"


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
    # The procedure starts on a fixed date, so that the advice uses the seeded 2026–2027 thresholds on
    # whatever day the tests run (in 2028 no seeded threshold is in force any more).
    initiative = f.InitiativeFactory(lead_organisation=lead, circles=[circle], title="Laptops 2027",
                                     planned_procedure_start=date(2027, 3, 1))
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


# --- domain-test helpers: a clock, the seeded threshold table, "a refusal changes nothing" ---


class Clock:
    """``timezone.now()`` under the test's control (every caller reads ``django.utils.timezone.now``)."""

    def __init__(self, now):
        self.now = now

    def set(self, when):
        self.now = when
        return when

    def advance(self, **delta):
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """For every test: the ``round_`` fixture makes 16 users, and the default PBKDF2 hasher takes a good second
    for them. (Nothing in the suite measures the hasher; production keeps Django's default.)"""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clock(monkeypatch) -> Clock:
    frozen = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


@pytest.fixture
def seeded_thresholds(django_db_blocker):
    """The threshold rows of the data migration. A transactional test flushes the database afterwards,
    so later transactional tests seed again (the migration's own ``seed`` is idempotent)."""
    import importlib

    from django.apps import apps

    from procurement.models import Threshold

    migration = importlib.import_module("procurement.migrations.0002_seed_thresholds")
    with django_db_blocker.unblock():
        migration.seed(apps, None)
    return Threshold.objects.all()


def domain_snapshot() -> dict:
    """Everything a refused service call must leave alone, row for row (``updated_at`` included)."""
    from audit.models import AuditEntry
    from procurement.models import DemandLine, Interest, Participation

    return {
        "initiatives": list(Initiative.objects.order_by("pk").values()),
        "participations": list(Participation.objects.order_by("pk").values()),
        "lines": list(DemandLine.objects.order_by("pk").values()),
        "interests": list(Interest.objects.order_by("pk").values()),
        "audit": list(AuditEntry.objects.order_by("pk").values_list("pk", flat=True)),
    }


@pytest.fixture
def nothing_changes(django_capture_on_commit_callbacks):
    """``with nothing_changes(), pytest.raises(...):`` — the refused call wrote nothing (states, lines,
    audit entries) and queued no event or mail."""
    from contextlib import contextmanager

    @contextmanager
    def check():
        before = domain_snapshot()
        with django_capture_on_commit_callbacks() as callbacks:
            yield
        assert domain_snapshot() == before
        assert callbacks == []

    return check
