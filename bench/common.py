"""What every benchmark shares: the environment of the bench processes, the database, timing helpers.

The benchmarks run against their OWN PostgreSQL database and Redis database number, never the
developer's: ``BENCH_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/samenaankoop_bench``,
dropped and created anew on every run) and ``BENCH_BROKER_URL`` (default ``redis://127.0.0.1:6379/12``,
purged). Everything runs on loopback.
"""

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/samenaankoop_bench")
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")
MEDIA_ROOT = Path(os.environ.get("BENCH_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "samenaankoop-bench-media")))


def bench_environment() -> dict[str, str]:
    """The variables of the bench process, gunicorn and the Celery workers: production-like settings
    (DEBUG off, persistent database connections, a real broker), mails dropped, files in a temp folder."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": DATABASE_URL,
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DB_CONN_MAX_AGE": "600",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "MEDIA_ROOT": str(MEDIA_ROOT),
        "LOG_LEVEL": "WARNING",
    }


def apply_environment() -> None:
    os.environ.update(bench_environment())


def recreate_database() -> None:
    """Drop and create the bench database (connecting to the maintenance database ``postgres``)."""
    import dj_database_url
    import psycopg

    db = dj_database_url.parse(DATABASE_URL)
    if "postgresql" not in db["ENGINE"]:
        raise SystemExit(f"BENCH_DATABASE_URL must be a PostgreSQL URL (it is {DATABASE_URL!r})")
    name = db["NAME"]
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"unexpected database name {name!r}")
    with psycopg.connect(host=db.get("HOST") or None, port=db.get("PORT") or None, user=db.get("USER") or None,
                         password=db.get("PASSWORD") or None, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def purge_broker() -> None:
    from kombu import Connection

    with Connection(BROKER_URL) as conn:
        conn.default_channel.client.flushdb()


@dataclass
class Timing:
    runs: list[float]  # seconds

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def p95(self) -> float:
        ordered = sorted(self.runs)
        # nearest-rank percentile: with 20 runs this is the 19th, the second slowest
        return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]

    @property
    def best(self) -> float:
        return min(self.runs)


def timed(work: Callable[[], object], *, repeat: int, warmup: int = 1) -> Timing:
    for _ in range(warmup):
        work()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        runs.append(time.perf_counter() - start)
    return Timing(runs)


def say(text: str) -> None:
    print(text, flush=True)


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"
