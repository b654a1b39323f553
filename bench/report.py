"""Printing the figures with their targets, and writing bench/RESULTS.md."""

import os
import platform
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import load as load_module
from . import pages as pages_module
from . import sheets as sheets_module
from .common import say, verdict

RESULTS = Path(__file__).with_name("RESULTS.md")


@dataclass
class Results:
    organisations: int
    small: int
    items: int
    generate_s: float = 0.0
    sheet: object = None
    pages: list = field(default_factory=list)
    load: list = field(default_factory=list)
    load_problems: list = field(default_factory=list)
    pdf: object = None
    agreement: object = None


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def print_sheet(s) -> None:
    say(f"    {s.organisations} organisations, {s.lines} demand lines, {s.cells} cells, {s.size_kb:.0f} KiB")
    say(f"    product  median {s.product.median:.2f} s (best {s.product.best:.2f})   target ≤ "
        f"{sheets_module.TARGET_SECONDS:.0f} s   {verdict(s.product.median <= sheets_module.TARGET_SECONDS)}")
    say(f"    baseline median {s.baseline.median:.2f} s  ({s.baseline_cells} cells, same sheet dimensions: "
        f"{'yes' if s.same_dimensions else 'NO'})")
    say(f"    ratio    {s.ratio:.2f} × baseline   target ≤ {sheets_module.TARGET_RATIO:.0f} ×   "
        f"{verdict(s.ratio <= sheets_module.TARGET_RATIO)}")
    say(f"    peak Python memory: product {s.product_peak_mb:.0f} MiB, baseline {s.baseline_peak_mb:.0f} MiB "
        "(tracemalloc)")


def _page_pairs(results: list) -> list[tuple]:
    by_page: dict[str, dict[int, object]] = {}
    for r in results:
        by_page.setdefault(r.page, {})[r.organisations] = r
    pairs = []
    for page, sizes in by_page.items():
        small, big = (sizes[n] for n in sorted(sizes))
        pairs.append((page, small, big))
    return pairs


def pages_ok(results: list) -> bool:
    return all(small.queries == big.queries and small.status == big.status == 200 and _within_budget(page, big)
               for page, small, big in _page_pairs(results))


def _within_budget(page: str, result) -> bool:
    return page in pages_module.NO_TIME_BUDGET or result.timing.p95 <= pages_module.TARGET_P95_SECONDS


def print_pages(results: list) -> None:
    for page, small, big in _page_pairs(results):
        same = small.queries == big.queries
        say(f"    {page}")
        say(f"      N={small.organisations:<4} median {ms(small.timing.median):>7}  p95 {ms(small.timing.p95):>7}  "
            f"{small.queries:>3} queries  {small.size_kb:.0f} KiB  HTTP {small.status}")
        say(f"      N={big.organisations:<4} median {ms(big.timing.median):>7}  p95 {ms(big.timing.p95):>7}  "
            f"{big.queries:>3} queries  {big.size_kb:.0f} KiB  HTTP {big.status}")
        budget = ("no time budget" if page in pages_module.NO_TIME_BUDGET else
                  f"p95 ≤ {ms(pages_module.TARGET_P95_SECONDS)}: {verdict(_within_budget(page, big))}")
        say(f"      queries do not grow with N: {verdict(same)};  {budget}")


def print_load(r) -> None:
    say(f"    {r.name}: {r.clients} clients, {r.requests} requests in {r.duration_s:.0f} s = {r.rps:.0f} req/s")
    say(f"      latency p50 {r.p50_ms:.0f} ms  p95 {r.p95_ms:.0f} ms  p99 {r.p99_ms:.0f} ms  max {r.max_ms:.0f} ms; "
        f"errors {r.errors}  (HTTP {r.statuses})")
    say(f"      done on the server (audit): {r.audit}")
    if r.first_errors:
        say("      first errors:\n" + r.first_errors)


def print_pdf(p) -> None:
    say(f"    one decision draft: request {ms(p.single_request_s)}, render {ms(p.single_render_s)} "
        f"(first of the process {p.single_cold_s:.1f} s)")
    say(f"    batch request answered in {p.batch_request_s:.2f} s (target < 1 s: "
        f"{'met' if p.batch_request_s < 1 else 'MISSED'})")
    say(f"    batch of {p.batch_documents}: request {p.batch_request_s:.1f} s, rendered by {p.workers} workers in "
        f"{p.batch_render_s:.1f} s; ready {p.ready}, failed {p.failed}; {p.per_document_s:.2f} s per document")


