"""``load_demo`` on a fresh SQLite database against ``manage.py check``, in one run.

Run from the project's folder: ``.venv/bin/python benchmarks/bench_demo.py`` (or ``make bench``).

Both commands run as subprocesses of ``manage.py`` with the project's production settings
(DEBUG off: no query log; ``load_demo --demo-users`` creates the demo users, with the real
password hasher), on a throwaway database,
var/bench/demo/demo.sqlite3: it is migrated once (not timed), copied aside, and each
``load_demo`` starts from a fresh copy of it. Each command runs RUNS times; the median wall time
is shown, and the ratio load_demo / check (the target is at most 2x). A command that fails stops
the run with a non-zero exit.
"""

from __future__ import annotations

import os
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEMO_DIR = BASE_DIR / "var" / "bench" / "demo"
DB_PATH = DEMO_DIR / "demo.sqlite3"
MIGRATED = DEMO_DIR / "migrated.sqlite3"
RUNS = 5
TARGET = 2.0
SECRET_KEY = secrets.token_urlsafe(50)


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="ogp_portal.settings",
        DATABASE_URL=f"sqlite:///{DB_PATH}",
        OGP_VAR_DIR=str(DEMO_DIR),
        MEDIA_ROOT=str(DEMO_DIR / "media"),
        CELERY_DATA_DIR=str(DEMO_DIR / "celery"),
        DEBUG="0",  # as production runs: with DEBUG on, Django logs every query
        SECRET_KEY=SECRET_KEY,
    )
    return env


def manage(*args: str) -> float:
    """Wall seconds of ``manage.py <args>`` in a process of its own."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment(),
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return elapsed


def fresh_database() -> None:
    shutil.copyfile(MIGRATED, DB_PATH)


def main() -> int:
    shutil.rmtree(DEMO_DIR, ignore_errors=True)
    DEMO_DIR.mkdir(parents=True)
    print(f"database: {DB_PATH}", flush=True)
    manage("migrate", "--noinput", "-v0")
    shutil.copyfile(DB_PATH, MIGRATED)

    checks, loads = [], []
    for _ in range(RUNS):
        checks.append(manage("check"))
        fresh_database()
        loads.append(manage("load_demo", "--demo-users", "-v0"))
    check, load = statistics.median(checks), statistics.median(loads)
    ratio = load / check

    print()
    print(f"{'command':<22} {'median (s)':>10}   runs")
    print(f"{'manage.py check':<22} {check:>10.2f}   {', '.join(f'{t:.2f}' for t in checks)}")
    print(f"{'manage.py load_demo':<22} {load:>10.2f}   {', '.join(f'{t:.2f}' for t in loads)}")
    verdict = "within" if ratio <= TARGET else "ABOVE"
    print(f"\nratio load_demo / check: {ratio:.2f}x ({verdict} the target of {TARGET:.0f}x)")
    print(f"median of {RUNS} runs, each in its own process, load_demo on a fresh SQLite database")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
