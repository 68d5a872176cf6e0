"""Generating a report's PDF in Chromium: the secretariat watches the bar move, then downloads.

The broker is a fake that only records what the web process asks for; the test thread plays the
Celery worker in a background thread, so the browser sees the row go pending → running → ready
through its own htmx polling, as a person would. The PDF is rendered but not laid out
(``fake_pdf``): what it says is tested in tests/reports/test_generation.py.
"""

import re
import threading
import time

import pytest
from django.db import connection
from pypdf import PdfReader

import documents.pdf
from reports import tasks
from reports.generation import REPORT
from reports.layout import COMMITMENTS_PER_PART
from reports.models import Report, ReportVersion
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PLAN = "PAN-2021-2023"
# Commitment 1's title, as the demo loads it.
FIRST_TITLE = {
    "fr": "Renforcement de la transparence budgétaire",
    "ar": "تعزيز شفافية الميزانية",
}
# Every progress report of the worker lasts this long, so the bar is seen between two polls.
STEP_SECONDS = 0.6
# Timeouts (ms for Playwright, s for Python): nothing may hang.
READY_MS = 60_000
SEEN_MS = 30_000
SENT_SECONDS = 15
JOIN_SECONDS = 90

# The first intermediate value (0 < n < 100) shown by a version's row, or false.
INTERMEDIATE_JS = """(id) => {
  const el = document.querySelector(`#version-${id} [data-testid=version-progress]`);
  if (!el) return false;
  const n = parseInt(el.textContent, 10);
  return n > 0 && n < 100 ? n : false;
}"""
# A version's row, read at one instant: [status, shown percentage, <progress> value], or null.
ROW_JS = """(id) => {
  const row = document.getElementById(`version-${id}`);
  if (!row) return null;
  const shown = row.querySelector("[data-testid=version-progress]").textContent;
  return [row.dataset.status, parseInt(shown, 10), row.querySelector("progress").value];
}"""


class FakeBroker:
    """Stands in for ``generate_report_version.delay``: remembers the ids, sends nothing."""

    def __init__(self) -> None:
        self.sent: list[int] = []

    def delay(self, version_id: int) -> None:
        self.sent.append(version_id)

    def wait_for(self, count: int) -> int:
        deadline = time.monotonic() + SENT_SECONDS
        while len(self.sent) < count:
            if time.monotonic() > deadline:
                pytest.fail(f"the web process sent {len(self.sent)} task(s), expected {count}")
            time.sleep(0.05)
        return self.sent[count - 1]


