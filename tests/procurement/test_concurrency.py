"""Concurrency on PostgreSQL: submissions racing the close of pooling, and two deadline runs at once.

These need real row locks and several connections, so they run only in the PostgreSQL pass (deselected
on SQLite by tests/conftest.py; never skipped: without PostgreSQL they fail). Run with::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helper_domain .venv/bin/pytest -q -m postgres \\
        tests/procurement/test_concurrency.py
"""

import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from audit.models import AuditEntry
from core import formatting, money
from core.errors import DomainError
from core.services import locked_shared
from procurement import selectors, services
from procurement.models import DemandLine, Initiative, InitiativeState, Participation, ParticipationState, Role
from tests import factories as f
from tests.conftest import move
from tests.threads import run_at_once
from workflows import tasks

S = InitiativeState
P = ParticipationState
ORGANISATIONS = 12

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_thresholds"),
]


@pytest.fixture(autouse=True)
def _on_postgresql():
    # Fail, never skip: this module is only collected in the PostgreSQL pass.
    assert connection.vendor == "postgresql", "tests/procurement/test_concurrency.py needs PostgreSQL"


@dataclass
class BigRound:
    initiative: Initiative
    officer: object
    laptop: object
    monitor: object
    participations: list[Participation] = field(default_factory=list)
    ict: dict[int, object] = field(default_factory=dict)  # participation id -> its ICT officer


def big_round() -> BigRound:
    """A pooling round of a lead organisation and twelve participants, each joined with no demand yet."""
    lead = f.OrganisationFactory()
    officer = f.UserFactory()
    f.MembershipFactory(user=officer, organisation=lead, role=Role.PROCUREMENT)
    circle = f.CircleFactory()
    initiative = f.InitiativeFactory(lead_organisation=lead, circles=[circle])
    laptop = f.ItemFactory(lot__initiative=initiative, estimated_unit_price=Decimal("899.99"))
    monitor = f.ItemFactory(lot=laptop.lot, estimated_unit_price=Decimal("210.45"))
    services.initiative_open_pooling(initiative=initiative, actor=officer)
    result = BigRound(initiative=Initiative.objects.get(pk=initiative.pk), officer=officer, laptop=laptop,
                      monitor=monitor)
    for _ in range(ORGANISATIONS):
        organisation = f.OrganisationFactory()
        circle.organisations.add(organisation)
        ict = f.UserFactory()
        f.MembershipFactory(user=ict, organisation=organisation, role=Role.ICT)
        p = services.participation_join(initiative=initiative, actor=ict, organisation=organisation)
        result.participations.append(p)
        result.ict[p.pk] = ict
    return result


def lines_for(n: int, round_: BigRound) -> list[dict]:
    """Organisation n asks n + 1 laptops and 2.5 screens: every organisation's demand is different."""
    return [{"item": round_.laptop.pk, "quantity": str(n + 1)}, {"item": round_.monitor.pk, "quantity": "2.50"}]


@dataclass
class Outcome:
    demand_set: bool = False
    submitted: bool = False
    refusal: DomainError | None = None
    error: BaseException | None = None


def run_threads(targets) -> None:
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hangs (deadlock?)"


def in_thread(work):
    """Run ``work`` and close this thread's database connection at the end, whatever happens."""

    def target():
        try:
            work()
        finally:
            connection.close()

    return target


def submit_work(round_: BigRound, n: int, p: Participation, outcome: Outcome, start: threading.Barrier,
                delay: float):
    def work():
        start.wait()
        time.sleep(delay)
        User = get_user_model()
        try:
            actor = User.objects.get(pk=round_.ict[p.pk].pk)
            participation = Participation.objects.get(pk=p.pk)
            services.demand_set(participation=participation, actor=actor, lines=lines_for(n, round_))
            outcome.demand_set = True
            services.participation_submit(participation=participation, actor=actor)
            outcome.submitted = True
        except DomainError as refusal:
            outcome.refusal = refusal
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            outcome.error = error

    return work


