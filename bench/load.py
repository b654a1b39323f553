"""The API under load: gunicorn on PostgreSQL, wrk on loopback, many organisations at once.

gunicorn serves the production settings (DEBUG off, persistent database connections, Redis as the
broker for the mails that submissions queue). wrk (Debian package ``wrk``) opens ``clients`` connections
and sends, for a bounded time, demand updates, submissions and reopenings of all the organisations of
the big world (``bench/load.lua``). Nothing leaves 127.0.0.1, and every run stops by itself.
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .common import ROOT, VENV_BIN, bench_environment, say

TARGET_P95_MS = 200.0
CAPACITY_HEADROOM = 2.0  # flat-out throughput ≥ 2 × the rate of the people at work (our budget)
CLIENTS = 50
WRK_THREADS = 2
DURATION_S = 20
WARMUP_S = 3


@dataclass
class LoadResult:
    name: str
    clients: int
    think_ms: int
    duration_s: float
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    statuses: dict = field(default_factory=dict)
    first_errors: str = ""
    workers: int = 0
    audit: dict = field(default_factory=dict)
    # Whether the p95 target applies. It does to people at work; clients that never pause measure the
    # capacity: each of them always waits, so latency is clients ÷ throughput whatever the server does.
    latency_target: bool = True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


def stop(process: subprocess.Popen | None) -> None:
    """End a server started by the bench: politely, then for sure after 20 s."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Gunicorn:
    def __init__(self, workers: int, threads: int = 1) -> None:
        self.port = free_port()
        self.workers = workers
        self.threads = threads
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115

    def __enter__(self) -> "Gunicorn":
        command = [str(VENV_BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                   "--workers", str(self.workers), "--backlog", "2048", "--timeout", "60"]
        if self.threads > 1:
            command += ["--worker-class", "gthread", "--threads", str(self.threads)]
        self.process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **bench_environment()},
                                        stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_port(self.port)
        return self

    def __exit__(self, *exc) -> None:
        stop(self.process)

    def tail(self, lines: int = 40) -> str:
        return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-lines:])


NGINX_CONF = """\
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    client_max_body_size 10m;
    upstream app {{ server 127.0.0.1:{upstream}; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://app;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}
}}
"""


