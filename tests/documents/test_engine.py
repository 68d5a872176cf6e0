"""The document engine on its own: claim, lease, heartbeat, failure, release, recovery, retry,
same data and the newest ready version. It runs here over report versions with a build that
makes a one-page PDF, since the engine knows nothing of what a document says."""

import dataclasses
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

from documents.engine import LOST_AFTER, Built, Generation, fingerprint
from documents.models import GeneratedDocument, lease
from reports.models import Report, ReportVersion
from tests.factories import PlanFactory, one_page_pdf

pytestmark = pytest.mark.django_db
Status = GeneratedDocument.Status


class Builder:
    """A build function that records its calls; ``data`` is what the document shows."""

    def __init__(self) -> None:
        self.calls: list[int] = []
        self.data = "v1"
        self.error: BaseException | None = None

    def __call__(self, version: ReportVersion) -> Built:
        self.calls.append(version.pk)
        version.mark_progress(50, "Halfway")
        if self.error is not None:
            raise self.error
        return Built(pdf=one_page_pdf(), data_hash=f"hash-{self.data}")


@pytest.fixture
def builder() -> Builder:
    return Builder()


@pytest.fixture
def generation(builder) -> Generation:
    return Generation(model=ReportVersion, parent="report", build=builder, file_prefix="test")


@pytest.fixture
def report() -> Report:
    plan = PlanFactory()
    return Report.objects.create(
        plan=plan, title_fr="Rapport", period_start=plan.start_date, period_end=plan.end_date
    )


def pending(report: Report, language: str = "fr") -> ReportVersion:
    return ReportVersion.objects.create(report=report, language=language)


def test_a_generation_ends_ready_with_its_file_pages_and_fingerprint(generation, report):
    version = generation.generate(pending(report).pk)
    version.refresh_from_db()
    assert (version.status, version.progress, version.pages) == (Status.READY, 100, 1)
    assert version.data_hash == "hash-v1" and version.attempts == 1
    assert version.pdf.name.startswith("reports/") and version.pdf.name.endswith(".pdf")
    assert f"test-{report.pk}-fr-{version.pk}" in version.pdf.name


def test_a_second_delivery_and_an_unknown_id_do_nothing(generation, builder, report):
    version = pending(report)
    generation.generate(version.pk)
    assert generation.generate(version.pk) is None
    assert generation.generate(987654) is None
    assert builder.calls == [version.pk]


def test_a_running_version_is_claimed_once_until_its_lease_runs_out(generation, report):
    version = pending(report)
    assert generation.claim(version.pk)
    assert not generation.claim(version.pk)  # another delivery while it runs
    silent = timezone.now() - lease() - datetime.timedelta(minutes=1)
    ReportVersion.objects.filter(pk=version.pk).update(heartbeat_at=silent)
    assert generation.claim(version.pk)  # its worker died: claimed again
    version.refresh_from_db()
    assert version.attempts == 2


def test_progress_is_a_heartbeat(generation, builder, report):
    version = pending(report)
    generation.claim(version.pk)
    version.refresh_from_db()
    before = version.heartbeat_at
    version.mark_progress(40, "Collecting the data")
    version.refresh_from_db()
    assert (version.progress, version.step) == (40, "Collecting the data")
    assert version.heartbeat_at >= before


def test_a_failure_is_recorded_then_raised(generation, builder, report):
    builder.error = RuntimeError("disk full")
    version = pending(report)
    with pytest.raises(RuntimeError, match="disk full"):
        generation.generate(version.pk)
    version.refresh_from_db()
    assert version.status == Status.FAILED and version.error == "RuntimeError: disk full"
    assert version.finished_at is not None


def test_a_database_hiccup_puts_the_version_back_in_the_queue(generation, builder, report):
    builder.error = OperationalError("server closed the connection")
    version = pending(report)
    with pytest.raises(OperationalError):
        generation.generate(version.pk)
    version.refresh_from_db()
    assert version.status == Status.PENDING  # the task's retry claims it again
    builder.error = None
    assert generation.generate(version.pk) is not None


