"""Helpers of the reliability tests: real worker subprocesses, a Redis of our own, the database URL.

The tests marked ``postgres`` run in the PostgreSQL + Redis pass of ``bash dev test`` (and are deselected,
never skipped, on SQLite). When PostgreSQL, Redis or ``redis-server`` is missing they FAIL.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
CELERY = [sys.executable, "-m", "celery"]


def require_postgresql() -> None:
    assert connection.vendor == "postgresql", "this reliability test needs PostgreSQL (the PostgreSQL pass)"


def require_redis_broker() -> str:
    from config.celery import app

    broker = str(app.conf.broker_url)
    if not broker.startswith("redis://"):
        pytest.fail(f"this reliability test needs CELERY_BROKER_URL=redis://… (it is {broker!r})")
    return broker


def worker_database_url() -> str:
    """The URL of the database pytest-django created (``test_<name>``), for a worker subprocess."""
    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{quote(db['NAME'], safe='')}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, *, timeout: float, what, interval: float = 0.1):
    """Poll ``condition`` until it is truthy; fail after ``timeout`` s. ``what`` is text, or a callable
    giving the text (a worker's log, read only when it is needed)."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what() if callable(what) else what}")
        time.sleep(interval)


@dataclass
class Worker:
    process: subprocess.Popen
    log: Path

    def kill_all(self) -> None:
        """SIGKILL to the worker and its pool processes: a machine or container dying."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@pytest.fixture
def workers(tmp_path, settings) -> Iterator:
    """``start(name, app="config", **env)`` starts ``celery -A <app> worker`` (prefork, one pool process)
    against the test database and the broker; every worker is stopped after the test, before the
    database is flushed."""
    started: list[Worker] = []
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media

    def start(name: str, *, app: str = "config", broker: str | None = None, **extra: str) -> Worker:
        env = {k: v for k, v in os.environ.items() if k != "CELERY_TASK_ALWAYS_EAGER"}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings", PYTHONPATH=str(BASE_DIR), DATABASE_URL=worker_database_url(),
            CELERY_BROKER_URL=broker or require_redis_broker(), MEDIA_ROOT=str(media),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", LOG_LEVEL="INFO", **extra,
        )
        log = tmp_path / f"worker-{name}.log"
        process = subprocess.Popen(
            [*CELERY, "-A", app, "worker", "--pool", "prefork", "--concurrency", "1", "--hostname",
             f"{name}@%h", "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        worker = Worker(process=process, log=log)
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()


class OwnRedis:
    """A redis-server of our own on a free loopback port, persisting every write (appendonly, fsync
    always) into a temp folder. The machine's Redis (6379) is never touched."""

    def __init__(self, folder: Path) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not Path(binary).exists():
            pytest.fail("redis-server is missing (Debian package redis-server)")
        self.binary = binary
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "yes",
             "--daemonize", "no", "--logfile", str(self.folder / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        wait_for(self._answers, timeout=10, what=f"redis-server on port {self.port}")

    def _answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def crash(self) -> None:
        """SIGKILL: no shutdown, no final save; only what the append-only file holds survives."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=5)


@pytest.fixture
def own_redis(tmp_path) -> Iterator[OwnRedis]:
    server = OwnRedis(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.stop()
