"""A Redis restart loses no queued task.

The machine's Redis runs without persistence; production runs Redis with the append-only file on
(``appendonly yes``). This test starts its own ``redis-server`` on a free loopback port with that setting,
queues the product's tasks on it (PDF renders and the deadline task), kills Redis with SIGKILL and starts
it again on the same files, then lets a real worker (``celery -A config worker``) run everything.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from documents import services as documents
from documents.models import Document, DocumentStatus
from documents.tasks import render_document
from procurement import services
from procurement.models import Initiative, InitiativeState
from tests.reliability.conftest import require_postgresql, wait_for
from workflows.tasks import close_expired_pooling

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def test_tasks_queued_before_a_redis_crash_all_run_after_it(round_, own_redis, workers, monkeypatch):
    require_postgresql()
    from config.celery import app

    participations = []
    for org, people in ((round_.wetteren, round_.wetteren_people), (round_.laarne, round_.laarne_people),
                        (round_.lead, round_.lead_people)):
        p = services.participation_join(initiative=round_.initiative, actor=people.ict, organisation=org)
        services.demand_set(participation=p, actor=people.ict, lines=[{"item": round_.laptop.pk, "quantity": "5"}])
        participations.append(p)
    # The documents are asked for as usual, but their render tasks go to our own Redis, not the
    # configured broker: queue them by hand below.
    monkeypatch.setattr(documents, "_queue", lambda document: None)
    officer = round_.lead_people.procurement
    requested = [documents.document_request(kind="participation_decision", subject_id=p.pk, actor=officer)
                 for p in participations]
    requested.append(documents.document_request(kind="demand_summary", subject_id=round_.initiative.pk,
                                                actor=officer))
    Initiative.objects.filter(pk=round_.initiative.pk).update(demand_deadline=timezone.now() - timedelta(minutes=1))

    with app.connection_for_write(own_redis.url) as conn:
        for document in requested:
            render_document.apply_async(args=[document.pk], task_id=document.task_id, connection=conn)
        close_expired_pooling.apply_async(connection=conn)
    redis = own_redis.client()
    assert redis.llen("celery") == len(requested) + 1

    own_redis.crash()
    own_redis.start()
    assert own_redis.client().llen("celery") == len(requested) + 1  # every message is back

    worker = workers("after-restart", broker=own_redis.url)

    def all_done() -> bool:
        statuses = set(Document.objects.filter(pk__in=[d.pk for d in requested]).values_list("status", flat=True))
        return statuses == {DocumentStatus.READY} and round_.refresh().state == InitiativeState.DECIDING

    wait_for(all_done, timeout=90, what=lambda: f"the worker to run every queued task\n{worker.output()}")
    assert Document.objects.filter(pk__in=[d.pk for d in requested], attempts=1).count() == len(requested)
    wait_for(lambda: own_redis.client().llen("celery") == 0, timeout=30, what="the queue to drain")
