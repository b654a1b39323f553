"""Fixtures for the API tests: a client logged in as someone of the `round_`, by name.

``who`` reads ``<organisation>.<role>``: ``lead`` (Destelbergen, leads the round), ``wetteren`` (joins it:
"own organisation" in the participation tests), ``laarne`` (in the circle, not joined: "other
organisation") and ``outsider`` (Roeselare, not in the circle); or ``anonymous``.
"""

from datetime import date

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from audit.models import AuditEntry
from procurement import services
from procurement.models import Participation


def user_of(round_, who: str):
    organisation, role = who.split(".")
    return getattr(getattr(round_, f"{organisation}_people"), role)


@pytest.fixture
def client_as(round_):
    """``client_as("wetteren.ict")``: an APIClient that sends that person's token."""

    def make(who: str) -> APIClient:
        client = APIClient()
        if who != "anonymous":
            token, _ = Token.objects.get_or_create(user=user_of(round_, who))
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def participation(round_) -> Participation:
    """Wetteren in the round, a draft with demand: 40 laptops and 12 screens (38 520,00 €)."""
    ict = round_.wetteren_people.ict
    p = services.participation_join(initiative=round_.initiative, actor=ict, organisation=round_.wetteren)
    services.demand_set(participation=p, actor=ict, lines=[
        {"item": round_.laptop.pk, "quantity": "40"}, {"item": round_.monitor.pk, "quantity": "12"},
    ])
    return p


@pytest.fixture
def submitted(round_, participation) -> Participation:
    return services.participation_submit(participation=participation, actor=round_.wetteren_people.ict)


@pytest.fixture
def deciding(round_, submitted) -> Participation:
    """Pooling closed; Wetteren's participation awaits its alderman."""
    services.initiative_close_pooling(initiative=round_.initiative, actor=round_.lead_people.procurement)
    submitted.refresh_from_db()
    return submitted


@pytest.fixture
def approved(round_, deciding) -> Participation:
    return services.participation_approve(participation=deciding, actor=round_.wetteren_people.alderman,
                                          decision_date=date.today(), decision_reference="CBS/2026/117")


def audit_count() -> int:
    return AuditEntry.objects.count()
