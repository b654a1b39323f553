"""Fixtures for documents and sheets: a round with demand from two organisations, media in a temp dir."""

from decimal import Decimal

import pytest

from procurement import services
from procurement.models import ParticipationState
from tests.conftest import move


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demand(round_, django_capture_on_commit_callbacks):
    """Wetteren submitted 40 laptops, 40 docks, 12 screens; Laarne approved 10 laptops and 5 screens;
    the lead (Destelbergen) has a draft with 3 laptops that the sheets do not count."""
    made = {}
    for org, people, lines in (
        (round_.wetteren, round_.wetteren_people,
         [(round_.laptop, "40"), (round_.dock, "40"), (round_.monitor, "12")]),
        (round_.laarne, round_.laarne_people, [(round_.laptop, "10"), (round_.monitor, "5")]),
        (round_.lead, round_.lead_people, [(round_.laptop, "3")]),
    ):
        p = services.participation_join(initiative=round_.initiative, actor=people.ict, organisation=org)
        services.demand_set(participation=p, actor=people.ict,
                            lines=[{"item": item.pk, "quantity": Decimal(q)} for item, q in lines])
        made[org.name] = p
    services.participation_submit(participation=made["Wetteren"], actor=round_.wetteren_people.ict)
    move(made["Laarne"], ParticipationState.APPROVED)
    for p in made.values():
        p.refresh_from_db()
    return made
