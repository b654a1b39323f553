"""``python -m bench``: every benchmark at the size of all of Flanders, each figure printed with its target.

    .venv/bin/python -m bench                 everything (about 10 minutes), writes bench/RESULTS.md
    .venv/bin/python -m bench --only pages    one part: data, sheet, pages, load, pdf (repeatable)
    .venv/bin/python -m bench --quick         small worlds (N = 30 and 120), short load, 60 PDFs: a smoke run
    .venv/bin/python -m bench --no-write      do not touch bench/RESULTS.md

Needs PostgreSQL and Redis on loopback (BENCH_DATABASE_URL, BENCH_BROKER_URL; see bench/common.py) and
wrk (``apt-get install wrk``) for the load part. The bench database is dropped and created anew. Exits
non-zero when a figure misses its target.
"""

import argparse
import sys
import time

from . import common
from .common import say

PARTS = ["sheet", "pages", "load", "pdf", "agreement"]


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=600, help="N of the big world (default 600)")
    parser.add_argument("--small", type=int, default=60, help="N of the small world (default 60)")
    parser.add_argument("--items", type=int, default=60, help="M, items per initiative (default 60)")
    parser.add_argument("--only", action="append", choices=PARTS, help="run only these parts")
    parser.add_argument("--quick", action="store_true", help="a smoke run: small worlds, short load")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    parser.add_argument("--duration", type=int, default=None, help="seconds of each load run")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the bench database and the worlds of the previous run (while tuning)")
    return parser.parse_args()


def main() -> int:
    args = parse()
    if args.quick:
        args.organisations, args.small = 120, 30
    common.apply_environment()
    parts = args.only or PARTS
    import django

    if not args.reuse:
        say(f"==> bench database {common.DATABASE_URL}: created anew and migrated")
        common.recreate_database()
    common.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    django.setup()
    from django.core.management import call_command

    from . import generate, report

    if args.reuse:
        small, big = generate.load_worlds()
        args.small, args.organisations, args.items = small.organisations, big.organisations, big.items
        results = report.Results(organisations=args.organisations, small=args.small, items=args.items)
        say(f"==> reusing N = {args.small} and N = {args.organisations} from the previous run")
    else:
        call_command("migrate", verbosity=0)
        common.purge_broker()
        results = report.Results(organisations=args.organisations, small=args.small, items=args.items)
        say(f"==> generating N = {args.small} and N = {args.organisations} organisations × M = {args.items} items")
        start = time.perf_counter()
        small = generate.generate(organisations=args.small, items=args.items, label="Klein", offset=0)
        big = generate.generate(organisations=args.organisations, items=args.items, label="", offset=args.small + 1)
        results.generate_s = time.perf_counter() - start
        generate.save_worlds(small, big)
        from django.db import connection

        with connection.cursor() as cursor:  # the statistics autovacuum would gather in production
            cursor.execute("ANALYZE")
        say(f"    {results.generate_s:.1f} s")

    if "sheet" in parts:
        from . import sheets

        say("==> demand sheet XLSX")
        results.sheet = sheets.run(big)
        report.print_sheet(results.sheet)
    if "pages" in parts:
        from . import pages

        say("==> pages")
        results.pages = pages.measure(small) + pages.measure(big)
        report.print_pages(results.pages)
    if "load" in parts:
        from . import load

        duration = args.duration or (8 if args.quick else load.DURATION_S)
        say(f"==> API under load (gunicorn, {args.workers} workers; wrk, {load.CLIENTS} clients, {duration} s)")
        results.load.append(load.run(big, name="people at work (3 s think time)", think_ms=3000, duration=duration,
                                     workers=args.workers))
        report.print_load(results.load[-1])
        results.load.append(load.run(big, name="capacity (flat out, no think time)", think_ms=0, duration=duration,
                                     workers=args.workers, latency_target=False))
        report.print_load(results.load[-1])
        results.load_problems = load.check_books(big)
        for problem in results.load_problems:
            say(f"    LOST OR DOUBLED: {problem}")
    if "pdf" in parts:
        from . import pdfs

        say("==> PDFs: decision drafts")
        results.pdf = pdfs.batch(big, single_world=small)
        report.print_pdf(results.pdf)
    if "agreement" in parts:
        from . import pdfs

        say("==> PDFs: the cooperation agreement")
        results.agreement = pdfs.agreement(big, warm_world=small)
        report.print_agreement(results.agreement)

    say("")
    ok = report.print_summary(results)
    if not args.no_write:
        path = report.write(results)
        say(f"==> wrote {path}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
