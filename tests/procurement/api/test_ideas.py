"""Ideas: proposing one, registering interest in it, adopting or shelving it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from procurement import services
from procurement.models import Initiative, InitiativeKind, Interest

from .conftest import audit_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(round_) -> Initiative:
    """Wetteren's ICT officer proposes a shared information security officer to the circle."""
    return services.idea_propose(
        actor=round_.wetteren_people.ict, kind=InitiativeKind.SHARED_HIRE, title="Shared security officer",
        description="One information security officer for the circle", circles=[round_.circle],
        proposing_organisation=round_.wetteren,
    )


# --- proposing ---

def new_idea(round_, organisation) -> dict:
    return {"kind": "shared_hire", "title": "GIS coordinator", "description": "Shared by five",
            "circles": [round_.circle.pk], "proposing_organisation": organisation.pk}


@pytest.mark.parametrize("who, status", [
    ("wetteren.ict", 201), ("wetteren.procurement", 201),
    ("wetteren.alderman", 403), ("wetteren.viewer", 403),
    ("laarne.ict", 403),  # ICT staff, but of another organisation
    ("anonymous", 401),
])
def test_ict_or_procurement_of_the_proposing_organisation_proposes(round_, client_as, who, status):
    before = Initiative.objects.count(), audit_count()

    answer = client_as(who).post("/api/ideas/", new_idea(round_, round_.wetteren), format="json")

    assert answer.status_code == status
    if status == 201:
        body = answer.json()
        assert body["state"] == "idea"
        assert body["proposing_organisation"] == round_.wetteren.pk
        assert body["lead_organisation"] is None
        assert body["procedure_advice"]["procedure"] == "recruitment"
    else:
        assert (Initiative.objects.count(), audit_count()) == before


def test_the_proposing_organisation_must_belong_to_every_circle(round_, client_as):
    answer = client_as("outsider.ict").post("/api/ideas/", new_idea(round_, round_.outsider), format="json")

    assert answer.status_code == 400
    assert answer.json() == {"proposing_organisation": ["Roeselare is not a member of: Scheldeland."]}


def test_an_idea_without_a_title_is_a_field_error(round_, client_as):
    body = new_idea(round_, round_.wetteren) | {"title": ""}
    answer = client_as("wetteren.ict").post("/api/ideas/", body, format="json")
    assert answer.status_code == 400
    assert answer.json() == {"title": ["This field may not be blank."]}


# --- interest ---

def interests_url(initiative) -> str:
    return f"/api/initiatives/{initiative.pk}/interests/"


@pytest.mark.parametrize("who, status", [
    ("wetteren.viewer", 200), ("laarne.alderman", 200), ("lead.procurement", 200),
    ("outsider.ict", 404), ("anonymous", 401),
])
def test_whoever_sees_the_idea_sees_its_interest(round_, client_as, idea, who, status):
    services.interest_register(initiative=idea, actor=round_.laarne_people.ict, organisation=round_.laarne,
                               estimated_quantity=Decimal("0.5"), note="Half a FTE")

    answer = client_as(who).get(interests_url(idea))

    assert answer.status_code == status
    if status == 200:
        [row] = answer.json()["results"]
        assert row["organisation"] == round_.laarne.pk
        assert row["organisation_name"] == "Laarne"
        assert row["estimated_quantity"] == "0.50"
        assert row["note"] == "Half a FTE"


@pytest.mark.parametrize("who, status", [
    ("wetteren.ict", 201), ("wetteren.procurement", 201),
    ("wetteren.alderman", 403), ("wetteren.viewer", 403),
    ("laarne.ict", 403),  # may register Laarne's interest, not Wetteren's
    ("lead.procurement", 403),
    ("outsider.ict", 404),
    ("anonymous", 401),
])
def test_ict_or_procurement_of_the_organisation_registers_its_interest(round_, client_as, idea, who, status):
    before = Interest.objects.count(), audit_count()

    answer = client_as(who).post(interests_url(idea), {"organisation": round_.wetteren.pk,
                                                       "estimated_quantity": "0.3"}, format="json")

    assert answer.status_code == status
    if status == 201:
        assert answer.json()["organisation"] == round_.wetteren.pk
        assert answer.json()["estimated_quantity"] == "0.30"
    else:
        assert (Interest.objects.count(), audit_count()) == before


