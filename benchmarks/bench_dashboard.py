"""Server time of a plan's dashboard, as a ratio to a bare view returning the same bytes.

Run from the project's folder: ``.venv/bin/python benchmarks/bench_dashboard.py`` (or
``make bench``); ``--reuse`` keeps the database a previous run built, ``--profile`` prints the
functions where the 500-commitment dashboard spends its time.

Both views are requested as gunicorn requests them: Django's WSGI handler called with a WSGI
environ, through the same middleware, and the body read to its end (``django.test.Client`` would
add the test framework's own work: it copies the template context at every template rendered,
to record it). The bare view returns, from memory, the bytes the dashboard answered, so the
ratio is the dashboard's own cost (queries, figures, template) over the fixed cost of a request.
No cache is involved.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import secrets
import statistics
import subprocess
import sys
import time

# Run as a script, this folder is on sys.path: data.py builds the database both benchmarks use.
from data import (
    BENCH_DIR,
    BIG_PLAN,
    DEMO_PLAN,
    collect_static,
    configure_environment,
    prepare_database,
)

RUNS = 15
BARE_URL = "/bench-bare/"
TARGETS_MS = {DEMO_PLAN: 25.0, BIG_PLAN: 150.0}
_BODY: dict[str, bytes] = {}


def bare(request):  # type: ignore[no-untyped-def]
    from django.http import HttpResponse

    return HttpResponse(_BODY["content"], content_type="text/html; charset=utf-8")


class Server:
    """Django's WSGI application, called as a WSGI server calls it."""

    def __init__(self) -> None:
        from django.core.wsgi import get_wsgi_application
        from django.test.client import RequestFactory

        self.application = get_wsgi_application()
        self.factory = RequestFactory()

    def get(self, url: str) -> tuple[str, bytes]:
        """The status line and the body of GET ``url``."""
        environ = self.factory._base_environ(PATH_INFO=url, REQUEST_METHOD="GET")
        status: list[str] = []
        chunks = self.application(environ, lambda line, headers, exc_info=None: status.append(line))
        try:
            body = b"".join(chunks)
        finally:
            chunks.close()  # as a server does: request_finished, the connection's upkeep
        return status[0], body


def median_ms(server: Server, url: str) -> tuple[float, int]:
    """Median milliseconds over RUNS requests after one warm-up, and the queries of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    server.get(url)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        status, _body = server.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if not status.startswith("200"):
            sys.exit(f"GET {url} answered {status}, not 200")
    with CaptureQueriesContext(connection) as queries:  # counted apart: it slows each query
        server.get(url)
    return statistics.median(times), len(queries)


def prepare() -> int:
    """Build the database, in a process of its own: load_demo needs DEBUG on."""
    started = time.perf_counter()
    configure_environment(fresh=True)
    import django

    django.setup()
    prepare_database(started)
    return 0


def production_settings() -> None:
    """The measure runs with DEBUG off, as production does (no query log, no debug template
    engine, static files from collectstatic's manifest)."""
    configure_environment(fresh=False)
    os.environ.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        STATIC_ROOT=str(BENCH_DIR / "static"),
        PAGE_CACHE_ENABLED="0",  # the page's own cost, never a cached copy
    )
    collect_static(dict(os.environ))


def main(argv: list[str]) -> int:
    if "--prepare" in argv:
        return prepare()
    started = time.perf_counter()
    if "--reuse" not in argv:
        subprocess.run([sys.executable, __file__, "--prepare"], check=True)
    production_settings()
    import django

    django.setup()
    from django.conf import settings
    from django.urls import clear_url_caches, path

    from ogp_portal import urls

    if "--reuse" in argv:  # a database of an older checkout: its series filled by migrating
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    urls.urlpatterns.insert(0, path(BARE_URL.strip("/") + "/", bare))
    clear_url_caches()
    server = Server()
    print(
        f"\n{'plan':<15} {'dashboard ms':>12} {'bare ms':>8} {'ratio':>7} {'queries':>8} "
        f"{'KB':>6} {'target ms':>9}"
    )
    missed = []
    for code in (DEMO_PLAN, BIG_PLAN):
        url = f"/fr/plans/{code}/"
        _BODY["content"] = server.get(url)[1]
        page_ms, queries = median_ms(server, url)
        bare_ms, _queries = median_ms(server, BARE_URL)
        verdict = "" if page_ms <= TARGETS_MS[code] else " missed"
        if verdict:
            missed.append(code)
        print(
            f"{code:<15} {page_ms:>12.1f} {bare_ms:>8.2f} {page_ms / bare_ms:>6.0f}x "
            f"{queries:>8} {len(_BODY['content']) / 1024:>6.0f} {TARGETS_MS[code]:>9.0f}{verdict}"
        )
    if "--profile" in argv:
        profile = cProfile.Profile()
        profile.runcall(server.get, f"/fr/plans/{BIG_PLAN}/")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    print(
        f"\nmedian of {RUNS} runs after 1 warm-up, DEBUG={settings.DEBUG}, SQLite; "
        f"total {time.perf_counter() - started:.0f} s; load average {os.getloadavg()[0]:.1f}"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