def test_only_a_failed_version_is_retried_and_the_retry_is_sent(generation, builder, report):
    sent: list[int] = []
    version = pending(report)
    with pytest.raises(ValidationError):
        generation.retry(version, None, sent.append)
    builder.error = RuntimeError("disk full")
    with pytest.raises(RuntimeError):
        generation.generate(version.pk)
    generation.retry(version, None, sent.append)
    version.refresh_from_db()
    assert (version.status, version.error, version.progress) == (Status.PENDING, "", 0)


def test_recovery_sends_the_unsent_the_silent_and_the_lost(generation, report):
    long_ago = timezone.now() - lease() - datetime.timedelta(minutes=5)
    unsent = pending(report)  # the broker was down when it was asked for
    lost = pending(report)
    dead = pending(report, "ar")
    in_the_queue = pending(report, "en")
    generation.claim(dead.pk)
    ReportVersion.objects.filter(pk=lost.pk).update(
        sent_at=timezone.now() - LOST_AFTER - datetime.timedelta(minutes=1)
    )
    ReportVersion.objects.filter(pk=in_the_queue.pk).update(sent_at=timezone.now())
    ReportVersion.objects.filter(pk=dead.pk).update(heartbeat_at=long_ago)
    sent: list[int] = []
    assert generation.recover(sent.append) == sorted([unsent.pk, lost.pk, dead.pk])
    assert sent == sorted([unsent.pk, lost.pk, dead.pk])
    assert ReportVersion.objects.get(pk=unsent.pk).sent_at is not None


def test_recovery_stops_while_the_broker_is_still_down(generation, report):
    first, second = pending(report), pending(report, "ar")

    def down(document_id: int) -> None:
        raise BrokerUnreachable("Connection refused")

    assert generation.recover(down) == []
    assert ReportVersion.objects.filter(pk__in=[first.pk, second.pk], sent_at=None).count() == 2


def test_the_same_data_points_to_the_first_version_made_from_it(generation, builder, report):
    first = generation.generate(pending(report).pk)
    second = generation.generate(pending(report).pk)
    other_language = generation.generate(pending(report, "ar").pk)
    builder.data = "v2"
    changed = generation.generate(pending(report).pk)
    assert second.same_data_as == first and other_language.same_data_as is None
    assert changed.same_data_as is None


def test_the_newest_ready_version_is_the_one_asked_for_last(generation, report):
    older = generation.generate(pending(report).pk)
    newer = generation.generate(pending(report).pk)
    pending(report)  # asked for after both, not ready
    ReportVersion.objects.filter(pk=older.pk).update(finished_at=timezone.now())  # finished last
    versions = ReportVersion.objects.filter(report=report)
    assert versions.latest_ready("fr") == newer
    assert versions.latest_ready("en") is None


def test_request_creates_a_pending_version_and_sends_it_on_commit(
    generation, report, django_capture_on_commit_callbacks
):
    sent: list[int] = []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version, _created = generation.request(report, "ar", None, sent.append)
    assert version.status == Status.PENDING and sent == []
    for callback in callbacks:
        callback()
    assert sent == [version.pk]


@dataclasses.dataclass(frozen=True)
class Content:
    title: str
    made_at: datetime.datetime


def test_the_fingerprint_hashes_the_content_less_what_is_left_out():
    now = timezone.now()
    one, later = Content("Rapport", now), Content("Rapport", now + datetime.timedelta(hours=1))
    assert fingerprint(one) != fingerprint(later)
    assert fingerprint(one, leave_out=("made_at",)) == fingerprint(later, leave_out=("made_at",))
    assert fingerprint(Content("Autre", now), leave_out=("made_at",)) != fingerprint(
        one, leave_out=("made_at",)
    )
