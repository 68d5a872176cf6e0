"""A report's PDF as the workers make it, by parts, against WeasyPrint alone on the same HTML.

Run from the project's folder: ``.venv/bin/python benchmarks/bench_report.py`` (or
``make bench-report``); ``--languages fr,ar`` (default fr), ``--plans`` (default both).
Needs PostgreSQL and Redis: the workers are real Celery workers (prefork) in processes of
their own, talking to a database of the benchmark's own (BENCH_DATABASE_URL, dropped and made
anew: the demo and BENCH-500 of data.py) through a Redis broker and result backend
(BENCH_BROKER_URL, a database number of its own).

For each plan and language, in one run:

- **alone**: WeasyPrint laying out and writing the report's whole HTML in one pass
  (``reports.layout.single_pass_html``), in a process of its own: the reference;
- **full, 1 worker**: a generation requested as the secretariat requests it, no part kept,
  one worker process, from the request to the version ready (context, the chord of parts,
  the front matter, the assembly, the file);
- **one change**: the same after one activity's title changed (one part and the front matter
  laid out again);
- **full, 2 workers**: the full generation again, no part kept, on two worker processes.

Each worker first makes the demo's report in English, untimed (templates, fonts and translations
loaded, as in a worker that has been running).

Each figure is printed as a ratio (to "alone", and the issue's targets: one change at most
0.20 of full, two workers at least 1.5 times faster than one), with the peak resident memory
of every worker process (VmHWM, read every 50 ms: a process above CELERY_WORKER_MAX_MEMORY_KB is
replaced after its task; target under 400 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

# Run as a script, this folder is on sys.path: data.py builds the database every benchmark uses.
from data import BASE_DIR, BIG_PLAN, DEMO_PLAN, configure_environment, prepare_database

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ogp_bench_report"
)
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/8")
QUEUE = "ogp_bench_report"
TIMEOUT = 20 * 60
ONE_CHANGE_TARGET = 0.20
TWO_WORKERS_TARGET = 1.5
MEMORY_TARGET_MB = 400


def worker_environment() -> dict[str, str]:
    return {
        **os.environ,
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_RESULT_BACKEND": BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
        "DEBUG": "0",
        "SECRET_KEY": "bench-report",
    }


class Worker:
    """A Celery worker of ``processes`` prefork processes on the benchmark's queue."""

    def __init__(self, processes: int) -> None:
        log = open(Path(os.environ["OGP_VAR_DIR"]) / f"worker-{processes}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "ogp_portal", "worker", "--pool=prefork",
             f"--concurrency={processes}", "--loglevel=WARNING", "--without-gossip",
             "--without-mingle", "-Q", QUEUE],
            cwd=BASE_DIR, env=worker_environment(), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.processes = processes
        self.peaks: dict[int, float] = {}
        self.stopped = threading.Event()
        threading.Thread(target=self._watch, daemon=True).start()

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while len(self.children()) < self.processes:
            if time.monotonic() > deadline or self.process.poll() is not None:
                sys.exit("the Celery worker did not start (see var/bench/worker-*.log)")
            time.sleep(0.2)
        time.sleep(1)  # connected to the broker

    def sample(self) -> None:
        """Note the peak resident memory (VmHWM) of each worker process now: children are
        replaced once above CELERY_WORKER_MAX_MEMORY_KB, taking their peak with them."""
        for pid in self.children():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue  # just replaced
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) / 1024
                    self.peaks[pid] = max(self.peaks.get(pid, 0.0), peak)

    def _watch(self) -> None:
        while not self.stopped.wait(0.05):
            self.sample()

    def peak_mb(self) -> list[float]:
        """The peak resident memory of every worker process seen (the children do the work)."""
        self.sample()
        return [peak for peak in self.peaks.values() if peak >= 20]  # not a process being born

    def stop(self) -> None:
        self.stopped.set()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def generate(plan_code: str, language: str, *, keep_parts: bool) -> tuple[float, int]:
    """Seconds from the request to the version ready, and its pages."""
    from commitments.models import Plan
    from documents.models import LaidOutPart
    from reports import services
    from reports.layout import owner
    from reports.models import ReportVersion

    report = services.report_default_for(Plan.objects.get(code=plan_code))
    if not keep_parts:
        for part in LaidOutPart.objects.filter(owner=owner(report.pk, language)):
            part.pdf.delete(save=False)
            part.delete()
    started = time.perf_counter()
    version, _ = services.report_generation_request(report=report, language=language, user=None)
    deadline = time.monotonic() + TIMEOUT
    while True:
        version.refresh_from_db()
        if version.is_done:
            break
        if time.monotonic() > deadline:
            sys.exit(f"{plan_code} {language}: not ready in {TIMEOUT} s")
        time.sleep(0.1)
    elapsed = time.perf_counter() - started
    if version.status != ReportVersion.Status.READY:
        sys.exit(f"{plan_code} {language}: the generation failed: {version.error}")
    return elapsed, version.pages or 0


def warm_up() -> None:
    """The demo's report in English, untimed: each worker process loads its templates, fonts
    and translations, as in a worker that has been running."""
    generate(DEMO_PLAN, "en", keep_parts=False)


