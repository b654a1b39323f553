"""Fixtures of the eForms tests: the compiled validator (once per run) and tenders at each step."""

import pytest
from django.utils import timezone

from notices import validation
from procurement.models import Organisation
from tendering import services
from tendering.models import Supplier
from tests.tendering.conftest import clock, ready_round, suppliers  # noqa: F401  (fixtures)
from tests.tendering.test_lifecycle import run_to_evaluated

ADDRESSES = {
    "Destelbergen": ("Dendermondesteenweg 430, 9070 Destelbergen", "info@destelbergen.be"),
    "Wetteren": ("Markt 1, 9230 Wetteren", "info@wetteren.be"),
    "Laarne": ("Dorp 3, 9270 Laarne", "info@laarne.be"),
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/notices/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.eforms)


@pytest.fixture(scope="session")
def eforms_validator():
    """The validator, compiled once for the whole run (every notice test shares it)."""
    return validation.validator()


@pytest.fixture
def addressed(ready_round, eforms_validator):  # noqa: F811
    """The test round with the addresses and e-mails a notice states (factories leave them empty)."""
    for name, (address, email) in ADDRESSES.items():
        Organisation.objects.filter(name=name).update(address=address, email=email)
    return ready_round


@pytest.fixture
def published(addressed, clock, suppliers):  # noqa: F811
    """The round's tender as an open procedure (stricter than advised; Belgian publication), evaluated."""
    Supplier.objects.filter(pk__in=[s.pk for s in suppliers]).update(address="Industrieweg 12, 9032 Gent")
    clock.set(timezone.now())
    return run_to_evaluated(addressed, clock, suppliers, procedure="open", deadline_days=40)


@pytest.fixture
def concluded(published, addressed, clock):  # noqa: F811
    tender, (a, _b, c) = published
    officer = addressed.lead_people.procurement
    services.tender_award(tender=tender, actor=officer,
                          awards=[{"lot": a.lot_id, "bid": a.pk}, {"lot": c.lot_id, "bid": c.pk}])
    tender.refresh_from_db()
    clock.set(tender.standstill_ends)
    services.tender_conclude(tender=tender, actor=officer)
    tender.refresh_from_db()
    return tender