def test_a_second_registration_replaces_the_first(round_, client_as, idea):
    client = client_as("laarne.ict")
    client.post(interests_url(idea), {"organisation": round_.laarne.pk, "estimated_quantity": "1"}, format="json")
    answer = client.post(interests_url(idea), {"organisation": round_.laarne.pk, "note": "Rather 0.2"},
                         format="json")

    assert answer.status_code == 201
    interest = Interest.objects.get(initiative=idea)
    assert (interest.estimated_quantity, interest.note) == (None, "Rather 0.2")


def test_interest_in_an_initiative_that_is_no_longer_an_idea_is_a_409(round_, client_as):
    answer = client_as("wetteren.ict").post(interests_url(round_.initiative), {"organisation": round_.wetteren.pk},
                                            format="json")
    assert answer.status_code == 409
    assert answer.json()["code"] == "not_an_idea"
    assert not Interest.objects.exists()


def test_a_negative_quantity_is_a_field_error(round_, client_as, idea):
    answer = client_as("wetteren.ict").post(interests_url(idea), {"organisation": round_.wetteren.pk,
                                                                  "estimated_quantity": "-1"}, format="json")
    assert answer.status_code == 400
    assert list(answer.json()) == ["estimated_quantity"]


# --- adopting and shelving ---

def adoption(round_, organisation) -> dict:
    now = timezone.now()
    return {"lead_organisation": organisation.pk, "legal_basis": "central_purchasing_body",
            "demand_deadline": (now + timedelta(days=20)).isoformat(),
            "decision_deadline": (now + timedelta(days=50)).isoformat()}


def transition_url(initiative, name: str) -> str:
    return f"/api/initiatives/{initiative.pk}/transitions/{name}/"


@pytest.mark.parametrize("who, status", [
    ("lead.procurement", 200),  # procurement of the organisation that will lead
    ("lead.ict", 403), ("lead.alderman", 403), ("lead.viewer", 403),
    ("laarne.procurement", 403),  # procurement, but of another organisation than the one named
    ("wetteren.ict", 403),  # the proposer
    ("outsider.procurement", 404),
    ("anonymous", 401),
])
def test_procurement_of_the_lead_organisation_adopts(round_, client_as, idea, who, status):
    before = audit_count()

    answer = client_as(who).post(transition_url(idea, "adopt"), adoption(round_, round_.lead), format="json")

    assert answer.status_code == status
    idea.refresh_from_db()
    if status == 200:
        body = answer.json()
        assert body["state"] == "draft"
        assert body["lead_organisation"] == round_.lead.pk
        assert body["legal_basis"] == "central_purchasing_body"
        assert idea.state == "draft"
    else:
        assert idea.state == "idea"
        assert idea.lead_organisation is None
        assert audit_count() == before


def test_adopting_without_deadlines_is_a_field_error(round_, client_as, idea):
    body = adoption(round_, round_.lead)
    del body["demand_deadline"], body["decision_deadline"]

    answer = client_as("lead.procurement").post(transition_url(idea, "adopt"), body, format="json")

    assert answer.status_code == 400
    assert set(answer.json()) == {"demand_deadline", "decision_deadline"}


def test_adopting_with_deadlines_out_of_order_changes_nothing(round_, client_as, idea):
    body = adoption(round_, round_.lead) | {"decision_deadline": timezone.now().isoformat()}
    before = audit_count()

    answer = client_as("lead.procurement").post(transition_url(idea, "adopt"), body, format="json")

    assert answer.status_code == 400
    assert "decision_deadline" in answer.json()
    idea.refresh_from_db()
    assert (idea.state, idea.lead_organisation_id, audit_count()) == ("idea", None, before)


@pytest.mark.parametrize("who, status", [
    ("wetteren.ict", 200),  # the proposing organisation
    ("laarne.procurement", 200),  # a procurement officer in the circle
    ("laarne.ict", 403), ("lead.alderman", 403), ("wetteren.viewer", 403),
    ("outsider.procurement", 404),
])
def test_the_proposer_or_procurement_in_the_circle_shelves_with_a_reason(round_, client_as, idea, who, status):
    answer = client_as(who).post(transition_url(idea, "shelve"), {"reason": "Nobody interested"}, format="json")

    assert answer.status_code == status
    idea.refresh_from_db()
    assert idea.state == ("shelved" if status == 200 else "idea")
    if status == 200:
        assert answer.json()["reason"] == "Nobody interested"


def test_shelving_needs_a_reason(round_, client_as, idea):
    answer = client_as("wetteren.ict").post(transition_url(idea, "shelve"), {}, format="json")
    assert answer.status_code == 400
    assert answer.json() == {"reason": ["This field is required."]}
    idea.refresh_from_db()
    assert idea.state == "idea"