class Worker:
    """Runs generations in background threads, as a Celery worker would (errors are kept)."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.results: list[ReportVersion | None] = []
        self.errors: list[BaseException] = []

    def start(self, version_id: int) -> None:
        def work() -> None:
            try:
                self.results.append(REPORT.generate(version_id))
            except Exception as error:  # the task re-raises what made the version fail
                self.errors.append(error)
            finally:
                connection.close()

        thread = threading.Thread(target=work, name=f"worker-{version_id}", daemon=True)
        self.threads.append(thread)
        thread.start()

    def join(self) -> None:
        for thread in self.threads:
            thread.join(JOIN_SECONDS)
        alive = [thread.name for thread in self.threads if thread.is_alive()]
        assert not alive, f"worker threads still running: {alive}"


@pytest.fixture
def broker(settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    fake = FakeBroker()
    monkeypatch.setattr(tasks.generate_report_version, "delay", fake.delay)
    return fake


@pytest.fixture
def worker(demo, live_server, broker):
    """Torn down before the live server and the database: its threads are always joined."""
    worker = Worker()
    yield worker
    worker.join()


@pytest.fixture
def slow_progress(monkeypatch):
    original = ReportVersion.mark_progress

    def mark_progress(self, percent: int, step: str) -> None:
        original(self, percent, step)
        time.sleep(STEP_SECONDS)

    monkeypatch.setattr(ReportVersion, "mark_progress", mark_progress)


def open_and_generate(page, base: str, lang: str) -> int:
    """Open the demo report's manage page, ask for the PDF in ``lang``; the new version's id."""
    report = Report.objects.get(plan__code=PLAN)
    page.goto(f"{base}/{lang}/secretariat/reports/{report.pk}/")
    page.select_option("select[name=language]", lang)
    page.click("[data-testid=generate]")
    page.wait_for_url(re.compile(rf"/{lang}/secretariat/reports/{report.pk}/#version-\d+$"))
    return int(page.url.rsplit("#version-", 1)[1])


def row(version_id: int) -> str:
    return f"#version-{version_id}"


def wait_for_status(page, version_id: int, status: str) -> None:
    page.wait_for_selector(f'{row(version_id)}[data-status="{status}"]', timeout=READY_MS)


def progress_of(page, version_id: int) -> int:
    return int(page.inner_text(f"{row(version_id)} [data-testid=version-progress]").split()[0])


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_secretariat_watches_the_progress_bar_and_downloads_the_pdf(
    worker, broker, slow_progress, live_server, new_page, tmp_path, lang, fake_pdf
):
    base = live_server.url
    page = new_page()
    log_in(page, base, lang, "secretariat")
    version_id = open_and_generate(page, base, lang)
    if lang == "ar":
        assert page.locator("html").get_attribute("dir") == "rtl"
    assert broker.wait_for(1) == version_id
    assert page.get_attribute(row(version_id), "data-status") == "pending"

    worker.start(version_id)
    first = page.wait_for_function(INTERMEDIATE_JS, arg=version_id, timeout=SEEN_MS).json_value()
    assert 0 < first < 100
    screenshot(page, f"report-progress-{lang}")

    # Follow the bar until the end: it only moves forward, and the <progress> agrees.
    seen = [first]
    deadline = time.monotonic() + READY_MS / 1000
    while True:
        state = page.evaluate(ROW_JS, version_id)
        assert state is not None, "the version's row disappeared"
        status, value, bar = state
        assert bar == value, f"<progress> shows {bar}, the text {value}"
        if value != seen[-1]:
            seen.append(value)
        if status in {"ready", "failed"}:
            break
        assert time.monotonic() < deadline, f"not ready in time; seen {seen}"
        page.wait_for_timeout(200)
    assert status == "ready", f"generation failed: {worker.errors}"
    assert seen == sorted(seen), f"the bar went backwards: {seen}"
    assert progress_of(page, version_id) == 100
    assert page.get_attribute(f"{row(version_id)} progress", "value") == "100"
    screenshot(page, f"report-ready-{lang}")

    with page.expect_download() as info:
        page.click(f"{row(version_id)} [data-testid=version-download]")
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    content = target.read_bytes()
    assert content.startswith(b"%PDF")
    assert download.suggested_filename.endswith(f"-{lang}-v1.pdf")

    with ReportVersion.objects.get(pk=version_id).pdf.open("rb") as file:
        assert content == file.read()  # the PDF the generation made
    assert fake_pdf.containing(FIRST_TITLE[lang])  # from the demo report, in that language
    reader = PdfReader(target)

    worker.join()
    assert worker.errors == []
    assert ReportVersion.objects.get(pk=version_id).pages == len(reader.pages)


def test_failed_generation_shows_its_reason_and_can_be_retried(
    worker, broker, live_server, new_page, monkeypatch, fake_pdf
):
    calls = []

    def lay_out(html):
        calls.append(html)
        if len(calls) == 1:
            raise RuntimeError("disk full")
        return fake_pdf.part(html)

    monkeypatch.setattr(documents.pdf, "lay_out", lay_out)
    base = live_server.url
    page = new_page()
    log_in(page, base, "fr", "secretariat")
    version_id = open_and_generate(page, base, "fr")
    assert broker.wait_for(1) == version_id

    worker.start(version_id)
    wait_for_status(page, version_id, "failed")
    worker.join()
    assert [repr(error) for error in worker.errors] == [repr(RuntimeError("disk full"))]
    failed_row = page.locator(row(version_id))
    assert "disk full" in failed_row.locator("[role=alert]").inner_text()
    screenshot(page, "report-failed-fr")

    with page.expect_navigation():
        failed_row.locator("form[action$='/retry/'] button").click()
    assert page.url.endswith(f"#version-{version_id}")
    page.wait_for_selector(".messages .message")
    assert broker.wait_for(2) == version_id
    assert page.get_attribute(row(version_id), "data-status") == "pending"
    assert page.locator(f"{row(version_id)} [role=alert]").count() == 0

    worker.start(version_id)
    wait_for_status(page, version_id, "ready")
    worker.join()
    assert len(worker.errors) == 1
    # The failed part, then every part of the retry: the 22 commitments by ten, the summaries,
    # the annexes, the contents on a guess (none kept yet), the cover, the contents and the
    # footers.
    assert len(calls) == 1 + -(-22 // COMMITMENTS_PER_PART) + 2 + 4
    assert page.locator(f"{row(version_id)} [data-testid=version-download]").is_visible()
    version = ReportVersion.objects.get(pk=version_id)
    assert (version.status, version.error, version.attempts) == ("ready", "", 2)
