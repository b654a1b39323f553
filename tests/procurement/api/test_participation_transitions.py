"""``POST /api/participations/<id>/transitions/<name>/``: submit, reopen, withdraw, approve, decline."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core import formatting
from procurement.models import Initiative, Participation

from .conftest import audit_count

pytestmark = pytest.mark.django_db


def transition_url(participation, name: str) -> str:
    return f"/api/participations/{participation.pk}/transitions/{name}/"


def state_of(participation) -> str:
    return Participation.objects.get(pk=participation.pk).state


def decision(**changes) -> dict:
    return {"decision_date": date.today().isoformat(), "decision_reference": "CBS/2026/204", **changes}


# Who may act on Wetteren's participation: its own staff by role, the lead's procurement officer (who sees
# it but may not act for Wetteren), and people who may not see it at all.
SUBMIT = [
    ("wetteren.ict", 200),
    ("wetteren.alderman", 403), ("wetteren.procurement", 403), ("wetteren.viewer", 403),
    ("lead.procurement", 403),
    ("lead.ict", 404), ("laarne.ict", 404), ("outsider.ict", 404),
    ("anonymous", 401),
]
DECIDE = [
    ("wetteren.alderman", 200),
    ("wetteren.ict", 403), ("wetteren.procurement", 403), ("wetteren.viewer", 403),
    ("lead.procurement", 403),
    ("lead.alderman", 404), ("laarne.alderman", 404), ("outsider.alderman", 404),
    ("anonymous", 401),
]


@pytest.mark.parametrize("who, status", SUBMIT)
def test_ict_staff_of_the_organisation_submits(round_, client_as, participation, who, status):
    before = audit_count()

    answer = client_as(who).post(transition_url(participation, "submit"))

    assert answer.status_code == status
    if status == 200:
        assert answer.json()["state"] == "submitted"
        assert answer.json()["available_transitions"] == ["reopen", "withdraw"]
        assert answer.json()["submitted_at"] is not None
    else:
        assert (state_of(participation), audit_count()) == ("draft", before)


def test_submitting_asks_the_alderman_for_a_decision(round_, client_as, participation, mailoutbox,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = client_as("wetteren.ict").post(transition_url(participation, "submit"))

    assert answer.status_code == 200
    [mail] = [m for m in mailoutbox if m.to == ["alderman.wetteren@example.be"]]
    assert mail.subject == "Decision needed: Wetteren in Laptops 2027"


def test_submitting_after_the_demand_deadline_is_a_409_naming_the_deadline(round_, client_as, participation,
                                                                           mailoutbox,
                                                                           django_capture_on_commit_callbacks):
    passed = timezone.now() - timedelta(minutes=5)
    Initiative.objects.filter(pk=round_.initiative.pk).update(demand_deadline=passed)
    before = audit_count()

    with django_capture_on_commit_callbacks(execute=True):
        answer = client_as("wetteren.ict").post(transition_url(participation, "submit"))

    assert answer.status_code == 409
    assert answer.json() == {
        "detail": f"The demand deadline of {formatting.deadline(passed)} has passed.",
        "code": "demand_deadline_passed",
    }
    assert (state_of(participation), audit_count()) == ("draft", before)
    assert mailoutbox == []


def test_submitting_without_demand_is_a_409(round_, client_as, participation):
    client = client_as("wetteren.ict")
    client.put(f"/api/participations/{participation.pk}/demand/", {"lines": []}, format="json")

    answer = client.post(transition_url(participation, "submit"))

    assert answer.status_code == 409
    assert answer.json()["code"] == "no_demand"
    assert state_of(participation) == "draft"


@pytest.mark.parametrize("who, status", SUBMIT)
def test_ict_staff_of_the_organisation_reopens(round_, client_as, submitted, who, status):
    answer = client_as(who).post(transition_url(submitted, "reopen"))

    assert answer.status_code == status
    assert state_of(submitted) == ("draft" if status == 200 else "submitted")


@pytest.mark.parametrize("who, status", [
    ("wetteren.ict", 200), ("wetteren.alderman", 200),
    ("wetteren.procurement", 403), ("wetteren.viewer", 403), ("lead.procurement", 403),
    ("laarne.alderman", 404),
])
def test_ict_staff_or_the_alderman_withdraws(round_, client_as, participation, who, status):
    answer = client_as(who).post(transition_url(participation, "withdraw"), {"reason": "No budget"}, format="json")

    assert answer.status_code == status
    if status == 200:
        assert answer.json()["state"] == "withdrawn"
        assert answer.json()["withdraw_reason"] == "No budget"
    else:
        assert state_of(participation) == "draft"


def test_withdrawing_needs_no_reason(round_, client_as, participation):
    answer = client_as("wetteren.ict").post(transition_url(participation, "withdraw"))
    assert answer.status_code == 200
    assert answer.json()["state"] == "withdrawn"


@pytest.mark.parametrize("who, status", DECIDE)
def test_the_alderman_of_the_organisation_approves(round_, client_as, deciding, who, status):
    before = audit_count()

    answer = client_as(who).post(transition_url(deciding, "approve"), decision(deciding_body="council"),
                                 format="json")

    assert answer.status_code == status
    if status == 200:
        body = answer.json()
        assert body["state"] == "approved"
        assert body["decision_date"] == date.today().isoformat()
        assert body["decision_reference"] == "CBS/2026/204"
        assert body["deciding_body"] == "council"
    else:
        assert (state_of(deciding), audit_count()) == ("submitted", before)


@pytest.mark.parametrize("who, status", DECIDE)
def test_the_alderman_of_the_organisation_declines_with_a_reason(round_, client_as, deciding, who, status):
    answer = client_as(who).post(transition_url(deciding, "decline"), decision(reason="Own contract runs on"),
                                 format="json")

    assert answer.status_code == status
    assert state_of(deciding) == ("declined" if status == 200 else "submitted")
    if status == 200:
        assert answer.json()["decision_reason"] == "Own contract runs on"


def test_approving_without_date_and_reference_is_a_field_error(round_, client_as, deciding):
    answer = client_as("wetteren.alderman").post(transition_url(deciding, "approve"), {}, format="json")
    assert answer.status_code == 400
    assert answer.json() == {"decision_date": ["This field is required."],
                             "decision_reference": ["This field is required."]}
    assert state_of(deciding) == "submitted"


def test_declining_without_a_reason_is_a_field_error(round_, client_as, deciding):
    answer = client_as("wetteren.alderman").post(transition_url(deciding, "decline"), decision(), format="json")
    assert answer.status_code == 400
    assert answer.json() == {"reason": ["This field is required."]}
    assert state_of(deciding) == "submitted"


@pytest.mark.parametrize("body, field", [
    (decision(decision_date=(date.today() + timedelta(days=2)).isoformat()), "decision_date"),
    (decision(decision_date="21/11/2026"), "decision_date"),
    (decision(deciding_body="parliament"), "deciding_body"),
    (decision(decision_reference="x" * 101), "decision_reference"),
])
def test_a_wrong_decision_field_is_a_400_on_that_field(round_, client_as, deciding, body, field):
    before = audit_count()
    answer = client_as("wetteren.alderman").post(transition_url(deciding, "approve"), body, format="json")
    assert answer.status_code == 400
    assert list(answer.json()) == [field]
    assert (state_of(deciding), audit_count()) == ("submitted", before)


def test_approving_after_the_decision_deadline_is_a_409(round_, client_as, deciding):
    passed = timezone.now() - timedelta(minutes=5)
    Initiative.objects.filter(pk=round_.initiative.pk).update(decision_deadline=passed)

    answer = client_as("wetteren.alderman").post(transition_url(deciding, "approve"), decision(), format="json")

    assert answer.status_code == 409
    assert answer.json()["code"] == "decision_deadline_passed"
    assert formatting.deadline(passed) in answer.json()["detail"]
    assert state_of(deciding) == "submitted"


def test_approving_a_draft_is_a_409(round_, client_as, participation):
    answer = client_as("wetteren.alderman").post(transition_url(participation, "approve"), decision(),
                                                 format="json")
    assert answer.status_code == 409
    assert answer.json()["code"] == "invalid_state"


@pytest.mark.parametrize("name", ["lapse", "join", "adopt", "dance"])
def test_an_unknown_transition_is_a_404(round_, client_as, participation, name):
    answer = client_as("wetteren.ict").post(transition_url(participation, name))
    assert answer.status_code == 404
    assert state_of(participation) == "draft"


def test_a_transition_on_another_organisations_participation_is_a_404_and_changes_nothing(
    round_, client_as, participation
):
    before = audit_count()
    answer = client_as("laarne.ict").post(transition_url(participation, "withdraw"))
    assert answer.status_code == 404
    assert (state_of(participation), audit_count()) == ("draft", before)
