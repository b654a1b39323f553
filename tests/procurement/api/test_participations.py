"""Participations: the list per initiative, joining, one participation, and replacing its demand."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procurement import services
from procurement.models import DemandLine, Participation
from tests.conftest import move

from .conftest import audit_count

pytestmark = pytest.mark.django_db


def list_url(round_) -> str:
    return f"/api/initiatives/{round_.initiative.pk}/participations/"


def url(participation) -> str:
    return f"/api/participations/{participation.pk}/"


def demand_url(participation) -> str:
    return f"/api/participations/{participation.pk}/demand/"


@pytest.fixture
def laarne_participation(round_) -> Participation:
    return services.participation_join(initiative=round_.initiative, actor=round_.laarne_people.ict,
                                       organisation=round_.laarne)


def lines_of(participation) -> list[tuple[int, str]]:
    return [(line.item_id, str(line.quantity)) for line in DemandLine.objects.filter(participation=participation)
            .order_by("item_id")]


# --- the list ---

@pytest.mark.parametrize("who, organisations", [
    ("lead.procurement", ["Laarne", "Wetteren"]),  # the lead's procurement officers see all
    ("lead.ict", []), ("lead.alderman", []), ("lead.viewer", []),  # the lead itself does not take part
    ("wetteren.ict", ["Wetteren"]), ("wetteren.alderman", ["Wetteren"]), ("wetteren.viewer", ["Wetteren"]),
    ("wetteren.procurement", ["Wetteren"]),
    ("laarne.viewer", ["Laarne"]),
])
def test_the_list_holds_own_participations_or_all_for_the_lead(
    round_, client_as, participation, laarne_participation, who, organisations
):
    answer = client_as(who).get(list_url(round_))

    assert answer.status_code == 200
    assert [p["organisation_name"] for p in answer.json()["results"]] == organisations


@pytest.mark.parametrize("who, status", [("outsider.ict", 404), ("anonymous", 401)])
def test_the_list_of_an_initiative_the_user_may_not_see(round_, client_as, participation, who, status):
    assert client_as(who).get(list_url(round_)).status_code == status


def test_a_list_row_carries_demand_and_subtotal(round_, client_as, participation):
    [row] = client_as("lead.procurement").get(list_url(round_)).json()["results"]

    assert row["id"] == participation.pk
    assert row["state"] == "draft"
    assert row["demand"] == [
        {"item": round_.laptop.pk, "quantity": "40.00", "max_quantity": None},
        {"item": round_.monitor.pk, "quantity": "12.00", "max_quantity": None},
    ]
    assert row["subtotal"] == "38520.00"


def test_the_list_costs_the_same_queries_for_more_participations(round_, client_as, participation):
    client = client_as("lead.procurement")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(list_url(round_)).status_code == 200
        return len(captured)

    before = queries()
    for people, organisation in ((round_.laarne_people, round_.laarne), (round_.lead_people, round_.lead)):
        services.participation_join(initiative=round_.initiative, actor=people.ict, organisation=organisation)
    assert queries() == before


# --- joining ---

@pytest.mark.parametrize("who, status", [
    ("wetteren.ict", 201),
    ("wetteren.alderman", 403), ("wetteren.procurement", 403), ("wetteren.viewer", 403),
    ("laarne.ict", 403),  # ICT staff, but of another organisation
    ("lead.procurement", 403),
    ("outsider.ict", 404),
    ("anonymous", 401),
])
def test_ict_staff_of_the_organisation_joins(round_, client_as, who, status):
    before = audit_count()

    answer = client_as(who).post(list_url(round_), {"organisation": round_.wetteren.pk}, format="json")

    assert answer.status_code == status
    if status == 201:
        body = answer.json()
        assert body["state"] == "draft"
        assert body["organisation"] == round_.wetteren.pk
        assert body["demand"] == []
        assert body["subtotal"] == "0.00"
        assert Participation.objects.get(pk=body["id"]).contact == round_.wetteren_people.ict
    else:
        assert not Participation.objects.exists()
        assert audit_count() == before


def test_a_second_participation_of_the_same_organisation_is_a_400(round_, client_as, participation):
    answer = client_as("wetteren.ict").post(list_url(round_), {"organisation": round_.wetteren.pk}, format="json")
    assert answer.status_code == 400
    assert answer.json() == {"organisation": ["Wetteren already takes part in this initiative."]}
    assert Participation.objects.count() == 1


def test_joining_needs_an_organisation(round_, client_as):
    answer = client_as("wetteren.ict").post(list_url(round_), {}, format="json")
    assert answer.status_code == 400
    assert answer.json() == {"organisation": ["This field is required."]}


def test_joining_after_pooling_closed_is_a_409(round_, client_as):
    move(round_.initiative, "deciding")
    answer = client_as("wetteren.ict").post(list_url(round_), {"organisation": round_.wetteren.pk}, format="json")
    assert answer.status_code == 409
    assert answer.json()["code"] == "initiative_not_pooling"
    assert not Participation.objects.exists()


# --- one participation ---

@pytest.mark.parametrize("who, status", [
    ("wetteren.ict", 200), ("wetteren.alderman", 200), ("wetteren.procurement", 200), ("wetteren.viewer", 200),
    ("lead.procurement", 200),
    # another organisation's participation is a 404, never a 403
    ("lead.ict", 404), ("lead.alderman", 404), ("lead.viewer", 404),
    ("laarne.ict", 404), ("laarne.alderman", 404), ("laarne.procurement", 404), ("laarne.viewer", 404),
    ("outsider.procurement", 404),
    ("anonymous", 401),
])
def test_a_participation_is_visible_to_its_organisation_and_the_leads_procurement(
    round_, client_as, participation, who, status
):
    answer = client_as(who).get(url(participation))
    assert answer.status_code == status


def test_the_detail_shows_decision_fields_demand_and_subtotal(round_, client_as, approved):
    body = client_as("wetteren.viewer").get(url(approved)).json()

    assert body["id"] == approved.pk
    assert body["initiative"] == round_.initiative.pk
    assert body["organisation"] == round_.wetteren.pk
    assert body["state"] == "approved"
    assert body["available_transitions"] == []  # a viewer may do nothing
    assert body["deciding_body"] == "college"
    assert body["decision_reference"] == "CBS/2026/117"
    assert body["decision_date"] == approved.decision_date.isoformat()
    assert body["demand"][0] == {"item": round_.laptop.pk, "quantity": "40.00", "max_quantity": None}
    assert body["subtotal"] == "38520.00"


def test_available_transitions_follow_role_and_state(round_, client_as, participation):
    assert client_as("wetteren.ict").get(url(participation)).json()["available_transitions"] == ["submit", "withdraw"]
    assert client_as("wetteren.alderman").get(url(participation)).json()["available_transitions"] == ["withdraw"]
    assert client_as("lead.procurement").get(url(participation)).json()["available_transitions"] == []


# --- demand ---

@pytest.mark.parametrize("who, status", [
    ("wetteren.ict", 200),
    ("wetteren.alderman", 403), ("wetteren.procurement", 403), ("wetteren.viewer", 403),
    ("lead.procurement", 403),  # sees it, may not enter another organisation's demand
    ("laarne.ict", 404), ("lead.ict", 404), ("outsider.ict", 404),
    ("anonymous", 401),
])
def test_only_ict_staff_of_the_organisation_replaces_the_demand(round_, client_as, participation, who, status):
    before = lines_of(participation), audit_count()

    answer = client_as(who).put(demand_url(participation), {"lines": [
        {"item": round_.laptop.pk, "quantity": "25"}, {"item": round_.dock.pk, "quantity": 25},
    ]}, format="json")

    assert answer.status_code == status
    if status == 200:
        body = answer.json()
        assert body["demand"] == [
            {"item": round_.laptop.pk, "quantity": "25.00", "max_quantity": None},
            {"item": round_.dock.pk, "quantity": "25.00", "max_quantity": None},
        ]
        assert body["subtotal"] == "27000.00"  # 25 × 900 + 25 × 180
    else:
        assert (lines_of(participation), audit_count()) == before


def test_wrong_lines_are_400_by_position_and_change_nothing(round_, client_as, participation):
    before = lines_of(participation), audit_count()

    answer = client_as("wetteren.ict").put(demand_url(participation), {"lines": [
        {"item": round_.laptop.pk, "quantity": "5"},
        {"item": round_.dock.pk, "quantity": "-1"},
        {"item": 999999, "quantity": "1.234"},
        {"item": round_.monitor.pk},
    ]}, format="json")

    assert answer.status_code == 400
    assert answer.json() == {"lines": [
        {},
        {"quantity": ["Enter zero or more."]},
        {"item": ["Item 999999 is not part of this initiative."], "quantity": ["Use at most two decimals."]},
        {"quantity": ["This field is required."]},
    ]}
    assert (lines_of(participation), audit_count()) == before


def test_a_decimal_comma_is_understood(round_, client_as, participation):
    answer = client_as("wetteren.ict").put(demand_url(participation), {"lines": [
        {"item": round_.laptop.pk, "quantity": "2,5"}]}, format="json")
    assert answer.status_code == 200
    assert answer.json()["demand"][0]["quantity"] == "2.50"


@pytest.mark.parametrize("body", [{}, {"lines": "40 laptops"}, {"lines": {"item": 1}}])
def test_lines_must_be_a_list(round_, client_as, participation, body):
    answer = client_as("wetteren.ict").put(demand_url(participation), body, format="json")
    assert answer.status_code == 400
    assert list(answer.json()) == ["lines"]


def test_an_empty_list_clears_the_demand(round_, client_as, participation):
    answer = client_as("wetteren.ict").put(demand_url(participation), {"lines": []}, format="json")
    assert answer.status_code == 200
    assert answer.json()["demand"] == []
    assert answer.json()["subtotal"] == "0.00"


def test_demand_of_a_submitted_participation_is_a_409(round_, client_as, submitted):
    before = lines_of(submitted), audit_count()

    answer = client_as("wetteren.ict").put(demand_url(submitted), {"lines": []}, format="json")

    assert answer.status_code == 409
    assert answer.json()["code"] == "participation_not_draft"
    assert (lines_of(submitted), audit_count()) == before


def test_demand_takes_put_only(round_, client_as, participation):
    assert client_as("wetteren.ict").get(demand_url(participation)).status_code == 405
