"""Requests per second of the public pages under load, with wrk, as ratios to a static file.

Run from the project's folder: ``.venv/bin/python benchmarks/bench_http.py`` (or ``make bench``);
``--quick`` for short runs, ``--duration N`` seconds per URL (10), ``--reuse`` keeps the database
of the last run. Needs wrk (``apt-get install wrk``), PostgreSQL and Redis.

It builds its own PostgreSQL database (BENCH_DATABASE_URL, dropped and made anew: the demo and
BENCH-500 of data.py), collects the static files, and starts two gunicorns on free loopback
ports, as production runs them (3 sync workers, DEBUG=0, PostgreSQL, the Redis cache of
BENCH_CACHE_URL, whitenoise): one with the page cache on, one with it off, so that "uncached" is
the same request rendered by the view. Then, in one run, ``wrk -t2 -c16`` against a static CSS
file (the reference: right before and after each cached dashboard), and for each plan the
dashboard, commitment 1's page and the API list, on each server. It prints requests per
second, the median and 99th percentile latency, and the ratios to the static file; gunicorn
is stopped at the end, on an error or Ctrl-C. See benchmarks/README.md for how to read it.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# Run as a script, this folder is on sys.path: data.py builds the database every benchmark uses.
from data import (
    BASE_DIR,
    BENCH_DIR,
    BIG_PLAN,
    DEMO_PLAN,
    collect_static,
    configure_environment,
    prepare_database,
)

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ogp_bench")
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/7")
WORKERS = 3
TARGET = 0.5  # the cached dashboard's requests per second, at least half the static file's
PAGES = {
    "dashboard": "/fr/plans/{code}/",
    "commitment": "/fr/plans/{code}/commitments/1/",
    "api list": "/api/v1/commitments/?plan={code}",
}
STATIC_CSS = re.compile(r'href="(/static/css/portal\.[0-9a-f]+\.css)"')
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


@dataclass
class Result:
    label: str
    plan: str
    cache: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL (10)")
    parser.add_argument("--quick", action="store_true", help="2 seconds per URL")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--reuse", action="store_true", help="keep the last run's database")
    options = parser.parse_args(argv)
    if options.quick:
        options.duration = 2
    return options


def build_database(reuse: bool) -> None:
    """Migrate, load the demo and BENCH-500 into DATABASE_URL, in this process (DEBUG on, as
    load_demo needs); the servers then run with DEBUG off."""
    started = time.perf_counter()
    configure_environment(fresh=not reuse, database_url=DATABASE_URL)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    if reuse:
        call_command("migrate", verbosity=0, interactive=False)
    else:
        prepare_database(started)
    connections.close_all()


def server_env(page_cache: bool, key_prefix: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        CACHE_URL=CACHE_URL,
        CACHE_KEY_PREFIX=key_prefix,
        PAGE_CACHE_ENABLED="1" if page_cache else "0",
        STATIC_ROOT=str(BENCH_DIR / "static"),
        # One client address makes every request: a limit that never trips, still counted.
        API_THROTTLE_ANON="1000000/second",
    )
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], name: str) -> Iterator[str]:
    """A gunicorn serving the portal until the block ends, however it ends; its URL."""
    port = free_port()
    log = BENCH_DIR / f"gunicorn-{name}.log"
    command = [
        sys.executable, "-m", "gunicorn", "ogp_portal.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--worker-class", "sync",
        "--log-level", "warning",
    ]  # fmt: skip
    with log.open("w") as output:  # a file, not a pipe: a full pipe would block the server
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches this script, which stops it
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, log)
        yield url
    finally:
        stop(process)


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped:\n{log.read_text()[-5000:]}")
        try:
            urllib.request.urlopen(f"{url}/favicon.ico", timeout=10).close()
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    sys.exit(f"gunicorn did not answer within 120 s:\n{log.read_text()[-5000:]}")


def stop(process: subprocess.Popen) -> None:
    """TERM to gunicorn's master (it stops its workers), KILL to the group if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def warm_up(url: str, cached: bool) -> None:
    """Requests sent together, as wrk will, so that every worker (not only the first idle
    one) has its code loaded, its database connection open and the page in its recent pages;
    any answer but a 200 stops the run."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=4 * WORKERS) as pool:
        answers = [answer for _ in range(2) for answer in pool.map(fetch, [url] * 4 * WORKERS)]
    for status, _headers, _body in answers:
        if status != 200:
            sys.exit(f"GET {url} answered {status}, not 200")
    headers = answers[-1][1]
    if cached != ("ETag" in headers):
        state = "on" if cached else "off"
        sys.exit(f"GET {url}: the page cache should be {state}, ETag is {headers.get('ETag')}")


def wrk(url: str, options: argparse.Namespace) -> tuple[float, float, float, int]:
    """Requests per second, p50 and p99 in ms, and the errors wrk saw (non-2xx, socket)."""
    command = [
        "wrk", f"-t{options.threads}", f"-c{options.connections}", f"-d{options.duration}s",
        "--timeout", "60s", "--latency", url,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = re.search(r"Requests/sec:\s+([0-9.]+)", output)
    p50 = re.search(r"50%\s+([0-9.]+)(us|ms|s|m)\b", output)
    p99 = re.search(r"99%\s+([0-9.]+)(us|ms|s|m)\b", output)
    if not (rate and p50 and p99):
        sys.exit(f"could not read wrk's output:\n{output}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors += int(non_2xx[1]) if non_2xx else 0
    return (
        float(rate[1]),
        float(p50[1]) * UNITS[p50[2]],
        float(p99[1]) * UNITS[p99[2]],
        errors,
    )


def measure(label: str, plan: str, cache: str, url: str, options: argparse.Namespace) -> Result:
    rate, p50, p99, errors = wrk(url, options)
    print(f"  {label:<11} {plan:<14} {cache:<5} {rate:>9.1f} req/s", flush=True)
    return Result(label, plan, cache, rate, p50, p99, errors)


def run(options: argparse.Namespace, key_prefix: str) -> list[Result]:
    cached_env = server_env(page_cache=True, key_prefix=key_prefix)
    collect_static(cached_env)
    with (
        gunicorn(cached_env, "cached") as cached,
        gunicorn(server_env(page_cache=False, key_prefix=key_prefix), "uncached") as uncached,
    ):
        _status, _headers, html = fetch(f"{cached}/fr/plans/{DEMO_PLAN}/")
        static = STATIC_CSS.search(html.decode())
        if static is None:
            sys.exit("the dashboard links no /static/css/portal.<hash>.css")
        static_url = f"{cached}{static[1]}"
        fetch(static_url)
        results = []
        for code in (DEMO_PLAN, BIG_PLAN):
            for label, pattern in PAGES.items():
                for cache, server in (("on", cached), ("off", uncached)):
                    url = server + pattern.format(code=code)
                    warm_up(url, cached=cache == "on")
                    targeted = label == "dashboard" and cache == "on"
                    if targeted:  # the static file right before and after it (see report)
                        results.append(measure("static css", "", "", static_url, options))
                    results.append(measure(label, code, cache, url, options))
                    if targeted:
                        results.append(measure("static css", "", "", static_url, options))
    return results


def report(results: list[Result], options: argparse.Namespace) -> bool:
    """Print the table; whether the cached dashboards reach the target and nothing failed.

    A cached dashboard is compared with the static file measured right before and after it
    (the mean of the two): on a machine shared with other work, the load can change within a
    run, and it then changes both alike. Every other page, with the mean of all static runs."""
    static = [r.requests_per_second for r in results if r.label == "static css"]
    overall = sum(static) / len(static)
    print(
        f"\n{'page':<11} {'plan':<14} {'cache':<5} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'static/page':>11} {'page/static':>11} {'errors':>6} {'target':>7}"
    )
    ok = True
    for index, r in enumerate(results):
        targeted = r.label == "dashboard" and r.cache == "on"
        reference = overall
        if targeted:
            before, after = results[index - 1], results[index + 1]
            reference = (before.requests_per_second + after.requests_per_second) / 2
        met = r.requests_per_second / reference >= TARGET
        ok = ok and r.errors == 0 and (met or not targeted)
        target = (f">={TARGET:.2f}" + ("" if met else " !")) if targeted else ""
        print(
            f"{r.label:<11} {r.plan:<14} {r.cache:<5} {r.requests_per_second:>9.1f} "
            f"{r.p50_ms:>8.2f} {r.p99_ms:>8.2f} {reference / r.requests_per_second:>10.1f}x "
            f"{r.requests_per_second / reference:>11.3f} {r.errors:>6} {target:>7}"
        )
    print(
        f"\nstatic css: {min(static):.0f} to {max(static):.0f} req/s over the run; a cached "
        "dashboard's ratios are to the mean of the static runs just before and after it, the "
        f"others' to the mean of all ({overall:.0f} req/s). "
        f"wrk -t{options.threads} -c{options.connections} -d{options.duration}s per URL; "
        f"gunicorn {WORKERS} sync workers, DEBUG=0, PostgreSQL, Redis cache."
    )
    return ok


def forget_cached_pages(key_prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(CACHE_URL)
    for key in client.scan_iter(f"{key_prefix}:*"):
        client.delete(key)


def interrupted(signum: int, frame: object) -> None:
    """A TERM (a CI's timeout, kill) stops the servers as Ctrl-C does."""
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    options = arguments(argv)
    if shutil.which("wrk") is None:
        print("wrk is missing: install it with `apt-get install wrk` (Debian, Ubuntu).")
        return 2
    signal.signal(signal.SIGTERM, interrupted)
    started = time.perf_counter()
    before = os.getloadavg()
    build_database(options.reuse)
    key_prefix = f"bench-http-{os.getpid()}"
    try:
        results = run(options, key_prefix)
    finally:
        forget_cached_pages(key_prefix)
    ok = report(results, options)
    after = os.getloadavg()
    print(
        f"load average (1, 5, 15 min) before: {before[0]:.2f} {before[1]:.2f} {before[2]:.2f}, "
        f"after: {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}, on {os.cpu_count()} cores; "
        f"total {time.perf_counter() - started:.0f} s"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
