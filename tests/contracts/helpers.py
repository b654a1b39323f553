"""Helpers of the contracts tests: a concluded framework agreement and a concluded shared hire, each reached
through the services (join, approve, tender, award, conclude), and API clients.

``framework_agreement``: lot 1 (laptops 900,00 €, docks 150,00 €) of a framework contract with
- Wetteren: laptops max 10, docks max 5 → maximum 9 750,00 €;
- Laarne: laptops max 4 → maximum 3 600,00 €;
overall maximum 13 350,00 €; lot 2 is declared unsuccessful. The term is 24 months from ``start`` (today by
default, on the clock at conclusion).
"""

from datetime import date
from decimal import Decimal

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from contracts.models import Contract
from procurement.models import InitiativeKind, Item, Unit
from tests.tendering.helpers import make_ready

from .test_conclusion import conclude

D = Decimal


def client_of(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def _lot2_unsuccessful(round_):
    lot2 = round_.initiative.lots.get(number=2)
    return lambda bids: [{"lot": lot, "bid": bid.pk} if lot != lot2.pk else {"lot": lot, "bid": None, "reason": "-"}
                         for lot, bid in bids.items()]


def framework_agreement(round_, clock, *, start: date | None = None, term: int = 24, renewals: int = 1) -> Contract:
    make_ready(round_, {
        "wetteren": [{"item": round_.laptop.pk, "quantity": "8", "max_quantity": "10"},
                     {"item": round_.dock.pk, "quantity": "5"}],
        "laarne": [{"item": round_.laptop.pk, "quantity": "2", "max_quantity": "4"}],
    }, kind=InitiativeKind.FRAMEWORK_CONTRACT, framework_term_months=term, renewals=renewals)
    conclude(round_, clock, {round_.laptop.pk: "900.00", round_.dock.pk: "150.00"}, contract_start=start,
             awards=_lot2_unsuccessful(round_))
    return Contract.objects.get(initiative=round_.initiative, lot__number=1)


def shared_hire(round_, clock, shares: dict[str, str], *, annual: str = "100000.00",
                start: date | None = None) -> Contract:
    """A shared hire of one position whose FTE is split as ``shares`` ("wetteren"/"laarne"/"lead" → FTE),
    at ``annual`` per FTE (so the position costs annual × FTE a year before the cost model is changed)."""
    Item.objects.filter(pk=round_.laptop.pk).update(unit=Unit.FTE, name="GIS-coördinator")
    make_ready(round_, {key: [{"item": round_.laptop.pk, "quantity": fte}] for key, fte in shares.items()},
               kind=InitiativeKind.SHARED_HIRE)
    conclude(round_, clock, {round_.laptop.pk: annual}, candidate="An Peeters", contract_start=start,
             awards=_lot2_unsuccessful(round_))
    return Contract.objects.get(initiative=round_.initiative, lot__number=1)
