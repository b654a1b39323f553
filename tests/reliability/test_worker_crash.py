"""A Celery worker dies with SIGKILL in the middle of rendering a PDF: the task is delivered again and
exactly one Document results.

Real worker subprocesses (``celery -A … worker``, prefork) on Redis and the test database; the render is
slowed down by the hook in ``tests/reliability/slow_worker.py`` so that the kill lands mid-render.
Rendering tasks are ``acks_late`` and ``reject_on_worker_lost`` (documents/tasks.py): the message is
acknowledged only once the task ran, so it survives the worker.
"""

import hashlib
import signal

import pytest

from audit.models import AuditEntry
from documents import services as documents
from documents.models import Document, DocumentStatus
from documents.tasks import render_document
from procurement import services
from tests.reliability.conftest import require_postgresql, require_redis_broker, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]
SLOW_APP = "tests.reliability.slow_worker"


@pytest.fixture
def decision_subject(round_):
    require_postgresql()
    require_redis_broker()
    from config.celery import app

    app.control.purge()  # nothing left over from an earlier, interrupted run
    people = round_.wetteren_people
    p = services.participation_join(initiative=round_.initiative, actor=people.ict, organisation=round_.wetteren)
    services.demand_set(participation=p, actor=people.ict, lines=[
        {"item": round_.laptop.pk, "quantity": "40"}, {"item": round_.monitor.pk, "quantity": "12"}])
    return p


def the_one_document(round_, participation, settings) -> Document:
    [document] = Document.objects.filter(kind="participation_decision", object_id=participation.pk)
    assert document.status == DocumentStatus.READY, document.error
    assert document.attempts == 2  # the killed attempt and the one that finished
    content = document.file.read()
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert AuditEntry.objects.filter(action="documents.document.rendered", object_id=document.pk).count() == 1
    files = list((settings.MEDIA_ROOT / "documents" / "participation_decision").iterdir())
    assert [f.name for f in files] == [document.file.name.rsplit("/", 1)[-1]]  # no half-written leftovers
    return document


def test_rendering_is_acknowledged_late_and_rejected_when_the_worker_is_lost():
    assert render_document.acks_late is True
    assert render_document.reject_on_worker_lost is True


def test_a_worker_killed_mid_render_is_replaced_and_one_document_results(
    round_, decision_subject, workers, tmp_path, settings
):
    """The whole worker (main process and pool) is killed: the message stays unacknowledged in Redis
    and a second worker gets it once the (shortened) visibility timeout has passed."""
    marker = tmp_path / "rendering.pid"
    slow = {"SLOW_RENDER_MARKER": str(marker), "SLOW_RENDER_SECONDS": "60", "RELIABILITY_VISIBILITY_TIMEOUT": "2"}
    first = workers("crash1", app=SLOW_APP, **slow)
    document = documents.document_request(kind="participation_decision", subject_id=decision_subject.pk,
                                          actor=round_.lead_people.procurement)

    wait_for(lambda: marker.exists() and marker.read_text(), timeout=60,
             what=lambda: f"the first worker to start rendering\n{first.output()}")
    first.kill_all()
    document = Document.objects.get(pk=document.pk)  # protected FSM field: read afresh, not refresh_from_db
    assert (document.status, document.attempts) == (DocumentStatus.PENDING, 1)

    second = workers("crash2", app=SLOW_APP, **slow)  # the marker exists: this one renders at full speed
    wait_for(lambda: Document.objects.get(pk=document.pk).status != DocumentStatus.PENDING, timeout=60,
             what=lambda: f"the second worker to render the redelivered task\n{second.output()}")
    the_one_document(round_, decision_subject, settings)


def test_a_pool_process_killed_mid_render_is_retried_by_its_worker(
    round_, decision_subject, workers, tmp_path, settings
):
    """Only the pool process that renders is killed: the worker sees it lost, rejects the message back to
    the queue (``reject_on_worker_lost``) and renders it in a new pool process."""
    import os

    marker = tmp_path / "rendering.pid"
    worker = workers("crash3", app=SLOW_APP, SLOW_RENDER_MARKER=str(marker), SLOW_RENDER_SECONDS="60")
    document = documents.document_request(kind="participation_decision", subject_id=decision_subject.pk,
                                          actor=round_.lead_people.procurement)
    pid = int(wait_for(lambda: marker.exists() and marker.read_text(), timeout=60,
                       what=lambda: f"the worker to start rendering\n{worker.output()}"))
    assert pid != worker.process.pid  # the pool process, not the worker itself
    os.kill(pid, signal.SIGKILL)

    wait_for(lambda: Document.objects.get(pk=document.pk).status != DocumentStatus.PENDING, timeout=60,
             what=lambda: f"the worker to render the task again\n{worker.output()}")
    the_one_document(round_, decision_subject, settings)
    assert worker.process.poll() is None  # the worker itself lived on
