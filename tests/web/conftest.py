import pytest

from procurement import services


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The round_ fixture makes sixteen users; the production hasher would spend seconds on them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def joined(round_):
    """Wetteren takes part with a draft: 10 laptops."""
    ict = round_.wetteren_people.ict
    p = services.participation_join(initiative=round_.initiative, actor=ict, organisation=round_.wetteren)
    services.demand_set(participation=p, actor=ict, lines=[{"item": round_.laptop.pk, "quantity": "10"}])
    return p