def print_agreement(a) -> None:
    say(f"    cooperation agreement, N={a.organisations} ({a.participants} participants): {a.pages} pages, "
        f"{a.seconds:.1f} s (context {a.context_s:.2f} s, rendering {a.render_s:.1f} s), {a.size // 1024} KiB")


def targets(results: Results) -> list[tuple[str, str, bool]]:
    """(figure, target, met) for everything that has a target."""
    rows = []
    s = results.sheet
    if s is not None:
        rows.append((f"demand sheet XLSX, N={s.organisations}: {s.product.median:.2f} s",
                     f"≤ {sheets_module.TARGET_SECONDS:.0f} s", s.product.median <= sheets_module.TARGET_SECONDS))
        rows.append((f"demand sheet vs baseline: {s.ratio:.2f} ×", f"≤ {sheets_module.TARGET_RATIO:.0f} ×",
                     s.ratio <= sheets_module.TARGET_RATIO))
    for page, small, big in _page_pairs(results.pages):
        rows.append((f"{page}: {small.queries} → {big.queries} queries", "same at both N",
                     small.queries == big.queries))
        if page not in pages_module.NO_TIME_BUDGET:
            rows.append((f"{page}: p95 {ms(big.timing.p95)} at N={big.organisations}",
                         f"≤ {ms(pages_module.TARGET_P95_SECONDS)}", _within_budget(page, big)))
    at_work = [r.rps for r in results.load if r.latency_target]
    for r in results.load:
        if r.latency_target:
            rows.append((f"API {r.name}: p95 {r.p95_ms:.0f} ms, {r.rps:.0f} req/s",
                         f"< {load_module.TARGET_P95_MS:.0f} ms", r.p95_ms < load_module.TARGET_P95_MS))
        elif at_work:
            need = load_module.CAPACITY_HEADROOM * max(at_work)
            rows.append((f"API {r.name}: {r.rps:.0f} req/s (p95 {r.p95_ms:.0f} ms)",
                         f"≥ {need:.0f} req/s ({load_module.CAPACITY_HEADROOM:.0f} × people at work; our budget)",
                         r.rps >= need))
        rows.append((f"API {r.name}: {r.errors} errors", "0", r.errors == 0))
    if results.load:
        rows.append((f"demand lines and values after the load: {len(results.load_problems)} wrong", "0",
                     not results.load_problems))
    p = results.pdf
    if p is not None:
        rows.append((f"decision drafts: {p.ready} of {p.batch_documents} ready, {p.failed} failed", "all ready",
                     p.ready == p.batch_documents))
    a = results.agreement
    if a is not None:
        from .pdfs import AGREEMENT_MAX_PAGES, AGREEMENT_MAX_SECONDS

        rows.append((f"cooperation agreement N={a.organisations}: {a.pages} pages", f"≤ {AGREEMENT_MAX_PAGES}",
                     a.pages <= AGREEMENT_MAX_PAGES))
        rows.append((f"cooperation agreement N={a.organisations}: {a.seconds:.1f} s", f"≤ {AGREEMENT_MAX_SECONDS:.0f} s",
                     a.seconds <= AGREEMENT_MAX_SECONDS))
    return rows


def print_summary(results: Results) -> bool:
    say("==> summary")
    ok = True
    for figure, target, met in targets(results):
        say(f"    {verdict(met):6} {figure}   (target {target})")
        ok = ok and met
    return ok


def _command(*args: str) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


def machine() -> dict[str, str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgres": postgres,
        "redis": _command("redis-server", "--version").split(" ")[2] if _command("redis-server", "--version") else "?",
        "wrk": " ".join(_command("wrk", "--version").split()[:2]) or "?",
    }


