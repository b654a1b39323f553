"""The whole way through a real Celery worker on Redis: service → commit → broker → worker → task.

These run only in the PostgreSQL + Redis pass of ``bash dev test`` (tests/conftest.py deselects them on
SQLite). Everywhere else tasks run eagerly, which would hide a task that cannot be sent, serialised or
run by a worker: a wrong argument type, an object instead of an id, a task queued before its row commits.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditEntry
from procurement import services
from procurement.models import Initiative, InitiativeState, ParticipationState
from tests.celery_worker import wait_until
from workflows import tasks

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def ran_on_the_worker(real_worker, task_name: str):
    """The task's runs, each checked to have come from the broker to the worker thread (not eager)."""
    runs = real_worker.ran(task_name)
    for run in runs:
        assert run.eager is False
        assert run.thread != "main"
        assert run.delivery_info and run.delivery_info.get("routing_key") == "celery"
    return runs


def test_the_worker_consumes_from_the_redis_broker(celery_worker_real, settings):
    from config.celery import app

    assert str(app.conf.broker_url).startswith("redis://")
    assert app.conf.task_always_eager is False
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert celery_worker_real.worker.app is app


def test_submitting_a_participation_mails_the_alderman_through_the_worker(celery_worker_real, round_):
    wetteren = round_.wetteren_people
    p = services.participation_join(initiative=round_.initiative, actor=wetteren.ict, organisation=round_.wetteren)
    services.demand_set(participation=p, actor=wetteren.ict, lines=[{"item": round_.laptop.pk, "quantity": "40"}])
    p = services.participation_submit(participation=p, actor=wetteren.ict)
    assert p.state == ParticipationState.SUBMITTED

    def alderman_mail():
        return [m for m in mail.outbox if m.to == [wetteren.alderman.email] and "Decision needed" in m.subject]

    found = wait_until(alderman_mail, timeout=30, what="the mail to the alderman of Wetteren")
    assert len(found) == 1
    assert "Laptops 2027" in found[0].subject
    wait_until(lambda: ran_on_the_worker(celery_worker_real, "workflows.tasks.mail_participation_submitted"),
               what="the worker's record of mail_participation_submitted")
    assert [run.args for run in celery_worker_real.ran("workflows.tasks.mail_participation_submitted")] == [(p.pk,)]


def test_the_deadline_task_closes_an_expired_round_on_the_worker(celery_worker_real, round_):
    Initiative.objects.filter(pk=round_.initiative.pk).update(demand_deadline=timezone.now() - timedelta(minutes=5))

    tasks.close_expired_pooling.delay()

    wait_until(lambda: round_.refresh().state == InitiativeState.DECIDING, timeout=30,
               what="the worker to close pooling at the demand deadline")
    assert ran_on_the_worker(celery_worker_real, "workflows.tasks.close_expired_pooling")
    entry = AuditEntry.objects.get(action="procurement.initiative.pooling_closed")
    assert entry.data == {"by_deadline": True}
    # The mail that follows the closing goes the same way: queued on commit, run by the worker.
    wait_until(lambda: ran_on_the_worker(celery_worker_real, "workflows.tasks.mail_pooling_closed"),
               what="mail_pooling_closed on the worker")


def test_a_round_whose_deadline_is_ahead_stays_open(celery_worker_real, round_):
    tasks.close_expired_pooling.delay()
    wait_until(lambda: celery_worker_real.done("workflows.tasks.close_expired_pooling"),
               what="close_expired_pooling to finish on the worker")
    assert ran_on_the_worker(celery_worker_real, "workflows.tasks.close_expired_pooling")
    assert round_.refresh().state == InitiativeState.POOLING
    assert not AuditEntry.objects.filter(action="procurement.initiative.pooling_closed").exists()
