"""Server time of a plan's dashboard, as a ratio to a bare view returning the same bytes.

Run from the project's folder: ``.venv/bin/python benchmarks/bench_dashboard.py`` (or
``make bench``); ``--reuse`` keeps the database a previous run built, ``--profile`` prints the
functions where the 500-commitment dashboard spends its time.

Both views go through the same middleware and ``django.test.Client``; the bare view returns,
from memory, the bytes the dashboard answered, so the ratio is the dashboard's own cost
(queries, figures, template) over the fixed cost of a request. No cache is involved.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import sys
import time

# Run as a script, this folder is on sys.path: data.py builds the database both benchmarks use.
from data import BIG_PLAN, DEMO_PLAN, configure_environment, prepare_database

RUNS = 15
BARE_URL = "/bench-bare/"
TARGETS_MS = {DEMO_PLAN: 25.0, BIG_PLAN: 150.0}
_BODY: dict[str, bytes] = {}


def bare(request):  # type: ignore[no-untyped-def]
    from django.http import HttpResponse

    return HttpResponse(_BODY["content"], content_type="text/html; charset=utf-8")


def median_ms(client, url: str) -> tuple[float, int]:
    """Median milliseconds over RUNS requests after one warm-up, and the queries of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    times = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            sys.exit(f"GET {url} answered {response.status_code}, not 200")
    return statistics.median(times), len(queries)


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    configure_environment(fresh="--reuse" not in argv)
    os.environ["PAGE_CACHE_ENABLED"] = "0"  # the page's own cost, never a cached copy
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import clear_url_caches, path

    from ogp_portal import urls

    if "--reuse" in argv:  # a database of an older checkout: its series filled by migrating
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    else:
        prepare_database(started)
    urls.urlpatterns.insert(0, path(BARE_URL.strip("/") + "/", bare))
    clear_url_caches()
    setup_test_environment()
    client = Client()
    print(
        f"\n{'plan':<15} {'dashboard ms':>12} {'bare ms':>8} {'ratio':>7} {'queries':>8} "
        f"{'KB':>6} {'target ms':>9}"
    )
    for code in (DEMO_PLAN, BIG_PLAN):
        url = f"/fr/plans/{code}/"
        _BODY["content"] = client.get(url).content
        page_ms, queries = median_ms(client, url)
        bare_ms, _queries = median_ms(client, BARE_URL)
        print(
            f"{code:<15} {page_ms:>12.1f} {bare_ms:>8.2f} {page_ms / bare_ms:>6.0f}x "
            f"{queries:>8} {len(_BODY['content']) / 1024:>6.0f} {TARGETS_MS[code]:>9.0f}"
        )
    if "--profile" in argv:
        profile = cProfile.Profile()
        profile.runcall(client.get, f"/fr/plans/{BIG_PLAN}/")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    print(
        f"\nmedian of {RUNS} runs after 1 warm-up, DEBUG={settings.DEBUG}, SQLite; "
        f"total {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
