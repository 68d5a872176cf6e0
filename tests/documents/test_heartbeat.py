"""A running generation beats its heart the whole time, even through WeasyPrint's one long call,
so one whose worker was killed is seen within the lease (a few heartbeats, a minute with the
defaults); it then shows as stalled on its row and in the API, the secretariat may retry it,
and beat's recovery sends it again."""

import datetime
import threading
import time

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from documents.engine import Built, Generation
from documents.models import GeneratedDocument, heartbeat_interval, lease
from meetings.models import MinutesVersion
from reports.models import ReportVersion
from reports.tasks import recover_report_versions
from tests.factories import one_page_pdf
from tests.meetings.factories import MinutesVersionFactory
from tests.reports.factories import ReportVersionFactory

Status = GeneratedDocument.Status
STALLED = "The worker stopped answering"


class LongCall:
    """A build that spends ``seconds`` in one call that reports nothing, as WeasyPrint's layout
    does, and meanwhile reads the version's heartbeat as another process would."""

    def __init__(self, seconds: float, error: Exception | None = None) -> None:
        self.seconds, self.error = seconds, error
        self.beats: list[datetime.datetime] = []

    def __call__(self, version: ReportVersion) -> Built:
        deadline = time.monotonic() + self.seconds
        while time.monotonic() < deadline:
            beat = ReportVersion.objects.values_list("heartbeat_at", flat=True).get(pk=version.pk)
            if not self.beats or beat != self.beats[-1]:
                self.beats.append(beat)
            time.sleep(0.05)
        if self.error:
            raise self.error
        return Built(pdf=one_page_pdf(), data_hash="hash")


def heartbeat_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("heartbeat")]


@pytest.fixture
def fast_heartbeat(settings):
    settings.GENERATION_HEARTBEAT_SECONDS = 0.2


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_goes_on_through_one_long_call(public_report, fast_heartbeat):
    build = LongCall(seconds=1.5)
    generation = Generation(model=ReportVersion, parent="report", build=build, file_prefix="t")
    version = ReportVersionFactory(report=public_report)
    generation.generate(version.pk)
    assert len(build.beats) >= 4  # the claim's, then one every 0.2 s
    assert heartbeat_threads() == []
    version.refresh_from_db()
    assert version.status == Status.READY


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_stops_when_the_generation_fails(public_report, fast_heartbeat):
    build = LongCall(seconds=0.5, error=RuntimeError("disk full"))
    generation = Generation(model=ReportVersion, parent="report", build=build, file_prefix="t")
    version = ReportVersionFactory(report=public_report)
    with pytest.raises(RuntimeError):
        generation.generate(version.pk)
    assert heartbeat_threads() == []
    version.refresh_from_db()
    last = version.heartbeat_at
    time.sleep(0.5)
    version.refresh_from_db()
    assert version.heartbeat_at == last


def test_the_lease_is_a_few_heartbeats_and_about_a_minute(settings):
    assert lease() == 4 * heartbeat_interval()
    assert datetime.timedelta(seconds=30) <= lease() <= datetime.timedelta(minutes=2)
    settings.GENERATION_HEARTBEAT_SECONDS = 1
    assert lease() == datetime.timedelta(seconds=4)


def test_redis_gives_a_taken_message_back_only_after_the_longest_task(settings):
    from reports.tasks import generate_report_version

    longest = max(settings.CELERY_TASK_TIME_LIMIT, generate_report_version.time_limit)
    assert settings.REDIS_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > longest


def silent(version, seconds: float) -> None:
    """The version running, its last heartbeat ``seconds`` ago."""
    beat = timezone.now() - datetime.timedelta(seconds=seconds)
    type(version).objects.filter(pk=version.pk).update(
        status=Status.RUNNING, started_at=beat, heartbeat_at=beat, attempts=1, progress=60
    )
    version.refresh_from_db()