class Nginx:
    """The proxy in front of gunicorn, as in production (README: gunicorn behind a proxy). gunicorn's sync
    workers serve one connection at a time and rely on a buffering proxy: without one, a client that
    connects and then pauses (wrk reconnects at once after each answer, then waits its think time) holds a
    worker idle for the whole pause. nginx reads each request whole before passing it on."""

    def __init__(self, upstream: int) -> None:
        self.port = free_port()
        self.upstream = upstream
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Nginx":
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(binary).exists():
            raise SystemExit("nginx is missing: apt-get install nginx-light (Debian package)")
        conf = self.tmp / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=self.tmp, upstream=self.upstream, port=self.port))
        self.process = subprocess.Popen([binary, "-c", str(conf), "-p", str(self.tmp), "-e", str(self.tmp / "error.log")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_port(self.port)
        return self

    def __exit__(self, *exc) -> None:
        stop(self.process)
        shutil.rmtree(self.tmp, ignore_errors=True)


def prepare(world) -> int:
    """The deadline rush: most organisations are still entering their demand. Reopen (through the service)
    two in three of the submitted participations, so that the load is mostly demand updates. Returns how
    many were reopened. Nothing happens when the round is already mostly drafts."""
    from django.contrib.auth import get_user_model

    from procurement import services
    from procurement.models import Participation, ParticipationState

    submitted = list(Participation.objects.filter(pk__in=world.participation_ids, state=ParticipationState.SUBMITTED)
                     .order_by("pk"))
    if len(submitted) * 3 < len(world.participation_ids):
        return 0
    users = get_user_model().objects.in_bulk(list(world.ict_user_ids.values()))
    reopened = 0
    for n, participation in enumerate(submitted):
        if n % 3:
            services.participation_reopen(participation=participation,
                                          actor=users[world.ict_user_ids[participation.pk]])
            reopened += 1
    return reopened


def write_plan(world, *, reverse: bool = False) -> Path:
    """One line per organisation that takes part: participation id, token, first step (0 update the demand,
    1 submit, 2 reopen: a submitted one starts by reopening). Few organisations come round twice in a run,
    so the first steps make the mix: of the drafts, two in three update their demand and one submits."""
    from procurement.models import Participation, ParticipationState

    states = dict(Participation.objects.filter(pk__in=world.participation_ids).values_list("id", "state"))
    plan = tempfile.NamedTemporaryFile("w", prefix="bench-plan-", suffix=".txt", delete=False)  # noqa: SIM115
    with plan:
        ordered = world.participation_ids[::-1] if reverse else world.participation_ids
        for n, pid in enumerate(ordered):
            state = states[pid]
            if state == ParticipationState.DRAFT:
                plan.write(f"{pid} {world.tokens[pid]} {int(n % 3 == 2)}\n")
            elif state == ParticipationState.SUBMITTED:
                plan.write(f"{pid} {world.tokens[pid]} 2\n")
    return Path(plan.name)


def wrk(port: int, plan: Path, items: list[int], *, clients: int, duration: int, think_ms: int) -> dict:
    binary = shutil.which("wrk")
    if binary is None:
        raise SystemExit("wrk is missing: apt-get install wrk (Debian package)")
    env = {**os.environ, "BENCH_PLAN": str(plan), "BENCH_THREADS": str(WRK_THREADS),
           "BENCH_ITEMS": ",".join(map(str, items)), "BENCH_THINK_MS": str(think_ms)}
    done = subprocess.run(
        [binary, "-t", str(WRK_THREADS), "-c", str(clients), "-d", f"{duration}s", "--timeout", "10s",
         "-s", str(Path(__file__).with_name("load.lua")), f"http://127.0.0.1:{port}"],
        env=env, capture_output=True, text=True, timeout=duration + 60,
    )
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-JSON "):
            return json.loads(line.removeprefix("BENCH-JSON "))
    raise RuntimeError(f"wrk gave no result:\n{done.stdout}\n{done.stderr}")


def _audit_counts(since) -> dict[str, int]:
    from django.db.models import Count

    from audit.models import AuditEntry

    rows = (AuditEntry.objects.filter(created_at__gte=since, action__startswith="procurement.participation.")
            .values_list("action").annotate(n=Count("id")).order_by())
    return {action.removeprefix("procurement.participation."): n for action, n in rows}


def run(world, *, name: str, clients: int = CLIENTS, think_ms: int = 0, duration: int = DURATION_S,
        workers: int = 5, threads: int = 1, latency_target: bool = True) -> LoadResult:
    from django.db import close_old_connections
    from django.utils import timezone

    prepare(world)
    plan = write_plan(world)
    try:
        with Gunicorn(workers, threads) as server, Nginx(server.port) as proxy:
            wrk(proxy.port, plan, world.item_ids, clients=clients, duration=WARMUP_S, think_ms=think_ms)
            plan.unlink()
            # wrk stops with requests in flight that the server still carries out: wait for them before
            # reading where each organisation is, and start the measured run from the other end.
            time.sleep(8)
            close_old_connections()
            plan = write_plan(world, reverse=True)
            since = timezone.now()
            data = wrk(proxy.port, plan, world.item_ids, clients=clients, duration=duration, think_ms=think_ms)
            time.sleep(1)  # let the last answers' transactions commit before counting
            if data["non_2xx"] or data["socket_errors"]:
                say(f"    gunicorn log:\n{server.tail()}")
    finally:
        plan.unlink(missing_ok=True)
    seconds = data["duration_us"] / 1e6
    return LoadResult(
        name=name, clients=clients, think_ms=think_ms, duration_s=seconds, requests=data["requests"],
        rps=data["requests"] / seconds, p50_ms=data["p50_us"] / 1000, p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000, max_ms=data["max_us"] / 1000,
        errors=data["non_2xx"] + data["socket_errors"], statuses=data["statuses"],
        first_errors=data["first_errors"], workers=workers, audit=_audit_counts(since), latency_target=latency_target,
    )


def check_books(world) -> list[str]:
    """After the load: every organisation that takes part has exactly its items (none lost, none doubled),
    and the demand value it keeps (which the pooled value sums) is the value of its lines."""
    from django.db.models import Count

    from procurement import selectors
    from procurement.models import DemandLine, Initiative, Participation, ParticipationState

    problems = []
    counts = dict(DemandLine.objects.filter(participation__initiative_id=world.initiative_id)
                  .values_list("participation_id").annotate(n=Count("id")).order_by())
    for pid, state in Participation.objects.filter(initiative_id=world.initiative_id).values_list("id", "state"):
        if state != ParticipationState.WITHDRAWN and counts.get(pid) != world.items:
            problems.append(f"participation {pid} ({state}) has {counts.get(pid, 0)} lines, not {world.items}")
    wrong = selectors.demand_values_out_of_step(Initiative.objects.get(pk=world.initiative_id))
    for pid, (kept, from_lines) in wrong.items():
        problems.append(f"participation {pid} keeps the value {kept}, its lines are worth {from_lines} (1/10 000 €)")
    return problems
