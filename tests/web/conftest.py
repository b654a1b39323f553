import pytest

from procurement import services


@pytest.fixture
def joined(round_):
    """Wetteren takes part with a draft: 10 laptops."""
    ict = round_.wetteren_people.ict
    p = services.participation_join(initiative=round_.initiative, actor=ict, organisation=round_.wetteren)
    services.demand_set(participation=p, actor=ict, lines=[{"item": round_.laptop.pk, "quantity": "10"}])
    return p
