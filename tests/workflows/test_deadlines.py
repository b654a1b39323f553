"""Scheduled work: closing pooling at the demand deadline, and the reminders before it.

Both tasks run every minute or hour under Celery beat, possibly twice at once: each must act once.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from audit.models import AuditEntry
from core.errors import TransitionRefused
from procurement import services
from procurement.models import Initiative, InitiativeState, Participation, ParticipationState
from procurement.services import initiative_close_pooling_at_deadline
from tests import factories as f
from tests.conftest import move
from workflows import tasks
from workflows.models import DeadlineReminder

S = InitiativeState
P = ParticipationState
CLOSED = "procurement.initiative.pooling_closed"



def closed_entries(initiative) -> list[AuditEntry]:
    return list(AuditEntry.objects.for_object(initiative).filter(action=CLOSED))


# --- close_expired_pooling ---

def test_closes_once_the_deadline_has_passed(round_, clock, django_capture_on_commit_callbacks, mailoutbox):
    p = services.participation_join(initiative=round_.initiative, actor=round_.wetteren_people.ict,
                                    organisation=round_.wetteren)
    clock.set(round_.initiative.demand_deadline + timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.close_expired_pooling() == [round_.initiative.pk]
    assert round_.refresh().state == S.DECIDING
    [entry] = closed_entries(round_.initiative)
    assert (entry.actor, entry.from_state, entry.to_state, entry.data, entry.organisation) == (
        None, S.POOLING, S.DECIDING, {"by_deadline": True}, round_.lead)
    # The participants hear it: ICT staff and aldermen of the organisations that joined.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([round_.wetteren_people.ict.email,
                                                          round_.wetteren_people.alderman.email])
    assert {m.subject for m in mailoutbox} == {"Pooling closed: Laptops 2027"}
    # ... and a late submission is refused with the state message.
    with pytest.raises(TransitionRefused) as error:
        services.participation_submit(participation=p, actor=round_.wetteren_people.ict)
    assert error.value.code == "initiative_not_pooling"


def test_is_idempotent(round_, clock, django_capture_on_commit_callbacks, mailoutbox):
    clock.set(round_.initiative.demand_deadline + timedelta(minutes=1))
    assert tasks.close_expired_pooling() == [round_.initiative.pk]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert tasks.close_expired_pooling() == []
    assert callbacks == [] and mailoutbox == []
    assert len(closed_entries(round_.initiative)) == 1
    assert round_.refresh().state == S.DECIDING


def test_does_not_close_before_the_deadline(round_, clock):
    clock.set(round_.initiative.demand_deadline - timedelta(seconds=1))
    assert tasks.close_expired_pooling() == []
    assert round_.refresh().state == S.POOLING
    assert closed_entries(round_.initiative) == []
    clock.set(round_.initiative.demand_deadline)  # the deadline itself: closed (submissions until then count)
    assert tasks.close_expired_pooling() == [round_.initiative.pk]


@pytest.mark.parametrize("state", [S.DRAFT, S.DECIDING, S.READY, S.CANCELLED])
def test_leaves_other_states_alone(round_, clock, state):
    move(round_.initiative, state)
    clock.set(round_.initiative.demand_deadline + timedelta(days=1))
    assert tasks.close_expired_pooling() == []
    assert round_.refresh().state == state


def test_closes_only_the_initiatives_that_are_due(round_, clock):
    later = move(f.InitiativeFactory(demand_deadline=round_.initiative.demand_deadline + timedelta(days=2),
                                     decision_deadline=round_.initiative.decision_deadline), S.POOLING)
    earlier = move(f.InitiativeFactory(demand_deadline=round_.initiative.demand_deadline - timedelta(days=2)),
                   S.POOLING)
    clock.set(round_.initiative.demand_deadline + timedelta(minutes=1))
    assert sorted(tasks.close_expired_pooling()) == sorted([round_.initiative.pk, earlier.pk])
    assert Initiative.objects.get(pk=later.pk).state == S.POOLING


def test_a_run_that_comes_second_closes_nothing(round_, clock):
    """Two runs that both listed the initiative: the one that takes the lock second finds it closed."""
    clock.set(round_.initiative.demand_deadline + timedelta(minutes=1))
    assert initiative_close_pooling_at_deadline(initiative_id=round_.initiative.pk) is True
    assert initiative_close_pooling_at_deadline(initiative_id=round_.initiative.pk) is False
    assert len(closed_entries(round_.initiative)) == 1


def test_a_manual_close_before_the_run(round_, clock):
    services.initiative_close_pooling(initiative=round_.initiative, actor=round_.lead_people.procurement)
    clock.set(round_.initiative.demand_deadline + timedelta(minutes=1))
    assert tasks.close_expired_pooling() == []
    assert [e.data for e in closed_entries(round_.initiative)] == [{"by_deadline": False}]


def test_the_service_itself_refuses_before_the_deadline(round_, clock):
    clock.set(round_.initiative.demand_deadline - timedelta(minutes=1))
    assert initiative_close_pooling_at_deadline(initiative_id=round_.initiative.pk) is False
    assert round_.refresh().state == S.POOLING


# --- reminders ---

def reminded(mailoutbox) -> list[str]:
    return sorted(m.to[0] for m in mailoutbox)


@pytest.fixture
def submitted_wetteren(round_):
    p = services.participation_join(initiative=round_.initiative, actor=round_.wetteren_people.ict,
                                    organisation=round_.wetteren)
    services.demand_set(participation=p, actor=round_.wetteren_people.ict,
                        lines=[{"item": round_.laptop.pk, "quantity": "2"}])
    return services.participation_submit(participation=p, actor=round_.wetteren_people.ict)


def test_reminders_three_days_and_one_day_before(round_, submitted_wetteren, clock, mailoutbox):
    deadline = round_.initiative.demand_deadline
    # Laarne has not joined, Destelbergen (the lead, also in the circle) neither; Wetteren has submitted.
    not_submitted = sorted([round_.laarne_people.ict.email, round_.lead_people.ict.email])

    clock.set(deadline - timedelta(days=3, seconds=1))
    assert tasks.send_demand_deadline_reminders() == 0

    clock.set(deadline - timedelta(days=3))
    assert tasks.send_demand_deadline_reminders() == 2
    assert reminded(mailoutbox) == not_submitted
    shown = f"{deadline.astimezone(ZoneInfo('Europe/Brussels')):%d-%m-%Y %H:%M}"
    assert {m.subject for m in mailoutbox} == {f"Reminder: demand deadline {shown} for Laptops 2027"}
    assert all("is in 3 days" in m.body for m in mailoutbox)

    mailoutbox.clear()
    for hours in (0, 1, 23, 47):  # beat runs every hour: nothing more until one day before
        clock.set(deadline - timedelta(days=3) + timedelta(hours=hours))
        assert tasks.send_demand_deadline_reminders() == 0
    assert mailoutbox == []

    clock.set(deadline - timedelta(days=1))
    assert tasks.send_demand_deadline_reminders() == 2
    assert reminded(mailoutbox) == not_submitted
    assert all("is in 1 day:" in m.body for m in mailoutbox)

    mailoutbox.clear()
    clock.advance(hours=1)
    assert tasks.send_demand_deadline_reminders() == 0
    clock.set(deadline + timedelta(minutes=1))
    assert tasks.send_demand_deadline_reminders() == 0
    assert mailoutbox == []
    assert sorted(DeadlineReminder.objects.values_list("days_before", flat=True)) == [1, 3]


def test_a_late_first_run_sends_only_the_nearest_reminder(round_, clock, mailoutbox):
    clock.set(round_.initiative.demand_deadline - timedelta(hours=12))
    assert tasks.send_demand_deadline_reminders() == 3  # lead, Wetteren and Laarne ICT: nobody submitted
    assert all("is in 1 day:" in m.body for m in mailoutbox)
    assert tasks.send_demand_deadline_reminders() == 0
    assert sorted(DeadlineReminder.objects.values_list("days_before", flat=True)) == [1, 3]


def test_not_to_organisations_that_submitted(round_, clock, mailoutbox):
    """Draft counts as not submitted; every later state as submitted (a decision or an end)."""
    states = {round_.lead: P.DRAFT, round_.wetteren: P.APPROVED, round_.laarne: P.WITHDRAWN}
    for organisation, state in states.items():
        f.ParticipationFactory(initiative=round_.initiative, organisation=organisation, state=state)
    clock.set(round_.initiative.demand_deadline - timedelta(days=2))
    assert tasks.send_demand_deadline_reminders() == 1
    assert reminded(mailoutbox) == [round_.lead_people.ict.email]


def test_one_mail_per_person_and_only_to_active_people_with_an_address(round_, clock, mailoutbox):
    both = round_.laarne_people.ict
    f.MembershipFactory(user=both, organisation=round_.wetteren, role="ict")  # ICT in two organisations
    type(round_.lead_people.ict).objects.filter(pk=round_.lead_people.ict.pk).update(is_active=False)
    type(round_.wetteren_people.ict).objects.filter(pk=round_.wetteren_people.ict.pk).update(email="")
    clock.set(round_.initiative.demand_deadline - timedelta(days=2))
    assert tasks.send_demand_deadline_reminders() == 1
    assert reminded(mailoutbox) == [both.email]


def test_a_moved_deadline_gets_its_own_reminders(round_, clock, mailoutbox):
    clock.set(round_.initiative.demand_deadline - timedelta(days=2))
    assert tasks.send_demand_deadline_reminders() == 3
    services.initiative_update(initiative=round_.initiative, actor=round_.lead_people.procurement,
                               demand_deadline=round_.initiative.demand_deadline + timedelta(days=1))
    assert tasks.send_demand_deadline_reminders() == 3  # 3 days before the new deadline
    assert tasks.send_demand_deadline_reminders() == 0


@pytest.mark.parametrize("state", [S.DRAFT, S.DECIDING, S.CANCELLED])
def test_no_reminders_unless_pooling(round_, clock, mailoutbox, state):
    move(round_.initiative, state)
    clock.set(round_.initiative.demand_deadline - timedelta(days=1))
    assert tasks.send_demand_deadline_reminders() == 0
    assert mailoutbox == []


def test_participations_are_untouched_by_reminders(round_, submitted_wetteren, clock):
    clock.set(round_.initiative.demand_deadline - timedelta(days=1))
    tasks.send_demand_deadline_reminders()
    assert Participation.objects.get(pk=submitted_wetteren.pk).state == P.SUBMITTED
