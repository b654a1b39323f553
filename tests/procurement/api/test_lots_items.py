"""Lots and items: only the lead's procurement officers add them, while the initiative is draft or pooling."""

import pytest

from procurement.models import InitiativeState, Item, Lot
from tests import factories as f
from tests.conftest import move

from .conftest import audit_count

pytestmark = pytest.mark.django_db


def lots_url(round_) -> str:
    return f"/api/initiatives/{round_.initiative.pk}/lots/"


def items_url(round_) -> str:
    return f"/api/initiatives/{round_.initiative.pk}/items/"


def new_item(round_, **changes) -> dict:
    return {"lot": round_.monitor.lot_id, "name": "Scherm 32 inch", "unit": "piece",
            "estimated_unit_price": "340.5", "vat_rate": "21", "cpv_code": "30231300-0", **changes}


MATRIX = [
    ("lead.procurement", 201),
    ("lead.ict", 403), ("lead.alderman", 403), ("lead.viewer", 403),
    ("wetteren.procurement", 403),  # procurement, but not of the lead organisation
    ("outsider.procurement", 404),
    ("anonymous", 401),
]


@pytest.mark.parametrize("who, status", MATRIX)
def test_only_the_leads_procurement_officers_add_a_lot(round_, client_as, who, status):
    before = Lot.objects.count(), audit_count()

    answer = client_as(who).post(lots_url(round_), {"number": 3, "title": "Software"}, format="json")

    assert answer.status_code == status
    if status == 201:
        body = answer.json()
        assert body == {"id": body["id"], "number": 3, "title": "Software", "description": "", "items": []}
        assert Lot.objects.get(pk=body["id"]).initiative == round_.initiative
    else:
        assert (Lot.objects.count(), audit_count()) == before


def test_a_lot_number_is_unique_in_its_initiative(round_, client_as):
    answer = client_as("lead.procurement").post(lots_url(round_), {"number": 1, "title": "Again"}, format="json")
    assert answer.status_code == 400
    # The error sits on the field to fix, and says what to do.
    assert answer.json() == {"number": ["Lot 1 already exists in this initiative; choose another number."]}
    assert Lot.objects.filter(initiative=round_.initiative).count() == 2


def test_a_lot_needs_a_number_and_a_title(round_, client_as):
    answer = client_as("lead.procurement").post(lots_url(round_), {"number": 0}, format="json")
    assert answer.status_code == 400
    assert set(answer.json()) == {"number", "title"}


def test_no_lots_are_added_once_pooling_closed(round_, client_as):
    move(round_.initiative, InitiativeState.DECIDING)
    answer = client_as("lead.procurement").post(lots_url(round_), {"number": 3, "title": "Software"}, format="json")
    assert answer.status_code == 409
    assert answer.json()["code"] == "not_editable"
    assert Lot.objects.filter(initiative=round_.initiative).count() == 2


@pytest.mark.parametrize("who, status", MATRIX)
def test_only_the_leads_procurement_officers_add_an_item(round_, client_as, who, status):
    before = Item.objects.count(), audit_count()

    answer = client_as(who).post(items_url(round_), new_item(round_), format="json")

    assert answer.status_code == status
    if status == 201:
        body = answer.json()
        assert body["lot"] == round_.monitor.lot_id
        assert body["estimated_unit_price"] == "340.50"
        assert body["vat_rate"] == "21.00"
        assert body["cpv_code"] == "30231300-0"
    else:
        assert (Item.objects.count(), audit_count()) == before


def test_the_lot_of_another_initiative_is_unknown_here(round_, client_as):
    elsewhere = f.LotFactory(initiative=f.InitiativeFactory(lead_organisation=round_.lead), number=1)
    answer = client_as("lead.procurement").post(items_url(round_), new_item(round_, lot=elsewhere.pk), format="json")
    assert answer.status_code == 400
    assert list(answer.json()) == ["lot"]


@pytest.mark.parametrize("changes, field", [
    ({"vat_rate": "7"}, "vat_rate"),  # not a Belgian rate: the model's validator says so
    ({"estimated_unit_price": "-1"}, "estimated_unit_price"),
    ({"estimated_unit_price": "12.345"}, "estimated_unit_price"),
    ({"unit": "bucket"}, "unit"),
    ({"cpv_code": "3023"}, "cpv_code"),
])
def test_a_wrong_item_is_a_field_error_and_adds_nothing(round_, client_as, changes, field):
    before = Item.objects.count(), audit_count()

    answer = client_as("lead.procurement").post(items_url(round_), new_item(round_, **changes), format="json")

    assert answer.status_code == 400
    assert list(answer.json()) == [field]
    assert (Item.objects.count(), audit_count()) == before


def test_an_added_item_appears_in_the_initiative(round_, client_as):
    client = client_as("lead.procurement")
    item_id = client.post(items_url(round_), new_item(round_), format="json").json()["id"]

    detail = client.get(f"/api/initiatives/{round_.initiative.pk}/").json()
    assert item_id in [item["id"] for item in detail["lots"][1]["items"]]
