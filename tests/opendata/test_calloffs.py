"""Framework call-offs as contracting processes of their own, linked to the framework.

The CallOff model comes with issue 6; until then these tests drive the builder with stand-ins that have
exactly the attributes the API contract promises of a call-off (organisation, lines of item × quantity,
state, total) on a real framework agreement. When the model lands, add a test that orders a real call-off
through its service and finds its release recorded (``receivers`` already maps ``contracts.calloff``)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from contracts.models import Contract, ContractKind
from opendata import calloffs, ocds, releases
from procurement.models import InitiativeKind

from .ocds_schema import assert_valid


def stand_in(contract: Contract, organisation, *, state: str = "ordered", lines=None, pk: int = 7):
    items = list(contract.lot.items.order_by("position", "id"))
    lines = lines if lines is not None else [SimpleNamespace(item=items[0], quantity=Decimal("2"))]
    prices = {line.item_id: line.unit_price for line in contract.lines.all()}
    total = sum((line.quantity * (getattr(line, "unit_price", None) or prices[line.item.pk]) for line in lines),
                Decimal("0.00"))
    return SimpleNamespace(pk=pk, contract=contract, organisation=organisation, state=state, total=total,
                           ordered_at=timezone.now(), created_at=timezone.now(), lines=lines)


def as_package(call_off) -> dict:
    content = calloffs.release_content(call_off)
    release = {"ocid": content["ocid"], "id": f"{content['ocid']}-0001", "date": ocds.stamp(timezone.now()),
               "tag": ["contract"], **content}
    return ocds.package([release], uri="https://samenaankoop.example.be/api/ocds/releases/")


@pytest.fixture
def framework(lifecycle, supplier):
    walk = lifecycle(kind=InitiativeKind.FRAMEWORK_CONTRACT)
    walk.walk(supplier)
    contract = Contract.objects.filter(initiative=walk.initiative, kind=ContractKind.FRAMEWORK).order_by("lot__number")[0]
    return walk, contract


@pytest.mark.django_db
def test_a_call_off_is_its_own_process_linked_to_the_framework(framework, supplier):
    walk, contract = framework
    call_off = stand_in(contract, walk.r.wetteren)
    package = as_package(call_off)
    assert_valid(package)
    release = package["releases"][0]
    framework_ocid = ocds.ocid(walk.initiative)
    assert release["ocid"] == f"{framework_ocid}-call-off-7" != framework_ocid
    assert release["relatedProcesses"] == [{"id": "framework", "relationship": ["framework"],
                                            "title": walk.initiative.title, "scheme": "ocid",
                                            "identifier": framework_ocid}]
    assert release["tender"]["procurementMethod"] == "limited" and release["tender"]["competitive"] is False
    assert {p["name"]: p["roles"] for p in release["parties"]} == {
        "Wetteren": ["procuringEntity", "buyer"], supplier.name: ["supplier"]}
    # Two laptops at the framework's price of 800.00.
    assert release["awards"][0]["value"] == {"amount": 1600.0, "currency": "EUR"}
    assert release["contracts"][0]["items"][0]["unit"]["value"]["amount"] == 800.0
    assert release["contracts"][0]["status"] == "active"


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "contract_status", "stage"), [
    ("delivered", "active", "contract"), ("closed", "terminated", "closed"), ("cancelled", "cancelled", "cancelled"),
])
def test_call_off_states_map_on_the_standards_codes(framework, state, contract_status, stage):
    walk, contract = framework
    call_off = stand_in(contract, walk.r.laarne, state=state)
    package = as_package(call_off)
    assert_valid(package)
    assert package["releases"][0]["contracts"][0]["status"] == contract_status
    assert calloffs.stage(call_off) == stage and stage in releases.TAGS
    assert calloffs.is_published(call_off)
    assert not calloffs.is_published(stand_in(contract, walk.r.laarne, state="draft"))


@pytest.mark.django_db
def test_call_offs_plug_in_through_the_audit_log():
    assert releases.process_of("contracts", "calloff", 5) == (releases.CALL_OFF, 5)
    if calloffs.call_off_model() is None:  # before issue 6: nothing to record, nothing breaks
        assert list(calloffs.call_offs_of(1)) == []
        assert releases.record_call_off(5) is None
        releases.ensure_recorded()


def test_a_draft_cancelled_before_it_was_ordered_is_not_published():
    from types import SimpleNamespace

    from opendata.calloffs import is_published

    assert not is_published(SimpleNamespace(state="cancelled", ordered_at=None))
    assert is_published(SimpleNamespace(state="cancelled", ordered_at="2027-01-04T10:00:00+01:00"))
    assert not is_published(SimpleNamespace(state="draft", ordered_at=None))
