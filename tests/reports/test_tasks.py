"""The report's generation task as wired in the reports app: enqueued on commit, a second
delivery does nothing, failures recorded, recovered by beat. The engine's own rules (claim,
lease, retry) are tested in tests/documents/test_engine.py."""

import datetime

import pytest
from django.utils import timezone

import documents.pdf
from documents.models import lease
from reports import services
from reports.generation import REPORT
from reports.models import ReportVersion
from reports.tasks import generate_report_version, recover_report_versions
from tests.factories import ActivityFactory, CommitmentFactory, UserFactory
from tests.reports.factories import ReportFactory, ReportVersionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]


@pytest.fixture
def report():
    commitment = CommitmentFactory(title_fr="Transparence budgétaire")
    ActivityFactory(commitment=commitment)
    return ReportFactory(plan=commitment.plan, title_fr="Rapport")


def test_request_creates_a_pending_version_and_enqueues_on_commit(
    report, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        version, _created = services.report_generation_request(
            report=report, language="fr", user=user
        )
    assert len(callbacks) == 1
    version.refresh_from_db()
    # Eager in tests: the callback ran the task.
    assert version.status == ReportVersion.Status.READY
    assert version.requested_by == user and version.pages and version.progress == 100


def test_success_then_a_second_delivery_is_a_no_op(report):
    version = ReportVersionFactory(report=report)
    name = generate_report_version.apply(args=[version.pk]).get()
    assert name.endswith(".pdf")
    version.refresh_from_db()
    finished = version.finished_at
    assert generate_report_version.apply(args=[version.pk]).get() is None
    version.refresh_from_db()
    assert (version.finished_at, version.attempts) == (finished, 1)


def test_failure_is_recorded_with_its_reason_and_can_be_retried(
    report, monkeypatch, fake_pdf, django_capture_on_commit_callbacks
):
    def broken(html):
        raise RuntimeError("disk full")

    monkeypatch.setattr(documents.pdf, "lay_out", broken)
    version = ReportVersionFactory(report=report)
    with pytest.raises(RuntimeError, match="disk full"):  # the task re-raises after recording
        generate_report_version.apply(args=[version.pk])
    version.refresh_from_db()
    assert version.status == ReportVersion.Status.FAILED
    assert "disk full" in version.error

    monkeypatch.setattr(documents.pdf, "lay_out", fake_pdf.part)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_version_retry(version=version)
    version.refresh_from_db()
    assert version.status == ReportVersion.Status.READY
    assert version.attempts == 2 and version.error == ""


def test_killed_worker_leaves_a_version_that_recovers(report):
    """A worker killed mid-task leaves the row RUNNING and silent; beat's recovery task sends
    it again and the generation completes."""
    version = ReportVersionFactory(report=report)
    REPORT.claim(version.pk)
    long_ago = timezone.now() - lease() - datetime.timedelta(minutes=5)
    ReportVersion.objects.filter(pk=version.pk).update(
        heartbeat_at=long_ago, requested_at=long_ago, progress=40
    )
    assert recover_report_versions.apply().get() == [version.pk]
    version.refresh_from_db()
    assert version.status == ReportVersion.Status.READY
    assert version.attempts == 2


def test_progress_is_reported_as_the_task_goes(report, monkeypatch):
    seen = []
    original = ReportVersion.mark_progress

    def spy(self, percent, step):
        seen.append(percent)
        original(self, percent, step)

    monkeypatch.setattr(ReportVersion, "mark_progress", spy)
    version = ReportVersionFactory(report=report)
    REPORT.generate(version.pk)
    assert seen == sorted(seen) and seen[0] < 50 < seen[-1] < 100


def test_task_declares_time_limits_and_late_acknowledgement():
    assert generate_report_version.acks_late is True
    assert generate_report_version.soft_time_limit < generate_report_version.time_limit
    # The heartbeat keeps a live generation claimed: a dead worker is seen within two minutes.
    assert lease().total_seconds() <= 120 < generate_report_version.time_limit