def check_the_books(round_: BigRound, outcomes: list[Outcome], closer_errors: list[BaseException]) -> None:
    """Every submission accepted before the close or refused with the deadline/state message; no line lost or
    doubled; the audit log tells the same story."""
    assert closer_errors == []
    assert [o.error for o in outcomes if o.error] == []
    initiative = Initiative.objects.get(pk=round_.initiative.pk)
    assert initiative.state == S.DECIDING
    deadline_message = f"The demand deadline of {formatting.deadline(initiative.demand_deadline)} has passed."
    state_message = ("Demand can only be submitted while the initiative is pooling demand "
                     "(it is now: awaiting decisions).")
    for outcome in outcomes:
        if not outcome.submitted:
            assert outcome.refusal is not None
            assert (outcome.refusal.code, str(outcome.refusal)) in {
                ("demand_deadline_passed", deadline_message), ("initiative_not_pooling", state_message)}

    [closed] = AuditEntry.objects.filter(action="procurement.initiative.pooling_closed", object_id=initiative.pk)
    for n, (p, outcome) in enumerate(zip(round_.participations, outcomes, strict=True)):
        p = Participation.objects.get(pk=p.pk)
        assert p.state == (P.SUBMITTED if outcome.submitted else P.DRAFT)
        lines = {(line.item_id, line.quantity) for line in DemandLine.objects.filter(participation=p)}
        expected = {(line["item"], Decimal(line["quantity"])) for line in lines_for(n, round_)}
        assert lines == (expected if outcome.demand_set else set())
        entries = AuditEntry.objects.for_object(p)
        submitted = list(entries.filter(action="procurement.participation.submitted"))
        assert len(submitted) == (1 if outcome.submitted else 0)
        assert entries.filter(action="procurement.participation.demand_changed").count() == int(outcome.demand_set)
        for entry in submitted:
            assert entry.pk < closed.pk  # accepted before the close
            assert p.submitted_at <= closed.created_at
            assert Decimal(entry.data["subtotal"]) == selectors.participation_subtotal(p)

    assert DemandLine.objects.filter(participation__initiative=initiative).count() == 2 * sum(
        o.demand_set for o in outcomes)
    # The pooled value after each change grew step by step (no change computed on a stale total), and the
    # last one is what the lines add up to now.
    changes = AuditEntry.objects.filter(action="procurement.participation.demand_changed",
                                        object_id__in=[p.pk for p in round_.participations]).order_by("id")
    values = [Decimal(e.data["pooled_value"]) for e in changes]
    assert values == sorted(values) and len(set(values)) == len(values)
    if values:
        assert values[-1] == selectors.demand_totals(initiative, states=(P.DRAFT, P.SUBMITTED)).pooled_value


@pytest.mark.parametrize("close_after", [0.0, 0.005, 0.02, 0.05])
def test_submissions_racing_a_manual_close(close_after):
    round_ = big_round()
    outcomes = [Outcome() for _ in round_.participations]
    start = threading.Barrier(ORGANISATIONS + 1)
    closer_errors: list[BaseException] = []

    def close():
        start.wait()
        time.sleep(close_after)
        try:
            services.initiative_close_pooling(initiative=Initiative.objects.get(pk=round_.initiative.pk),
                                              actor=get_user_model().objects.get(pk=round_.officer.pk))
        except BaseException as error:  # noqa: BLE001
            closer_errors.append(error)

    run_threads([
        *(in_thread(submit_work(round_, n, p, outcomes[n], start, 0.0))
          for n, p in enumerate(round_.participations)),
        in_thread(close),
    ])
    check_the_books(round_, outcomes, closer_errors)


def test_submissions_racing_the_deadline_task():
    """Submissions spread over 1.2 s around a deadline 0.6 s away; the deadline task closes at the deadline.
    Early ones are accepted, late ones refused by the deadline or, once closed, by the state."""
    round_ = big_round()
    deadline = timezone.now() + timedelta(seconds=0.6)
    Initiative.objects.filter(pk=round_.initiative.pk).update(demand_deadline=deadline)
    outcomes = [Outcome() for _ in round_.participations]
    start = threading.Barrier(ORGANISATIONS + 1)
    closer_errors: list[BaseException] = []
    closed: list[list[int]] = []

    def close_at_deadline():
        start.wait()
        while timezone.now() <= deadline:
            time.sleep(0.01)
        try:
            closed.append(tasks.close_expired_pooling())
        except BaseException as error:  # noqa: BLE001
            closer_errors.append(error)

    run_threads([
        *(in_thread(submit_work(round_, n, p, outcomes[n], start, 0.1 * n))
          for n, p in enumerate(round_.participations)),
        in_thread(close_at_deadline),
    ])
    assert closed == [[round_.initiative.pk]]
    check_the_books(round_, outcomes, closer_errors)
    assert outcomes[0].submitted  # 0.0 s: well before the deadline
    assert not outcomes[-1].submitted  # 1.1 s: well after it


