"""Every transition of a participation (DESIGN.md §3): the allowed path, and each refusal — wrong state,
deadline passed, wrong role, other organisation — with its message and code. A refusal changes nothing:
no state, no demand line, no audit entry, no queued mail (the ``nothing_changes`` fixture)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from core.errors import InvalidInput, NotAllowed, TransitionRefused
from procurement import actions, services
from procurement.models import DecidingBody, Initiative, InitiativeState, Participation, ParticipationState
from tests.conftest import move

P = ParticipationState
S = InitiativeState
BRUSSELS = ZoneInfo("Europe/Brussels")



def last_entry(obj) -> AuditEntry:
    return AuditEntry.objects.for_object(obj).order_by("-id").first()


@pytest.fixture
def draft(round_) -> Participation:
    """Wetteren has joined and entered 10 laptops and 5 screens (10 050 €), not yet submitted."""
    people = round_.wetteren_people
    p = services.participation_join(initiative=round_.initiative, actor=people.ict, organisation=round_.wetteren)
    return services.demand_set(participation=p, actor=people.ict, lines=[
        {"item": round_.laptop.pk, "quantity": "10"}, {"item": round_.monitor.pk, "quantity": "5"}])


@pytest.fixture
def submitted(round_, draft) -> Participation:
    return services.participation_submit(participation=draft, actor=round_.wetteren_people.ict)


@pytest.fixture
def deciding(round_, submitted) -> Participation:
    services.initiative_close_pooling(initiative=round_.initiative, actor=round_.lead_people.procurement)
    return submitted


def other_people(round_):
    """Who may not act for Wetteren: its own people without the role, and everyone of other organisations."""
    return {
        "wetteren viewer": round_.wetteren_people.viewer,
        "wetteren procurement": round_.wetteren_people.procurement,
        "laarne ict": round_.laarne_people.ict,
        "laarne alderman": round_.laarne_people.alderman,
        "lead procurement": round_.lead_people.procurement,
        "outsider ict": round_.outsider_people.ict,
    }


def refused(nothing_changes, error_class, call):
    with nothing_changes(), pytest.raises(error_class) as error:
        call()
    return error.value


# --- join ---

def test_join(round_):
    ict = round_.wetteren_people.ict
    p = services.participation_join(initiative=round_.initiative, actor=ict, organisation=round_.wetteren)
    p = Participation.objects.get(pk=p.pk)
    assert (p.state, p.contact, p.deciding_body) == (P.DRAFT, ict, DecidingBody.COLLEGE)
    entry = last_entry(p)
    assert (entry.action, entry.actor, entry.organisation, entry.to_state) == (
        "procurement.participation.joined", ict, round_.wetteren, P.DRAFT)


@pytest.mark.parametrize("who", ["alderman", "procurement", "viewer"])
def test_join_needs_the_ict_role(round_, nothing_changes, who):
    actor = getattr(round_.wetteren_people, who)
    error = refused(nothing_changes, NotAllowed, lambda: services.participation_join(
        initiative=round_.initiative, actor=actor, organisation=round_.wetteren))
    assert (str(error), error.code) == ("Only ICT staff of Wetteren can join a round for it.", "permission_denied")


def test_join_for_another_organisation(round_, nothing_changes):
    error = refused(nothing_changes, NotAllowed, lambda: services.participation_join(
        initiative=round_.initiative, actor=round_.laarne_people.ict, organisation=round_.wetteren))
    assert error.code == "permission_denied"


def test_join_when_not_invited(round_, nothing_changes):
    error = refused(nothing_changes, InvalidInput, lambda: services.participation_join(
        initiative=round_.initiative, actor=round_.outsider_people.ict, organisation=round_.outsider))
    assert error.errors == {
        "organisation": ["Roeselare is not in a knowledge circle this initiative is offered to."]}


@pytest.mark.parametrize("state", [S.IDEA, S.DRAFT, S.DECIDING, S.READY, S.TENDERING, S.CANCELLED])
def test_join_only_while_pooling(round_, nothing_changes, state):
    move(round_.initiative, state)
    error = refused(nothing_changes, TransitionRefused, lambda: services.participation_join(
        initiative=round_.initiative, actor=round_.wetteren_people.ict, organisation=round_.wetteren))
    assert error.code == "initiative_not_pooling"
    label = Initiative(state=state).get_state_display()
    assert str(error) == f"Organisations can join only while demand is being pooled (the initiative is {label})."


def test_join_after_the_deadline(round_, nothing_changes, clock):
    clock.set(round_.initiative.demand_deadline + timedelta(seconds=1))
    error = refused(nothing_changes, TransitionRefused, lambda: services.participation_join(
        initiative=round_.initiative, actor=round_.wetteren_people.ict, organisation=round_.wetteren))
    assert error.code == "demand_deadline_passed"
    assert str(error) == (f"The demand deadline of "
                          f"{round_.initiative.demand_deadline.astimezone(BRUSSELS):%d-%m-%Y %H:%M} has passed.")


def test_join_twice(round_, draft, nothing_changes):
    error = refused(nothing_changes, InvalidInput, lambda: services.participation_join(
        initiative=round_.initiative, actor=round_.wetteren_people.ict, organisation=round_.wetteren))
    assert error.code == "already_joined"
    assert error.errors == {"organisation": ["Wetteren already takes part in this initiative."]}


# --- submit ---

def test_submit(round_, draft, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        p = services.participation_submit(participation=draft, actor=round_.wetteren_people.ict)
    p = Participation.objects.get(pk=p.pk)
    assert p.state == P.SUBMITTED
    assert p.submitted_at is not None
    entry = last_entry(p)
    assert (entry.action, entry.from_state, entry.to_state, entry.actor, entry.organisation, entry.data) == (
        "procurement.participation.submitted", P.DRAFT, P.SUBMITTED, round_.wetteren_people.ict, round_.wetteren,
        {"subtotal": "10050.00"})
    assert [m.to for m in mailoutbox] == [[round_.wetteren_people.alderman.email]]


@pytest.mark.parametrize("who", ["wetteren viewer", "wetteren procurement", "laarne ict", "laarne alderman",
                                 "lead procurement", "outsider ict"])
def test_submit_wrong_role_or_other_organisation(round_, draft, nothing_changes, who):
    actor = other_people(round_)[who]
    error = refused(nothing_changes, NotAllowed,
                    lambda: services.participation_submit(participation=draft, actor=actor))
    assert (str(error), error.code) == ("You are not allowed to do this for Wetteren · Laptops 2027.",
                                        "permission_denied")


def test_the_alderman_cannot_submit(round_, draft, nothing_changes):
    error = refused(nothing_changes, NotAllowed, lambda: services.participation_submit(
        participation=draft, actor=round_.wetteren_people.alderman))
    assert error.code == "permission_denied"


@pytest.mark.parametrize("state", [P.SUBMITTED, P.APPROVED, P.DECLINED, P.WITHDRAWN, P.LAPSED])
def test_submit_wrong_state(round_, draft, nothing_changes, state):
    move(draft, state)
    error = refused(nothing_changes, TransitionRefused, lambda: services.participation_submit(
        participation=draft, actor=round_.wetteren_people.ict))
    assert error.code == "invalid_state"
    assert str(error) == f"This is not possible while the participation is {Participation(state=state).get_state_display()}."


@pytest.mark.parametrize(("state", "label"), [(S.DRAFT, "draft"), (S.DECIDING, "awaiting decisions"),
                                              (S.READY, "ready for tender"), (S.CANCELLED, "cancelled")])
def test_submit_only_while_the_initiative_pools(round_, draft, nothing_changes, state, label):
    move(round_.initiative, state)
    error = refused(nothing_changes, TransitionRefused, lambda: services.participation_submit(
        participation=draft, actor=round_.wetteren_people.ict))
    assert error.code == "initiative_not_pooling"
    assert str(error) == f"Demand can only be submitted while the initiative is pooling demand (it is now: {label})."


@pytest.mark.parametrize(
    ("deadline", "shown"),
    [
        (datetime(2026, 3, 10, 16, 0, tzinfo=UTC), "10-03-2026 17:00"),  # winter: UTC+1
        (datetime(2026, 7, 1, 15, 30, tzinfo=UTC), "01-07-2026 17:30"),  # summer: UTC+2
        (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), "01-01-2027 00:00"),  # already the next day in Brussels
    ],
)
def test_submit_after_the_deadline_names_the_deadline_in_brussels_time(
    round_, draft, nothing_changes, clock, deadline, shown
):
    Initiative.objects.filter(pk=round_.initiative.pk).update(demand_deadline=deadline)
    clock.set(deadline + timedelta(seconds=1))
    error = refused(nothing_changes, TransitionRefused, lambda: services.participation_submit(
        participation=draft, actor=round_.wetteren_people.ict))
    assert error.code == "demand_deadline_passed"
    assert str(error) == f"The demand deadline of {shown} has passed."


def test_submit_at_the_deadline_itself_is_in_time(round_, draft, clock):
    clock.set(round_.initiative.demand_deadline)
    assert services.participation_submit(participation=draft, actor=round_.wetteren_people.ict).state == P.SUBMITTED


def test_a_submission_is_stamped_at_the_moment_its_deadline_was_checked(round_, draft, monkeypatch):
    """On a busy server the clock moves between the deadline check and the stamp; an accepted submission
    must never look late. Here the first reading of the clock is the deadline itself, and every later
    reading a second after the one before."""
    deadline = round_.initiative.demand_deadline
    readings = iter(deadline + timedelta(seconds=n) for n in range(1000))
    monkeypatch.setattr(timezone, "now", lambda: next(readings))
    draft = services.participation_submit(participation=draft, actor=round_.wetteren_people.ict)
    assert draft.state == P.SUBMITTED
    assert draft.submitted_at <= deadline
    assert Participation.objects.get(pk=draft.pk).submitted_at == draft.submitted_at


@pytest.mark.parametrize("lines", [[], [{"quantity": "0"}], [{"quantity": "0"}, {"quantity": "0.00"}]])
def test_submit_needs_a_quantity_above_zero(round_, draft, nothing_changes, lines):
    items = [round_.laptop, round_.dock]
    services.demand_set(participation=draft, actor=round_.wetteren_people.ict,
                        lines=[{"item": items[i].pk, **line} for i, line in enumerate(lines)])
    error = refused(nothing_changes, TransitionRefused, lambda: services.participation_submit(
        participation=draft, actor=round_.wetteren_people.ict))
    assert error.code == "no_demand"
    assert str(error) == "Enter a quantity above zero for at least one item before submitting."


# --- reopen ---

def test_reopen(round_, submitted):
    p = services.participation_reopen(participation=submitted, actor=round_.wetteren_people.ict)
    p = Participation.objects.get(pk=p.pk)
    assert (p.state, p.submitted_at) == (P.DRAFT, None)
    assert last_entry(p).action == "procurement.participation.reopened"
    assert p.lines.count() == 2  # the demand stays, to be changed and submitted again


@pytest.mark.parametrize("who", ["wetteren viewer", "laarne ict", "lead procurement"])
def test_reopen_wrong_role_or_other_organisation(round_, submitted, nothing_changes, who):
    actor = other_people(round_)[who]
    error = refused(nothing_changes, NotAllowed,
                    lambda: services.participation_reopen(participation=submitted, actor=actor))
    assert error.code == "permission_denied"


@pytest.mark.parametrize("state", [P.DRAFT, P.APPROVED, P.DECLINED, P.WITHDRAWN, P.LAPSED])
def test_reopen_wrong_state(round_, submitted, nothing_changes, state):
    move(submitted, state)
    error = refused(nothing_changes, TransitionRefused, lambda: services.participation_reopen(
        participation=submitted, actor=round_.wetteren_people.ict))
    assert error.code == "invalid_state"


def test_reopen_after_pooling_closed(round_, deciding, nothing_changes):
    error = refused(nothing_changes, TransitionRefused, lambda: services.participation_reopen(
        participation=deciding, actor=round_.wetteren_people.ict))
    assert error.code == "initiative_not_pooling"


def test_reopen_after_the_deadline(round_, submitted, nothing_changes, clock):
    clock.set(round_.initiative.demand_deadline + timedelta(minutes=1))
    error = refused(nothing_changes, TransitionRefused, lambda: services.participation_reopen(
        participation=submitted, actor=round_.wetteren_people.ict))
    assert error.code == "demand_deadline_passed"


# --- approve and decline ---

def decide(name, participation, actor, **overrides):
    kwargs = {"decision_date": timezone.localdate(), "decision_reference": "CBS/2026/117"}
    if name == "decline":
        kwargs["reason"] = "No budget in 2027."
    kwargs.update(overrides)
    service = services.participation_approve if name == "approve" else services.participation_decline
    return service(participation=participation, actor=actor, **kwargs)


@pytest.mark.parametrize(("name", "state"), [("approve", P.APPROVED), ("decline", P.DECLINED)])
@pytest.mark.parametrize("initiative_state", [S.POOLING, S.DECIDING])
def test_decide(round_, submitted, name, state, initiative_state):
    move(round_.initiative, initiative_state)
    alderman = round_.wetteren_people.alderman
    p = decide(name, submitted, alderman, deciding_body=DecidingBody.COUNCIL, decision_reference=" GR/2026/12 ")
    p = Participation.objects.get(pk=p.pk)
    assert (p.state, p.decision_date, p.decision_reference, p.deciding_body, p.decided_by) == (
        state, timezone.localdate(), "GR/2026/12", DecidingBody.COUNCIL, alderman)
    assert p.decided_at is not None
    assert p.decision_reason == ("No budget in 2027." if name == "decline" else "")
    entry = last_entry(p)
    assert (entry.action, entry.from_state, entry.to_state, entry.actor) == (
        f"procurement.participation.{state}", P.SUBMITTED, state, alderman)
    assert entry.data["decision_date"] == timezone.localdate().isoformat()


def test_approve_keeps_the_organisations_deciding_body_when_none_given(round_, submitted):
    p = decide("approve", submitted, round_.wetteren_people.alderman)
    assert Participation.objects.get(pk=p.pk).deciding_body == DecidingBody.COLLEGE


@pytest.mark.parametrize("name", ["approve", "decline"])
@pytest.mark.parametrize("who", ["wetteren ict", "wetteren viewer", "wetteren procurement", "laarne alderman",
                                 "lead procurement"])
def test_decide_wrong_role_or_other_organisation(round_, deciding, nothing_changes, name, who):
    actor = {**other_people(round_), "wetteren ict": round_.wetteren_people.ict}[who]
    error = refused(nothing_changes, NotAllowed, lambda: decide(name, deciding, actor))
    assert (str(error), error.code) == ("You are not allowed to do this for Wetteren · Laptops 2027.",
                                        "permission_denied")


@pytest.mark.parametrize("name", ["approve", "decline"])
@pytest.mark.parametrize("state", [P.DRAFT, P.APPROVED, P.DECLINED, P.WITHDRAWN, P.LAPSED])
def test_decide_wrong_state(round_, deciding, nothing_changes, name, state):
    move(deciding, state)
    error = refused(nothing_changes, TransitionRefused, lambda: decide(name, deciding, round_.wetteren_people.alderman))
    assert error.code == "invalid_state"


@pytest.mark.parametrize("name", ["approve", "decline"])
@pytest.mark.parametrize("state", [S.READY, S.TENDERING, S.CANCELLED])
def test_decide_after_the_freeze(round_, deciding, nothing_changes, name, state):
    move(round_.initiative, state)
    error = refused(nothing_changes, TransitionRefused, lambda: decide(name, deciding, round_.wetteren_people.alderman))
    assert error.code == "initiative_not_deciding"
    assert str(error).startswith("Decisions can no longer be recorded: the initiative is ")


@pytest.mark.parametrize("name", ["approve", "decline"])
def test_decide_after_the_decision_deadline(round_, deciding, nothing_changes, clock, name):
    deadline = datetime(2027, 1, 15, 11, 0, tzinfo=UTC)
    Initiative.objects.filter(pk=round_.initiative.pk).update(decision_deadline=deadline)
    clock.set(deadline + timedelta(seconds=1))
    error = refused(nothing_changes, TransitionRefused, lambda: decide(
        name, deciding, round_.wetteren_people.alderman, decision_date=datetime(2027, 1, 15).date()))
    assert error.code == "decision_deadline_passed"
    assert str(error) == "The decision deadline of 15-01-2027 12:00 has passed."


@pytest.mark.parametrize("name", ["approve", "decline"])
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"decision_date": None}, "decision_date", "This field is required."),
        ({"decision_reference": ""}, "decision_reference", "This field is required."),
        ({"decision_reference": "   "}, "decision_reference", "This field is required."),
        ({"decision_reference": "x" * 101}, "decision_reference", "Use at most 100 characters."),
        ({"decision_date": "tomorrow"}, "decision_date", "A decision date cannot lie in the future."),
        ({"deciding_body": "parliament"}, "deciding_body", "Choose one of: "),
    ],
)
def test_decide_needs_date_and_reference(round_, deciding, nothing_changes, name, overrides, field, message):
    if overrides.get("decision_date") == "tomorrow":
        overrides = {"decision_date": timezone.localdate() + timedelta(days=1)}
    error = refused(nothing_changes, InvalidInput, lambda: decide(name, deciding, round_.wetteren_people.alderman,
                                                                  **overrides))
    assert list(error.errors) == [field]
    assert error.errors[field][0].startswith(message)


@pytest.mark.parametrize("reason", ["", "  ", None])
def test_decline_needs_a_reason(round_, deciding, nothing_changes, reason):
    error = refused(nothing_changes, InvalidInput, lambda: decide("decline", deciding, round_.wetteren_people.alderman,
                                                                  reason=reason))
    assert error.errors == {"reason": ["Give the reason for declining."]}


def test_permission_and_state_come_before_the_input(round_, draft, nothing_changes):
    """Someone who may not decide learns that (403), not that a field is missing (400)."""
    error = refused(nothing_changes, NotAllowed, lambda: decide("approve", draft, round_.laarne_people.alderman,
                                                                decision_date=None))
    assert error.code == "permission_denied"
    error = refused(nothing_changes, TransitionRefused, lambda: decide("approve", draft,
                                                                       round_.wetteren_people.alderman,
                                                                       decision_date=None))
    assert error.code == "invalid_state"


# --- withdraw ---

@pytest.mark.parametrize("state", [P.DRAFT, P.SUBMITTED, P.APPROVED])
@pytest.mark.parametrize("initiative_state", [S.POOLING, S.DECIDING])
@pytest.mark.parametrize("who", ["ict", "alderman"])
def test_withdraw(round_, draft, state, initiative_state, who):
    move(draft, state)
    move(round_.initiative, initiative_state)
    actor = getattr(round_.wetteren_people, who)
    p = services.participation_withdraw(participation=draft, actor=actor, reason=" Budget cut ")
    p = Participation.objects.get(pk=p.pk)
    assert (p.state, p.withdraw_reason) == (P.WITHDRAWN, "Budget cut")
    entry = last_entry(p)
    assert (entry.action, entry.from_state, entry.to_state, entry.actor) == (
        "procurement.participation.withdrawn", state, P.WITHDRAWN, actor)


@pytest.mark.parametrize("who", ["wetteren viewer", "wetteren procurement", "laarne ict", "laarne alderman",
                                 "lead procurement"])
def test_withdraw_wrong_role_or_other_organisation(round_, draft, nothing_changes, who):
    actor = other_people(round_)[who]
    error = refused(nothing_changes, NotAllowed,
                    lambda: services.participation_withdraw(participation=draft, actor=actor))
    assert error.code == "permission_denied"


@pytest.mark.parametrize("state", [P.DECLINED, P.WITHDRAWN, P.LAPSED])
def test_withdraw_wrong_state(round_, draft, nothing_changes, state):
    move(draft, state)
    error = refused(nothing_changes, TransitionRefused, lambda: services.participation_withdraw(
        participation=draft, actor=round_.wetteren_people.ict))
    assert error.code == "invalid_state"


@pytest.mark.parametrize("state", [S.READY, S.TENDERING, S.AWARDED, S.ACTIVE])
def test_withdraw_only_before_ready(round_, draft, nothing_changes, state):
    move(draft, P.APPROVED)
    move(round_.initiative, state)
    error = refused(nothing_changes, TransitionRefused, lambda: services.participation_withdraw(
        participation=draft, actor=round_.wetteren_people.alderman))
    assert error.code == "participants_frozen"
    assert str(error).startswith("Participants are frozen once the initiative is ready for tender (it is now: ")


# --- lapse (the system, at confirm_participants; see test_initiative_services for the confirmation) ---

@pytest.mark.parametrize("state", [P.DRAFT, P.SUBMITTED])
def test_lapse(round_, draft, state):
    move(draft, state)
    move(round_.initiative, S.DECIDING)
    p = services.participation_lapse(participation=draft)
    assert Participation.objects.get(pk=p.pk).state == P.LAPSED
    entry = last_entry(p)
    assert (entry.action, entry.from_state, entry.actor) == ("procurement.participation.lapsed", state, None)


@pytest.mark.parametrize("state", [P.APPROVED, P.DECLINED, P.WITHDRAWN, P.LAPSED])
def test_lapse_wrong_state(round_, draft, nothing_changes, state):
    move(draft, state)
    move(round_.initiative, S.DECIDING)
    error = refused(nothing_changes, TransitionRefused, lambda: services.participation_lapse(participation=draft))
    assert error.code == "invalid_state"


def test_lapse_only_when_participants_are_confirmed(round_, draft, nothing_changes):
    error = refused(nothing_changes, TransitionRefused, lambda: services.participation_lapse(participation=draft))
    assert (str(error), error.code) == ("A participation lapses only when the participants are confirmed.",
                                        "initiative_not_deciding")


# --- what a person may do now ---

def test_available_transitions(round_, draft):
    people = round_.wetteren_people
    assert actions.PARTICIPATION.available_names(draft, actor=people.ict) == ["submit", "withdraw"]
    assert actions.PARTICIPATION.available_names(draft, actor=people.alderman) == ["withdraw"]
    assert actions.PARTICIPATION.available_names(draft, actor=round_.laarne_people.ict) == []
    submitted = services.participation_submit(participation=draft, actor=people.ict)
    assert actions.PARTICIPATION.available_names(submitted, actor=people.ict) == ["reopen", "withdraw"]
    assert actions.PARTICIPATION.available_names(submitted, actor=people.alderman) == ["approve", "decline", "withdraw"]
    assert actions.PARTICIPATION.available_names(submitted, actor=people.viewer) == []


def test_stale_objects_are_read_again(round_, draft):
    """A service locks and reads the row itself; the caller's copy may be old."""
    stale = Participation.objects.get(pk=draft.pk)
    services.participation_submit(participation=draft, actor=round_.wetteren_people.ict)
    with pytest.raises(TransitionRefused) as error:
        services.participation_submit(participation=stale, actor=round_.wetteren_people.ict)
    assert error.value.code == "invalid_state"
    assert AuditEntry.objects.filter(action="procurement.participation.submitted").count() == 1
    assert Decimal(AuditEntry.objects.get(action="procurement.participation.submitted").data["subtotal"]) == Decimal(
        "10050.00")


def test_the_nothing_changes_check_itself_notices_a_change(round_, draft, nothing_changes):
    with pytest.raises(AssertionError), nothing_changes():
        services.participation_submit(participation=draft, actor=round_.wetteren_people.ict)