def change_one_activity(plan_code: str) -> None:
    from commitments.models import Activity

    activity = Activity.objects.filter(commitment__plan__code=plan_code).order_by("pk").first()
    assert activity is not None
    Activity.objects.filter(pk=activity.pk).update(title_fr=f"{activity.title_fr} (modifiée)")
    Activity.objects.filter(pk=activity.pk).update(title_ar=f"{activity.title_ar} (معدّل)")


def alone(plan_code: str, language: str) -> dict:
    """In a subprocess: WeasyPrint alone on the report's single-pass HTML."""
    configure_environment(fresh=False, database_url=DATABASE_URL)
    import django

    django.setup()
    from django.utils import translation

    from commitments.models import Plan
    from documents.pdf import html_to_pdf
    from reports import services
    from reports.contexts import build_report_context
    from reports.layout import single_pass_html

    report = services.report_default_for(Plan.objects.get(code=plan_code))
    with translation.override(language):
        html = single_pass_html(build_report_context(report, language))
        started = time.perf_counter()
        pdf = html_to_pdf(html)
        elapsed = time.perf_counter() - started
    peak = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
    import io

    from pypdf import PdfReader

    return {"seconds": elapsed, "peak_mb": peak, "pages": len(PdfReader(io.BytesIO(pdf)).pages)}


def main(plans: list[str], languages: list[str]) -> int:
    os.environ.update(
        {"CELERY_BROKER_URL": BROKER_URL, "CELERY_RESULT_BACKEND": BROKER_URL,
         "CELERY_TASK_DEFAULT_QUEUE": QUEUE}
    )  # fmt: skip
    configure_environment(database_url=DATABASE_URL)
    import django

    django.setup()
    from ogp_portal.celery import app

    started = time.perf_counter()
    prepare_database(started)
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(QUEUE)

    rows = []
    memory: list[float] = []
    for plan in plans:
        for language in languages:
            command = [sys.executable, str(Path(__file__).resolve()), "--alone", plan, language]
            output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
            reference = json.loads(output.stdout.strip().splitlines()[-1])
            print(f"{plan} {language}: WeasyPrint alone {reference['seconds']:.1f} s", flush=True)

            one = Worker(1)
            try:
                one.wait_ready()
                warm_up()
                full_1, pages = generate(plan, language, keep_parts=False)
                print(f"{plan} {language}: full on 1 worker {full_1:.1f} s", flush=True)
                change_one_activity(plan)
                changed, _ = generate(plan, language, keep_parts=True)
                print(f"{plan} {language}: after one change {changed:.1f} s", flush=True)
                memory += one.peak_mb()
            finally:
                one.stop()
            two = Worker(2)
            try:
                two.wait_ready()
                warm_up()
                full_2, _ = generate(plan, language, keep_parts=False)
                print(f"{plan} {language}: full on 2 workers {full_2:.1f} s", flush=True)
                memory += two.peak_mb()
            finally:
                two.stop()
            rows.append((plan, language, pages, reference, full_1, changed, full_2))

    print()
    print(
        f"{'plan':<14} {'lang':<4} {'pages':>5} {'alone s':>8} {'full s':>7} {'/alone':>7}"
        f" {'1 change':>8} {'/full':>6} {'2 workers':>9} {'speed-up':>8} {'alone MB':>8}"
    )
    for plan, language, pages, reference, full_1, changed, full_2 in rows:
        print(
            f"{plan:<14} {language:<4} {pages:>5} {reference['seconds']:>8.1f} {full_1:>7.1f}"
            f" {full_1 / reference['seconds']:>6.2f}x {changed:>8.1f}"
            f" {changed / full_1:>6.2f} {full_2:>9.1f} {full_1 / full_2:>7.2f}x"
            f" {reference['peak_mb']:>8.0f}"
        )
    print()
    print(
        f"peak memory of the worker processes: at most {max(memory, default=0):.0f} MB"
        f" ({', '.join(f'{m:.0f}' for m in sorted(memory))})"
    )
    print("targets (on BENCH-500): one change / full <= "
          f"{ONE_CHANGE_TARGET:.2f}; full on 1 worker / full on 2 >= {TWO_WORKERS_TARGET}x;"
          f" every worker under {MEMORY_TARGET_MB} MB")  # fmt: skip
    met = True
    for plan, language, _, _, full_1, changed, full_2 in rows:
        if plan != BIG_PLAN:
            continue
        verdicts = [
            ("one change", changed / full_1 <= ONE_CHANGE_TARGET),
            ("two workers", full_1 / full_2 >= TWO_WORKERS_TARGET),
            ("memory", max(memory, default=0) < MEMORY_TARGET_MB),
        ]
        met = met and all(ok for _, ok in verdicts)
        print(f"{plan} {language}: " + ", ".join(
            f"{name} {'met' if ok else 'NOT met'}" for name, ok in verdicts))  # fmt: skip
    print(f"load average while it ran: {os.getloadavg()[0]:.2f} (1 min)")
    print(f"total {time.perf_counter() - started:.0f} s")
    return 0 if met else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--alone"]:
        print(json.dumps(alone(sys.argv[2], sys.argv[3])))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default="fr")
    parser.add_argument("--plans", default=f"{DEMO_PLAN},{BIG_PLAN}")
    arguments = parser.parse_args()
    sys.exit(main(arguments.plans.split(","), arguments.languages.split(",")))
