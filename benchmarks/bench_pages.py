"""Server time and SQL queries of three pages, the demo plan against a 500-commitment plan.

Run from the project's folder: ``.venv/bin/python benchmarks/bench_pages.py`` (or ``make bench``).

It always works on a throwaway SQLite database, var/bench/bench.sqlite3, made anew at each run:
DATABASE_URL (and the var folder) of the environment are overridden, so it never touches the
development or production database. It migrates, loads the demo, adds the plan BENCH-500 (500
commitments x 10 activities x 5 validated updates, with their history rows) and, for each plan,
requests each page once to warm up, then 5 times, printing the median time of the request
through django.test.Client (middleware, view, queries, template) and the SQL queries it makes.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

# Run as a script, this folder is on sys.path: data.py builds the database both benchmarks use.
from data import BIG_PLAN, DEMO_PLAN, configure_environment, prepare_database

RUNS = 5
COMMITMENT_NUMBER = 1


def measure(client, url: str) -> tuple[float, int]:
    """Median milliseconds over RUNS requests after one warm-up, and the queries of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    check(client.get(url), url)
    times, counts = [], set()
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        check(response, url)
        times.append(elapsed * 1000)
        counts.add(len(queries))
    if len(counts) != 1:
        print(f"note: {url} made {sorted(counts)} queries across runs", file=sys.stderr)
    return statistics.median(times), max(counts)


def check(response, url: str) -> None:
    if response.status_code != 200:
        sys.exit(f"GET {url} answered {response.status_code}, not 200")


def main() -> int:
    configure_environment()
    os.environ["PAGE_CACHE_ENABLED"] = "0"  # the pages' own cost, never a cached copy
    import django

    django.setup()

    from django.test import Client
    from django.test.utils import setup_test_environment

    from commitments.models import Commitment

    started = time.perf_counter()
    prepare_database(started)

    setup_test_environment()
    client = Client()
    pages = [
        ("dashboard", "/fr/plans/{code}/"),
        ("commitment", f"/fr/plans/{{code}}/commitments/{COMMITMENT_NUMBER}/"),
        ("api list", "/api/v1/commitments/?plan={code}"),
    ]
    plans = [DEMO_PLAN, BIG_PLAN]
    sizes = {code: Commitment.objects.filter(plan__code=code).count() for code in plans}
    results: dict[tuple[str, str], tuple[float, int]] = {}
    for page, pattern in pages:
        for code in plans:
            results[page, code] = measure(client, pattern.format(code=code))

    print()
    print(f"{'page':<12} {'plan':<15} {'commitments':>11} {'time (ms)':>10} {'queries':>8}")
    for page, _pattern in pages:
        for code in plans:
            ms, queries = results[page, code]
            print(f"{page:<12} {code:<15} {sizes[code]:>11} {ms:>10.1f} {queries:>8}")
    print()
    print(f"ratio {BIG_PLAN} / {DEMO_PLAN} ({sizes[BIG_PLAN] / sizes[DEMO_PLAN]:.1f}x commitments)")
    print(f"{'page':<12} {'time':>8} {'queries':>8}")
    for page, _pattern in pages:
        (demo_ms, demo_q), (big_ms, big_q) = results[page, DEMO_PLAN], results[page, BIG_PLAN]
        print(f"{page:<12} {big_ms / demo_ms:>7.1f}x {big_q / demo_q:>7.2f}x")
    print(f"\nmedian of {RUNS} runs after 1 warm-up, DEBUG on, SQLite; ", end="")
    print(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