def write(results: Results) -> Path:
    m = machine()
    lines = [
        "# Benchmark results",
        "",
        "Written by `python -m bench` (bench/README.md says how to run it). Every figure comes from one run "
        "on the machine below; run it again after a change that may matter.",
        "",
        f"- date: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"- machine: {m['cpu']}, {m['memory']} memory; {m['os']}",
        f"- software: Python {m['python']}, PostgreSQL {m['postgres']}, Redis {m['redis']}, {m['wrk']}",
        f"- data: N = {results.small} and N = {results.organisations} organisations, M = {results.items} items "
        f"in lots of ten; every organisation asks for every item ({results.organisations * results.items} "
        f"demand lines in the big initiative); nine in ten submitted and one in fifty withdrawn through the services; "
        f"generated in {results.generate_s:.0f} s",
        "",
        "## Targets",
        "",
        "| result | figure | target |",
        "|---|---|---|",
    ]
    for figure, target, met in targets(results):
        lines.append(f"| {verdict(met)} | {figure} | {target} |")
    s = results.sheet
    if s is not None:
        lines += [
            "", "## Demand sheet (XLSX)", "",
            f"`GET /api/initiatives/<id>/demand-sheet.xlsx` through Django's test client, {sheets_module.REPEAT} runs "
            f"after a warm-up; {s.lines} demand lines, {s.cells} cells, {s.size_kb:.0f} KiB. The baseline is one raw "
            f"SQL aggregate and xlsxwriter writing the same cells (bench/baseline.py; the used range of every "
            f"sheet is the same: {'yes' if s.same_dimensions else 'NO'}).",
            "",
            "| | median | best | peak Python memory (tracemalloc) |",
            "|---|---|---|---|",
            f"| product | {s.product.median:.2f} s | {s.product.best:.2f} s | {s.product_peak_mb:.0f} MiB |",
            f"| baseline | {s.baseline.median:.2f} s | {s.baseline.best:.2f} s | {s.baseline_peak_mb:.0f} MiB |",
            f"| ratio | {s.ratio:.2f} × | | |",
        ]
    if results.pages:
        lines += [
            "", "## Pages", "",
            f"Django's test client, signed in; {pages_module.REPEAT} renders after a warm-up. Queries counted "
            "on one render.",
            "",
            "| page | N | median | p95 | queries | size |",
            "|---|---|---|---|---|---|",
        ]
        for page, small, big in _page_pairs(results.pages):
            for r in (small, big):
                lines.append(f"| {page} | {r.organisations} | {ms(r.timing.median)} | {ms(r.timing.p95)} | "
                             f"{r.queries} | {r.size_kb:.0f} KiB |")
    if results.load:
        lines += [
            "", "## API under load", "",
            "gunicorn (sync workers) behind nginx, as in production, on PostgreSQL with production settings; wrk on "
            f"127.0.0.1 with {load_module.WRK_THREADS} threads. Before the runs two in three submitted participations "
            "are reopened (a deadline rush: most organisations still enter demand). Every organisation walks PUT "
            "demand → submit → reopen → …, round robin, so every answer should be 2xx. Think times are drawn evenly "
            "between 0 and twice the mean, so that the clients do not fire in step. The p95 target applies to the "
            "people at work; clients that never pause measure the capacity (each always waits, so its latency is "
            "clients ÷ throughput, Little's law).",
            "",
            "| run | workers | clients | think time | requests | req/s | p50 | p95 | p99 | max | errors |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in results.load:
            lines.append(f"| {r.name} | {r.workers} | {r.clients} | {r.think_ms} ms | {r.requests} | {r.rps:.0f} | "
                         f"{r.p50_ms:.0f} ms | {r.p95_ms:.0f} ms | {r.p99_ms:.0f} ms | {r.max_ms:.0f} ms | "
                         f"{r.errors} |")
    p = results.pdf
    if p is not None:
        lines += [
            "", "## PDFs (participation decision drafts)", "",
            f"- one draft in-process: request {ms(p.single_request_s)}, render {ms(p.single_render_s)} "
            f"(the first of a process: {p.single_cold_s:.1f} s, WeasyPrint and fonts loading)",
            f"- all {p.batch_documents} drafts of the big initiative, {p.workers} Celery worker processes "
            f"(prefork, concurrency 1) on Redis: batch request {p.batch_request_s:.1f} s, rendered in "
            f"{p.batch_render_s:.1f} s; {p.ready} ready, {p.failed} failed; "
            f"**{p.per_document_s:.2f} s per document**",
        ]
    a = results.agreement
    if a is not None:
        lines += [
            "", "## PDFs (cooperation agreement)", "",
            f"- N = {a.organisations} organisations ({a.participants} participants in the annex and the signatures): "
            f"**{a.pages} pages, {a.seconds:.1f} s** (context {a.context_s:.2f} s, rendering {a.render_s:.1f} s), "
            f"{a.size // 1024} KiB",
        ]
    notes = Path(__file__).with_name("NOTES.md")
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    RESULTS.write_text("\n".join(lines) + "\n")
    return RESULTS