def test_two_deadline_runs_at_once_close_each_initiative_once():
    past = timezone.now() - timedelta(minutes=1)
    lead = f.OrganisationFactory()
    due = [move(f.InitiativeFactory(lead_organisation=lead, demand_deadline=past), S.POOLING) for _ in range(6)]
    results: list[list[int]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run():
        start.wait()
        try:
            results.append(tasks.close_expired_pooling())
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    run_threads([in_thread(run), in_thread(run)])
    assert errors == []
    first, second = results
    assert sorted(first + second) == sorted(i.pk for i in due)  # each closed by exactly one of the runs
    for initiative in due:
        assert Initiative.objects.get(pk=initiative.pk).state == S.DECIDING
        assert AuditEntry.objects.filter(action="procurement.initiative.pooling_closed",
                                         object_id=initiative.pk).count() == 1
    assert tasks.close_expired_pooling() == []


def test_the_same_submission_twice_at_once_is_accepted_once():
    round_ = big_round()
    p = round_.participations[0]
    services.demand_set(participation=p, actor=round_.ict[p.pk], lines=lines_for(0, round_))
    outcomes = [Outcome(), Outcome()]
    start = threading.Barrier(2)

    def submit(outcome):
        def work():
            start.wait()
            try:
                services.participation_submit(participation=Participation.objects.get(pk=p.pk),
                                              actor=get_user_model().objects.get(pk=round_.ict[p.pk].pk))
                outcome.submitted = True
            except DomainError as refusal:
                outcome.refusal = refusal
            except BaseException as error:  # noqa: BLE001
                outcome.error = error

        return work

    run_threads([in_thread(submit(outcomes[0])), in_thread(submit(outcomes[1]))])
    assert [o.error for o in outcomes] == [None, None]
    assert sorted(o.submitted for o in outcomes) == [False, True]
    [loser] = [o for o in outcomes if not o.submitted]
    assert loser.refusal.code == "invalid_state"
    assert AuditEntry.objects.filter(action="procurement.participation.submitted", object_id=p.pk).count() == 1


def test_demand_entered_at_once_crosses_a_threshold_exactly_once():
    """Twelve organisations enter 3 laptops and 2.5 screens each at the same moment (3 226,095 € a piece):
    the tenth change takes the round over 30 000 €. The changes happen side by side but reach the pooled
    value one at a time, so exactly one of them records the crossing, with the values around it."""
    round_ = big_round()
    lines = [{"item": round_.laptop.pk, "quantity": "3"}, {"item": round_.monitor.pk, "quantity": "2.50"}]

    def enter(p):
        return lambda: services.demand_set(participation=Participation.objects.get(pk=p.pk),
                                           actor=get_user_model().objects.get(pk=round_.ict[p.pk].pk), lines=lines)

    results = run_at_once(*(enter(p) for p in round_.participations))
    assert [r for r in results if not isinstance(r, Participation)] == []

    changes = list(AuditEntry.objects.filter(action="procurement.participation.demand_changed").order_by("id"))
    values = [Decimal(e.data["pooled_value"]) for e in changes]
    assert values == [money.cents(Decimal("3226.095") * n) for n in range(1, ORGANISATIONS + 1)]
    [crossing] = AuditEntry.objects.filter(action="procurement.initiative.threshold_crossed",
                                           object_id=round_.initiative.pk)
    assert crossing.data["before"]["value"] == "29034.86" and crossing.data["after"]["value"] == "32260.95"
    assert crossing.actor == changes[9].actor  # the tenth change crossed


def test_organisations_submit_side_by_side_but_never_beside_the_close():
    """The participation services share-lock the initiative: one organisation's unfinished transaction does
    not hold up another's submission, but closing pooling (an exclusive lock) waits until it is done."""
    round_ = big_round()
    first, second = round_.participations[:2]
    services.demand_set(participation=second, actor=round_.ict[second.pk], lines=lines_for(1, round_))
    holding, release = threading.Event(), threading.Event()
    done: dict[str, float] = {}

    def hold_share_lock():
        with transaction.atomic():
            locked_shared(Initiative, round_.initiative.pk)
            holding.set()
            release.wait(timeout=30)
        done["holder"] = time.monotonic()

    def submit_second():
        holding.wait(timeout=30)
        services.participation_submit(participation=Participation.objects.get(pk=second.pk),
                                      actor=get_user_model().objects.get(pk=round_.ict[second.pk].pk))
        done["submitted"] = time.monotonic()

    def close_pooling():
        holding.wait(timeout=30)
        services.initiative_close_pooling(initiative=Initiative.objects.get(pk=round_.initiative.pk),
                                          actor=get_user_model().objects.get(pk=round_.officer.pk))
        done["closed"] = time.monotonic()

    threads = [threading.Thread(target=in_thread(work)) for work in (hold_share_lock, submit_second, close_pooling)]
    for thread in threads:
        thread.start()
    threads[1].join(timeout=10)
    assert "submitted" in done, "a submission waited for another organisation's transaction"
    time.sleep(0.5)
    assert "closed" not in done, "closing pooling did not wait for the share lock"
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert done["holder"] <= done["closed"]
    assert Initiative.objects.get(pk=round_.initiative.pk).state == S.DECIDING
    assert Participation.objects.get(pk=second.pk).state == P.SUBMITTED
    assert Participation.objects.get(pk=first.pk).state == P.DRAFT
