"""``POST /api/initiatives/<id>/transitions/<name>/``: who may call which, and what a refusal looks like."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core import formatting
from procurement.models import Initiative, InitiativeState
from tests.conftest import move

from .conftest import audit_count

pytestmark = pytest.mark.django_db


def transition_url(initiative, name: str) -> str:
    return f"/api/initiatives/{initiative.pk}/transitions/{name}/"


def state_of(initiative) -> str:
    return Initiative.objects.get(pk=initiative.pk).state


@pytest.mark.parametrize("who, status", [
    ("lead.procurement", 200),
    ("lead.ict", 403), ("lead.alderman", 403), ("lead.viewer", 403),
    ("wetteren.procurement", 403), ("laarne.procurement", 403),  # in the circle, not the lead
    ("outsider.procurement", 404),
    ("anonymous", 401),
])
def test_only_the_leads_procurement_officers_close_pooling(round_, client_as, who, status):
    before = audit_count()

    answer = client_as(who).post(transition_url(round_.initiative, "close_pooling"), format="json")

    assert answer.status_code == status
    if status == 200:
        assert state_of(round_.initiative) == "deciding"
        assert audit_count() == before + 1
    else:
        assert state_of(round_.initiative) == "pooling"
        assert audit_count() == before
    if status == 403:
        assert answer.json()["code"] == "permission_denied"


def test_the_answer_is_the_initiative_after_the_transition(round_, client_as):
    answer = client_as("lead.procurement").post(transition_url(round_.initiative, "close_pooling"))

    body = answer.json()
    assert body["id"] == round_.initiative.pk
    assert body["state"] == "deciding"
    assert body["available_transitions"] == ["reopen_pooling", "cancel"]
    assert "procedure_advice" in body


def test_opening_pooling_of_a_draft(round_, client_as, mailoutbox, django_capture_on_commit_callbacks):
    move(round_.initiative, InitiativeState.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        answer = client_as("lead.procurement").post(transition_url(round_.initiative, "open_pooling"))

    assert answer.status_code == 200
    assert answer.json()["state"] == "pooling"
    # The ICT staff of the invited organisations hear that pooling opened.
    assert {"ict.wetteren@example.be", "ict.laarne@example.be"} <= {m.to[0] for m in mailoutbox}


def test_a_transition_the_state_does_not_allow_is_a_409_and_changes_nothing(round_, client_as):
    before = audit_count()

    answer = client_as("lead.procurement").post(transition_url(round_.initiative, "open_pooling"))

    assert answer.status_code == 409
    assert answer.json() == {"detail": "This is not possible while the initiative is pooling demand.",
                             "code": "invalid_state"}
    assert (state_of(round_.initiative), audit_count()) == ("pooling", before)


def test_reopening_after_the_demand_deadline_names_the_deadline_unless_a_new_one_is_given(round_, client_as):
    passed = timezone.now() - timedelta(hours=1)
    Initiative.objects.filter(pk=round_.initiative.pk).update(demand_deadline=passed)
    move(round_.initiative, InitiativeState.DECIDING)
    client = client_as("lead.procurement")

    refused = client.post(transition_url(round_.initiative, "reopen_pooling"), {}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "demand_deadline_passed"
    assert formatting.deadline(passed) in refused.json()["detail"]
    assert state_of(round_.initiative) == "deciding"

    later = timezone.now() + timedelta(days=7)
    answer = client.post(transition_url(round_.initiative, "reopen_pooling"),
                         {"demand_deadline": later.isoformat()}, format="json")
    assert answer.status_code == 200
    assert answer.json()["state"] == "pooling"
    assert Initiative.objects.get(pk=round_.initiative.pk).demand_deadline == later


def test_reopening_with_a_deadline_in_the_past_is_a_field_error(round_, client_as):
    move(round_.initiative, InitiativeState.DECIDING)
    answer = client_as("lead.procurement").post(
        transition_url(round_.initiative, "reopen_pooling"),
        {"demand_deadline": (timezone.now() - timedelta(days=1)).isoformat()}, format="json")
    assert answer.status_code == 400
    assert list(answer.json()) == ["demand_deadline"]
    assert state_of(round_.initiative) == "deciding"


def test_confirming_participants_needs_an_approved_one(round_, client_as, approved):
    move(round_.initiative, InitiativeState.DECIDING)
    client = client_as("lead.procurement")

    answer = client.post(transition_url(round_.initiative, "confirm_participants"))

    assert answer.status_code == 200
    assert answer.json()["state"] == "ready"
    assert answer.json()["participation_counts"]["approved"] == 1


def test_confirming_without_an_approved_participation_is_a_409(round_, client_as, deciding):
    answer = client_as("lead.procurement").post(transition_url(round_.initiative, "confirm_participants"))
    assert answer.status_code == 409
    assert answer.json()["code"] == "no_approved_participant"
    assert state_of(round_.initiative) == "deciding"
    deciding.refresh_from_db()
    assert deciding.state == "submitted"  # nothing lapsed


def test_cancelling_records_the_reason(round_, client_as):
    answer = client_as("lead.procurement").post(transition_url(round_.initiative, "cancel"),
                                                {"reason": "Budget withdrawn"}, format="json")
    assert answer.status_code == 200
    assert answer.json()["state"] == "cancelled"
    assert answer.json()["reason"] == "Budget withdrawn"
    assert answer.json()["available_transitions"] == []


@pytest.mark.parametrize("body", [{}, {"reason": ""}])
def test_cancelling_without_a_reason_is_a_field_error(round_, client_as, body):
    before = audit_count()
    answer = client_as("lead.procurement").post(transition_url(round_.initiative, "cancel"), body, format="json")
    assert answer.status_code == 400
    assert list(answer.json()) == ["reason"]
    assert (state_of(round_.initiative), audit_count()) == ("pooling", before)


def test_cancelling_is_for_the_lead_only(round_, client_as):
    answer = client_as("wetteren.procurement").post(transition_url(round_.initiative, "cancel"),
                                                    {"reason": "Not needed"}, format="json")
    assert answer.status_code == 403
    assert state_of(round_.initiative) == "pooling"


@pytest.mark.parametrize("name", ["start_over", "lapse", "dance", "submit"])
def test_an_unknown_transition_is_a_404(round_, client_as, name):
    answer = client_as("lead.procurement").post(transition_url(round_.initiative, name))
    assert answer.status_code == 404
    assert "detail" in answer.json()
    assert state_of(round_.initiative) == "pooling"


def test_a_transition_on_an_initiative_that_does_not_exist_is_a_404(round_, client_as):
    assert client_as("lead.procurement").post("/api/initiatives/999999/transitions/close_pooling/").status_code == 404


def test_transitions_take_only_post(round_, client_as):
    assert client_as("lead.procurement").get(transition_url(round_.initiative, "close_pooling")).status_code == 405
