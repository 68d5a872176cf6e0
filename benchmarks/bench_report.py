"""Time, pages and memory of a report's PDF, the demo plan against a 500-commitment plan.

Run from the project's folder: ``.venv/bin/python benchmarks/bench_report.py`` (or
``make bench-report``).

Like bench_pages.py, it builds a throwaway SQLite database, var/bench/bench.sqlite3 (the demo and
BENCH-500, see data.py), then measures, for each plan and each of French and Arabic, a
generation as the worker makes it: ``reports.generation.REPORT.generate`` itself
(context, template, WeasyPrint layout and writing, saving the file, counting the pages). Its
steps are timed by thin wrappers around the functions it calls, not by a copy of them:
build_report_context + report_charts (data), render_to_string (template), HTML(...).render()
(WeasyPrint layout) and Document.write_pdf() (writing); the rest (claim, progress, fingerprint,
saving) is "other".

Each (plan, language) case runs in a subprocess of its own, so that memory peaks don't add up:
it first makes one warm-up generation of the demo plan in the same language (templates, fonts,
translations loaded, as in a worker that has been running), then the timed generations (without
tracemalloc, which slows Python down), reads the process's max RSS, then makes one more
generation under tracemalloc for the peak of Python allocations. tracemalloc slows WeasyPrint
down 5 to 7 times (about 5 minutes for each language of BENCH-500), so BENCH-500 is traced only
with ``--trace-all`` (a run of about 15 minutes instead of 3). The PDFs are copied to
var/bench/report-<plan>-<language>.pdf.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

# Run as a script, this folder is on sys.path: data.py builds the database both benchmarks use.
from data import BENCH_DIR, BIG_PLAN, DEMO_PLAN, configure_environment, prepare_database

LANGUAGES = ["fr", "ar"]
RUNS = {DEMO_PLAN: 3, BIG_PLAN: 1}  # timed generations per case; the median one is shown
STEPS = ["data", "template", "layout", "write"]


def generate(plan_code: str, language: str) -> dict:
    """One REPORT.generate, timed step by step; its figures."""
    from unittest import mock

    import weasyprint

    from commitments.models import Plan
    from documents import pdf
    from reports import generation, services
    from reports.generation import REPORT
    from reports.models import ReportVersion

    timings = dict.fromkeys(STEPS, 0.0)

    def timed(step: str, function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                timings[step] += time.perf_counter() - start

        return wrapper

    class TimedHTML(weasyprint.HTML):
        """HTML.write_pdf() is render() then Document.write_pdf(): time each."""

        def render(self, *args, **kwargs):
            document = timed("layout", super().render)(*args, **kwargs)
            document.write_pdf = timed("write", document.write_pdf)
            return document

    report = services.report_default_for(Plan.objects.get(code=plan_code))
    version = ReportVersion.objects.create(report=report, language=language)
    with mock.patch.multiple(
        generation,
        build_report_context=timed("data", generation.build_report_context),
        report_charts=timed("data", generation.report_charts),
    ), mock.patch.multiple(
        pdf, HTML=TimedHTML, render_to_string=timed("template", pdf.render_to_string)
    ):  # fmt: skip
        start = time.perf_counter()
        done = REPORT.generate(version.pk)
        total = time.perf_counter() - start
    if done is None or done.status != ReportVersion.Status.READY:
        sys.exit(f"{plan_code} {language}: the generation did not finish ({version.pk})")
    copy = BENCH_DIR / f"report-{plan_code}-{language}.pdf"
    shutil.copyfile(done.pdf.path, copy)
    return {"total": total, **timings, "pages": done.pages, "pdf": str(copy)}


def max_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def current_rss_mb() -> float | None:
    """What the process still holds (Linux), e.g. a worker after its generation."""
    import gc
    import os

    gc.collect()
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return None


def run_case(plan_code: str, language: str, trace: bool) -> dict:
    """In the subprocess: warm up, time, then trace; one JSON line on stdout."""
    import tracemalloc

    configure_environment(fresh=False)
    import django

    django.setup()

    started = time.perf_counter()
    generate(DEMO_PLAN, language)
    warm_up = time.perf_counter() - started
    rss_before = max_rss_mb()
    runs = [generate(plan_code, language) for _ in range(RUNS[plan_code])]
    result = sorted(runs, key=lambda run: run["total"])[len(runs) // 2]
    result["totals"] = [run["total"] for run in runs]
    result["rss_before"], result["rss"] = rss_before, max_rss_mb()
    result["rss_after"] = current_rss_mb()
    result["warm_up"] = warm_up

    result["py_peak"] = result["traced_total"] = None
    if trace:
        tracemalloc.start()
        traced = generate(plan_code, language)
        result["py_peak"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        result["traced_total"] = traced["total"]
    return result


def main(trace_all: bool) -> int:
    configure_environment()
    import django

    django.setup()

    from commitments.models import Commitment

    started = time.perf_counter()
    prepare_database(started)

    cases = [(plan, language) for plan in (DEMO_PLAN, BIG_PLAN) for language in LANGUAGES]
    sizes = {plan: Commitment.objects.filter(plan__code=plan).count() for plan, _ in cases}
    results: dict[tuple[str, str], dict] = {}
    for plan, language in cases:
        case_started = time.perf_counter()
        trace = trace_all or plan == DEMO_PLAN
        command = [sys.executable, str(Path(__file__).resolve()), "--case", plan, language]
        output = subprocess.run(
            command + (["--trace"] if trace else []),
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        results[plan, language] = json.loads(output.strip().splitlines()[-1])
        print(
            f"{plan} {language} measured ({time.perf_counter() - case_started:.1f} s, "
            f"total {time.perf_counter() - started:.1f} s)",
            flush=True,
        )

    print()
    print(
        f"{'plan':<14} {'lang':<4} {'commit.':>7} {'total s':>8} {'data':>7} {'templ.':>7}"
        f" {'layout':>7} {'write':>7} {'other':>6} {'data+tpl':>8} {'pages':>6}"
        f" {'py peak MB':>10} {'max RSS MB':>10}"
    )
    for plan, language in cases:
        r = results[plan, language]
        other = r["total"] - sum(r[step] for step in STEPS)
        share = (r["data"] + r["template"]) / r["total"] * 100
        peak = "-" if r["py_peak"] is None else f"{r['py_peak']:.1f}"
        print(
            f"{plan:<14} {language:<4} {sizes[plan]:>7} {r['total']:>8.2f} {r['data']:>7.2f}"
            f" {r['template']:>7.2f} {r['layout']:>7.2f} {r['write']:>7.2f} {other:>6.2f}"
            f" {share:>7.1f}% {r['pages']:>6} {peak:>10} {r['rss']:>10.1f}"
        )
    print()
    print(f"ratio {BIG_PLAN} / {DEMO_PLAN} ({sizes[BIG_PLAN] / sizes[DEMO_PLAN]:.1f}x commitments)")
    print(f"{'lang':<4} {'time':>8} {'pages':>8}")
    for language in LANGUAGES:
        demo, big = results[DEMO_PLAN, language], results[BIG_PLAN, language]
        print(
            f"{language:<4} {big['total'] / demo['total']:>7.1f}x"
            f" {big['pages'] / demo['pages']:>7.1f}x"
        )
    print()
    print("times in seconds; data = build_report_context + report_charts, template =")
    print("render_to_string, layout = HTML(...).render(), write = Document.write_pdf(), other =")
    print("claim, progress, fingerprint, saving and counting the pages; data+tpl = share of the")
    print("total outside WeasyPrint's layout and writing. Each case in its own process, after a")
    print(f"warm-up generation of {DEMO_PLAN}; {DEMO_PLAN}: median of {RUNS[DEMO_PLAN]} runs.")
    print("py peak = tracemalloc's peak during one more generation (BENCH-500: only with")
    print("--trace-all); max RSS = the process's ru_maxrss after the timed generations; RSS")
    print("before = its max RSS after the warm-up, RSS after = what it still holds after them.")
    for plan, language in cases:
        r = results[plan, language]
        runs = ", ".join(f"{t:.2f}" for t in r["totals"])
        after = "?" if r["rss_after"] is None else f"{r['rss_after']:.0f}"
        traced = ""
        if r["traced_total"] is not None:
            traced = f"under tracemalloc {r['traced_total']:.2f} s; "
        print(
            f"{plan} {language}: runs {runs} s; {traced}cold warm-up {r['warm_up']:.2f} s;"
            f" RSS before {r['rss_before']:.0f} MB, after {after} MB; {r['pdf']}"
        )
    print(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--case"]:
        print(json.dumps(run_case(arguments[1], arguments[2], "--trace" in arguments[3:])))
        sys.exit(0)
    if set(arguments) - {"--trace-all"}:
        sys.exit(f"usage: {sys.argv[0]} [--trace-all]")
    sys.exit(main(trace_all="--trace-all" in arguments))
