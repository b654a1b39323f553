"""PDFs: one participation decision draft, then every decision draft of the big initiative through two
Celery worker processes on Redis (the production set-up: ``celery -A config worker``)."""

import os
import subprocess
import time
from dataclasses import dataclass

from .common import ROOT, VENV_BIN, bench_environment, purge_broker

WORKERS = 2
TIMEOUT_S = 1800


@dataclass
class PdfResult:
    single_request_s: float  # building the context, hashing, storing the row
    single_render_s: float  # WeasyPrint + storing the file
    single_cold_s: float  # the first document of the process: WeasyPrint imported, fonts loaded
    batch_documents: int
    batch_request_s: float  # asking for the batch: the answer (202) comes before any document is built
    batch_render_s: float  # from the request until the last document is ready
    ready: int
    failed: int
    workers: int = WORKERS

    @property
    def per_document_s(self) -> float:
        return (self.batch_request_s + self.batch_render_s) / max(1, self.batch_documents)


def _officer(world):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=world.officer_id)


def single(world) -> tuple[float, float, float]:
    """One decision draft, rendered in this process (no queue): request, then render. The first one pays
    for importing WeasyPrint and loading the fonts (returned as the third figure); the second is timed."""
    from documents import services
    from procurement.models import Participation

    first, second = Participation.objects.filter(pk__in=world.participation_ids).order_by("organisation__name")[:2]
    officer = _officer(world)
    cold = time.perf_counter()
    document = services.document_request(kind="participation_decision", subject_id=first.pk, actor=officer)
    services.document_render(document_id=document.pk)
    cold = time.perf_counter() - cold
    start = time.perf_counter()
    document = services.document_request(kind="participation_decision", subject_id=second.pk, actor=officer)
    requested = time.perf_counter()
    document = services.document_render(document_id=document.pk)
    rendered = time.perf_counter()
    assert document.status == "ready", document.error
    return requested - start, rendered - requested, cold


def start_workers(count: int) -> list[subprocess.Popen]:
    processes = []
    for n in range(count):
        processes.append(subprocess.Popen(
            [str(VENV_BIN / "celery"), "-A", "config", "worker", "--pool", "prefork", "--concurrency", "1",
             "--hostname", f"bench{n + 1}@%h", "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env={**os.environ, **bench_environment()}, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True,
        ))
    return processes


def stop_workers(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def batch(world, *, single_world, workers: int = WORKERS) -> PdfResult:
    """``single_world``: where the single document is taken from (not the batch's initiative, so that the
    batch renders every one of its documents)."""
    from django.db import close_old_connections

    from documents import services
    from documents.models import DocumentStatus

    request_s, render_s, cold_s = single(single_world)
    purge_broker()  # the mails queued while generating the data are not this benchmark's work
    processes = start_workers(workers)
    try:
        time.sleep(3)  # let the workers connect before the clock starts
        start = time.perf_counter()
        created = services.batch_request(kind="participation_decision", parent_id=world.initiative_id,
                                         actor=_officer(world), parent_segment="initiatives")
        requested = time.perf_counter()
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            close_old_connections()
            created.refresh_from_db()  # a task fills the batch: its progress counts the expected documents
            progress = created.progress()
            if progress["pending"] == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        finished = time.perf_counter()
    finally:
        stop_workers(processes)
    ids = list(created.documents.values_list("id", flat=True))
    statuses = dict(created.documents.values_list("id", "status"))
    return PdfResult(
        single_request_s=request_s, single_render_s=render_s, single_cold_s=cold_s, batch_documents=len(ids),
        batch_request_s=requested - start, batch_render_s=finished - requested,
        ready=sum(1 for s in statuses.values() if s == DocumentStatus.READY),
        failed=sum(1 for s in statuses.values() if s == DocumentStatus.FAILED),
        workers=workers,
    )


# The cooperation agreement of the big initiative: every participant in the annex's summary table and once in
# the signatures (issue 14): at most this many pages and seconds at N = 600 × 60 items.
AGREEMENT_MAX_PAGES = 30
AGREEMENT_MAX_SECONDS = 10.0


@dataclass
class AgreementResult:
    organisations: int
    participants: int
    pages: int
    context_s: float  # the context from the selectors (a few aggregate queries)
    render_s: float  # WeasyPrint
    size: int

    @property
    def seconds(self) -> float:
        return self.context_s + self.render_s

    @property
    def met(self) -> bool:
        return self.pages <= AGREEMENT_MAX_PAGES and self.seconds <= AGREEMENT_MAX_SECONDS


def agreement(world, *, warm_world=None) -> AgreementResult:
    """The cooperation agreement of ``world``'s initiative, built and rendered in this process, timed after a
    warm-up render (``warm_world``'s agreement: WeasyPrint imported and the fonts loaded)."""
    from documents import registry, rendering, services
    from procurement.models import Initiative

    kind = registry.get("cooperation_agreement")
    template = services.template_name(kind, "nl")
    if warm_world is not None:
        warm = Initiative.objects.get(pk=warm_world.initiative_id)
        rendering.render_pdf(template, services.normalise(kind.build_context(warm, "nl")), language="nl")
    initiative = Initiative.objects.select_related("lead_organisation").get(pk=world.initiative_id)
    start = time.perf_counter()
    context = services.normalise(kind.build_context(initiative, "nl"))
    built = time.perf_counter()
    pdf = rendering.render_pdf(template, context, language="nl")
    rendered = time.perf_counter()
    return AgreementResult(organisations=world.organisations, participants=len(context["participants"]),
                           pages=pdf.page_count, context_s=built - start, render_s=rendered - built,
                           size=len(pdf.content))
