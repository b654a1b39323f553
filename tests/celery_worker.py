"""A real Celery worker for the tests marked ``celery_worker`` (the PostgreSQL + Redis pass).

The worker runs in a thread of the test process and consumes from the broker of the settings
(``CELERY_BROKER_URL``, Redis in ``bash dev test``), so a task goes the whole way: on commit → broker →
worker → task → database. Mails sent by a task land in ``django.core.mail.outbox`` (the locmem backend
is process-wide). Loaded from tests/conftest.py through ``pytest_plugins``.

Use it with::

    @pytest.mark.celery_worker
    @pytest.mark.django_db(transaction=True)
    def test_something(celery_worker_real): ...

``transaction=True`` is needed because the worker thread has its own database connection: it sees only
committed rows, and a test transaction that is rolled back would hide them.
"""

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from celery import signals
from celery.contrib.testing.worker import start_worker


@dataclass
class Execution:
    """One task run as seen from inside the task (``task_prerun``)."""

    task: str
    args: tuple
    eager: bool
    hostname: str | None
    thread: str
    delivery_info: dict | None


@dataclass
class RealWorker:
    worker: Any
    executions: list[Execution] = field(default_factory=list)  # started (task_prerun)
    finished: list[str] = field(default_factory=list)  # task names, in the order they ended (task_postrun)

    @property
    def hostname(self) -> str:
        return self.worker.hostname

    def ran(self, task_name: str) -> list[Execution]:
        return [e for e in self.executions if e.task == task_name]

    def done(self, task_name: str) -> int:
        return self.finished.count(task_name)


def wait_until(condition: Callable[[], Any], *, timeout: float = 20.0, interval: float = 0.1, what: str = "") -> Any:
    """Poll ``condition`` until it returns something truthy; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what or condition}")
        time.sleep(interval)


@pytest.fixture
def celery_worker_real(request, transactional_db, settings) -> Iterator[RealWorker]:
    """Start a Celery worker thread (solo pool) on the configured broker; stop it after the test.

    Depends on ``transactional_db`` so that the worker stops before the tables are flushed."""
    from config.celery import app

    if request.node.get_closest_marker("celery_worker") is None:
        pytest.fail("Mark tests that use celery_worker_real with @pytest.mark.celery_worker "
                    "(they run only in the PostgreSQL + Redis pass of `bash dev test`).")
    broker = str(app.conf.broker_url)
    if not broker.startswith(("redis", "amqp")):
        pytest.fail(f"celery_worker tests need a real broker: set CELERY_BROKER_URL=redis://… (it is {broker!r}); "
                    "`bash dev test` sets it for the PostgreSQL pass.")
    # tests/conftest.py turns eager execution off for tests with the marker; be sure of it here.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    # The worker would otherwise take over the root logger for the rest of the session.
    hijack = app.conf.worker_hijack_root_logger
    app.conf.worker_hijack_root_logger = False
    # Messages left in the queue by an earlier, interrupted run must not reach this test's worker.
    app.control.purge()

    real = RealWorker(worker=None)
    main = threading.main_thread()

    def record(sender=None, task=None, args=None, **kwargs) -> None:
        real.executions.append(Execution(
            task=task.name, args=tuple(args or ()), eager=bool(task.request.is_eager),
            hostname=task.request.hostname,
            thread="main" if threading.current_thread() is main else threading.current_thread().name,
            delivery_info=task.request.delivery_info,
        ))

    def record_end(sender=None, task=None, **kwargs) -> None:
        real.finished.append(task.name)

    signals.task_prerun.connect(record, weak=False)
    signals.task_postrun.connect(record_end, weak=False)
    try:
        # No ping check: it needs a result backend, and the project has none (results are ignored).
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30) as worker:
            real.worker = worker
            yield real
    finally:
        signals.task_prerun.disconnect(record)
        signals.task_postrun.disconnect(record_end)
        app.conf.worker_hijack_root_logger = hijack