@pytest.mark.django_db
def test_a_running_version_is_stalled_once_silent_past_the_lease(public_report):
    version = ReportVersionFactory(report=public_report)
    silent(version, lease().total_seconds() - 5)
    assert version.problem is None and not version.can_retry
    silent(version, lease().total_seconds() + 1)
    assert version.problem == GeneratedDocument.Problem.STALLED and version.can_retry


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.mark.django_db
@pytest.mark.usefixtures("fake_pdf")
def test_the_secretariat_sees_a_stalled_report_and_retries_it(
    public_report, staff, django_capture_on_commit_callbacks
):
    version = ReportVersionFactory(report=public_report, sent_at=timezone.now())
    silent(version, lease().total_seconds() + 1)
    page = staff.get(en("reports:manage_detail", public_report.pk)).content.decode()
    row = page.split(f'id="version-{version.pk}"')[1].split("</tr>")[0]
    assert 'data-problem="stalled"' in row and STALLED in row and "Retry" in row
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(en("reports:version_retry", version.pk))
    assert response["Location"].endswith(f"#version-{version.pk}")
    version.refresh_from_db()
    assert (version.status, version.attempts) == (Status.READY, 2)


@pytest.mark.django_db
def test_a_live_generation_cannot_be_retried(public_report, staff, staff_api):
    version = ReportVersionFactory(report=public_report, sent_at=timezone.now())
    silent(version, 1)
    page = staff.post(en("reports:version_retry", version.pk), follow=True).content.decode()
    assert "Only a failed or stalled generation can be retried." in page
    response = staff_api.post(f"/api/v1/reports/{version.pk}/retry/?lang=en")
    assert response.status_code == 409
    assert response.json() == {"detail": "Only a failed or stalled generation can be retried."}
    version.refresh_from_db()
    assert version.status == Status.RUNNING


@pytest.mark.django_db
@pytest.mark.usefixtures("fake_pdf")
def test_the_api_shows_a_stalled_report_and_retries_it(
    public_report, staff_api, django_capture_on_commit_callbacks
):
    version = ReportVersionFactory(report=public_report, sent_at=timezone.now())
    silent(version, lease().total_seconds() + 1)
    assert staff_api.get(f"/api/v1/reports/{version.pk}/").json()["problem"] == "stalled"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.post(f"/api/v1/reports/{version.pk}/retry/")
    assert response.status_code == 202
    assert response["Location"].endswith(f"/api/v1/reports/{version.pk}/")
    version.refresh_from_db()
    assert version.status == Status.READY


@pytest.mark.django_db
@pytest.mark.usefixtures("fake_pdf")
def test_stalled_minutes_are_retried_from_the_meeting_page(
    published_meeting, staff, django_capture_on_commit_callbacks
):
    version = MinutesVersionFactory(meeting=published_meeting, sent_at=timezone.now())
    silent(version, lease().total_seconds() + 1)
    page = staff.get(en("meetings:detail", published_meeting.pk)).content.decode()
    assert 'data-problem="stalled"' in page.split(f'id="version-{version.pk}"')[1].split("</tr>")[0]
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(en("meetings:minutes_retry", version.pk))
    version.refresh_from_db()
    assert version.status == MinutesVersion.Status.READY


@pytest.mark.django_db
@pytest.mark.usefixtures("fake_pdf")
def test_beat_puts_a_stalled_version_back_in_the_queue_within_the_lease(public_report):
    version = ReportVersionFactory(report=public_report, sent_at=timezone.now())
    silent(version, lease().total_seconds() - 5)
    assert recover_report_versions.apply().get() == []  # still within its lease
    silent(version, lease().total_seconds() + 1)
    assert recover_report_versions.apply().get() == [version.pk]
    version.refresh_from_db()
    assert (version.status, version.attempts) == (Status.READY, 2)


@pytest.mark.django_db
def test_the_api_refuses_to_retry_a_ready_version_with_a_conflict(public_report, staff_api):
    version = ReportVersionFactory(report=public_report, ready=True)
    response = staff_api.post(f"/api/v1/reports/{version.pk}/retry/?lang=en")
    assert response.status_code == 409
    assert "retried" in response.json()["detail"]
