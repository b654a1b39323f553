"""The deadline rush: 100 organisations submit at the last moment while the deadline task closes pooling.

100 threads (each its own database connection) save their demand and submit through the services, spread
over the second around the demand deadline; the deadline task (``workflows.tasks.close_expired_pooling``)
runs the moment the deadline passes. Each submission must be accepted before the close, or refused with
the deadline message (or, once closed, the state message); nothing may be lost or counted twice: lines,
audit entries and the alderman's decision tasks must tell the same story.

At most ``CONNECTIONS`` threads talk to PostgreSQL at once (PostgreSQL's default allows 100 connections,
shared with the rest of the machine); the others wait their turn, as requests wait for a free web worker.
The smaller version with twelve organisations is tests/procurement/test_concurrency.py.
"""

import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from audit.models import AuditEntry
from core import formatting
from core.errors import DomainError
from procurement import services
from procurement.models import DemandLine, Initiative, InitiativeState, Participation, ParticipationState, Role
from tests import factories as f
from tests.reliability.conftest import require_postgresql
from workflows import tasks
from workflows.models import DecisionProcess

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_thresholds"),
]
ORGANISATIONS = 100
CONNECTIONS = 40
SPREAD = 1.6  # seconds over which the submissions start
DEADLINE_AFTER = 0.8  # seconds after the start: about half are early, half late


@dataclass
class Outcome:
    demand_set: bool = False
    submitted: bool = False
    refusal: DomainError | None = None
    error: BaseException | None = None


def rush_round():
    require_postgresql()
    lead = f.OrganisationFactory(name="Aankoopcentrale")
    officer = f.UserFactory(username="officer")
    f.MembershipFactory(user=officer, organisation=lead, role=Role.PROCUREMENT)
    circle = f.CircleFactory()
    initiative = f.InitiativeFactory(lead_organisation=lead, circles=[circle])
    laptop = f.ItemFactory(lot__initiative=initiative, estimated_unit_price=Decimal("899.99"))
    screen = f.ItemFactory(lot=laptop.lot, estimated_unit_price=Decimal("210.45"))
    services.initiative_open_pooling(initiative=initiative, actor=officer)
    participations, ict = [], {}
    for n in range(ORGANISATIONS):
        organisation = f.OrganisationFactory(name=f"Bestuur {n:03d}")
        circle.organisations.add(organisation)
        user = f.UserFactory(username=f"ict{n:03d}")
        f.MembershipFactory(user=user, organisation=organisation, role=Role.ICT)
        f.MembershipFactory(user=f.UserFactory(username=f"alderman{n:03d}"), organisation=organisation,
                            role=Role.ALDERMAN)
        p = services.participation_join(initiative=initiative, actor=user, organisation=organisation)
        participations.append(p)
        ict[p.pk] = user.pk
    return Initiative.objects.get(pk=initiative.pk), participations, ict, (laptop, screen)


def lines_for(n: int, items) -> list[dict]:
    laptop, screen = items
    return [{"item": laptop.pk, "quantity": str(n + 1)}, {"item": screen.pk, "quantity": "2.50"}]


def test_a_hundred_submissions_racing_the_deadline_task():
    initiative, participations, ict, items = rush_round()
    start = threading.Barrier(ORGANISATIONS + 2)  # the submitters, the deadline task, this thread
    gate = threading.BoundedSemaphore(CONNECTIONS)
    outcomes = [Outcome() for _ in participations]
    closed: list[list[int]] = []
    closer_errors: list[BaseException] = []
    User = get_user_model()

    def submitter(n: int, p: Participation, outcome: Outcome):
        def work():
            start.wait()
            time.sleep(SPREAD * n / ORGANISATIONS)
            with gate:
                try:
                    actor = User.objects.get(pk=ict[p.pk])
                    participation = Participation.objects.get(pk=p.pk)
                    services.demand_set(participation=participation, actor=actor, lines=lines_for(n, items))
                    outcome.demand_set = True
                    services.participation_submit(participation=participation, actor=actor)
                    outcome.submitted = True
                except DomainError as refusal:
                    outcome.refusal = refusal
                except BaseException as error:  # noqa: BLE001 - reported by the main thread
                    outcome.error = error
                finally:
                    connection.close()

        return work

    def deadline_task():
        start.wait()
        while timezone.now() <= deadline:
            time.sleep(0.005)
        with gate:
            try:
                closed.append(tasks.close_expired_pooling())
            except BaseException as error:  # noqa: BLE001
                closer_errors.append(error)
            finally:
                connection.close()

    threads = [threading.Thread(target=submitter(n, p, outcomes[n])) for n, p in enumerate(participations)]
    threads.append(threading.Thread(target=deadline_task))
    for thread in threads:
        thread.start()
    # The deadline is set once every thread is ready to go, so that set-up time does not eat into it.
    deadline = timezone.now() + timedelta(seconds=DEADLINE_AFTER)
    Initiative.objects.filter(pk=initiative.pk).update(demand_deadline=deadline)
    start.wait()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hangs (deadlock?)"

    # The deadline task ran once and closed this initiative.
    assert closer_errors == []
    assert closed == [[initiative.pk]]
    initiative = Initiative.objects.get(pk=initiative.pk)
    assert initiative.state == InitiativeState.DECIDING
    [close] = AuditEntry.objects.filter(action="procurement.initiative.pooling_closed", object_id=initiative.pk)
    assert close.data == {"by_deadline": True}

    # Every submission: accepted before the close, or refused with the deadline or state message.
    assert [o.error for o in outcomes if o.error] == []
    deadline_message = f"The demand deadline of {formatting.deadline(deadline)} has passed."
    state_message = ("Demand can only be submitted while the initiative is pooling demand "
                     "(it is now: awaiting decisions).")
    for outcome in outcomes:
        if not outcome.submitted:
            assert (outcome.refusal.code, str(outcome.refusal)) in {
                ("demand_deadline_passed", deadline_message), ("initiative_not_pooling", state_message)}
    accepted = sum(o.submitted for o in outcomes)
    assert 0 < accepted < ORGANISATIONS  # the rush really straddled the deadline

    # Nothing lost, nothing doubled.
    for n, (p, outcome) in enumerate(zip(participations, outcomes, strict=True)):
        p = Participation.objects.get(pk=p.pk)
        assert p.state == (ParticipationState.SUBMITTED if outcome.submitted else ParticipationState.DRAFT)
        lines = {(line.item_id, line.quantity) for line in DemandLine.objects.filter(participation=p)}
        expected = {(line["item"], Decimal(line["quantity"])) for line in lines_for(n, items)}
        assert lines == (expected if outcome.demand_set else set())
        entries = AuditEntry.objects.for_object(p)
        submitted = list(entries.filter(action="procurement.participation.submitted"))
        assert len(submitted) == int(outcome.submitted)
        assert entries.filter(action="procurement.participation.demand_changed").count() == int(outcome.demand_set)
        for entry in submitted:
            assert entry.pk < close.pk and p.submitted_at <= deadline  # accepted before the close
        # The alderman has exactly one decision to take for every accepted submission, none otherwise.
        assert DecisionProcess.objects.filter(participation=p).count() == int(outcome.submitted)
    assert DemandLine.objects.filter(participation__initiative=initiative).count() == 2 * sum(
        o.demand_set for o in outcomes)
    assert Participation.objects.filter(initiative=initiative, state=ParticipationState.SUBMITTED).count() == accepted
