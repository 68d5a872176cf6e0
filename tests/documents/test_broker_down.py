"""The broker is down (Redis stopped, or not reachable): asking for a report or for minutes
answers at once, never a 500; the version waits, never sent, and the secretariat is told it is
queued; beat's recovery sends it at its next run once the broker answers (every minute), not a
quarter of an hour later. Celery is the real one, pointed at a port where nothing listens; the
requests run outside a test transaction, so that the task is sent when the request commits, as
in production."""

import time

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from meetings.models import MinutesVersion
from ogp_portal.celery import app as celery_app
from reports.models import ReportVersion
from reports.tasks import generate_report_version, recover_report_versions
from tests.reports.factories import ReportVersionFactory

pytestmark = pytest.mark.django_db

QUEUED = "will be sent as soon as it is back"
# The longest a request may take with the broker down (the pages answered after 19 s before).
FAST = 5


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def row(page: str, version) -> str:
    return page.split(f'id="version-{version.pk}"')[1].split("</tr>")[0]


def timed(call):
    started = time.monotonic()
    result = call()
    elapsed = time.monotonic() - started
    print(f"answered in {elapsed:.2f} s")
    return result, elapsed


@pytest.mark.django_db(transaction=True)
def test_a_report_asked_for_with_the_broker_down_answers_at_once_and_is_queued(
    public_report, staff, broker_down
):
    url = en("reports:generate", public_report.pk)
    response, elapsed = timed(lambda: staff.post(url, {"language": "fr"}, follow=True))
    assert response.status_code == 200 and elapsed < FAST
    version = ReportVersion.objects.get()
    assert (version.status, version.sent_at) == (ReportVersion.Status.PENDING, None)
    page = response.content.decode()
    assert QUEUED in page.split('class="messages"')[1]
    assert 'data-problem="queued"' in row(page, version) and QUEUED in row(page, version)


@pytest.mark.django_db(transaction=True)
def test_a_report_asked_for_through_the_api_with_the_broker_down(
    public_report, staff_api, broker_down
):
    body = {"report": public_report.pk, "language": "ar"}
    response, elapsed = timed(lambda: staff_api.post("/api/v1/reports/", body, format="json"))
    assert response.status_code == 202 and elapsed < FAST
    assert (response.json()["status"], response.json()["problem"]) == ("pending", "queued")


@pytest.mark.django_db(transaction=True)
def test_minutes_asked_for_with_the_broker_down_are_queued(published_meeting, staff, broker_down):
    url = en("meetings:minutes_generate", published_meeting.pk)
    response, elapsed = timed(lambda: staff.post(url, {"language": "fr"}, follow=True))
    assert response.status_code == 200 and elapsed < FAST
    version = MinutesVersion.objects.get()
    assert version.status == MinutesVersion.Status.PENDING and version.sent_at is None
    assert 'data-problem="queued"' in row(response.content.decode(), version)


@pytest.mark.django_db(transaction=True)
def test_a_retry_with_the_broker_down_is_queued_too(public_report, staff, broker_down):
    version = ReportVersionFactory(report=public_report, status="failed", error="disk full")
    url = en("reports:version_retry", version.pk)
    response, elapsed = timed(lambda: staff.post(url, follow=True))
    assert response.status_code == 200 and elapsed < FAST
    version.refresh_from_db()
    assert (version.status, version.sent_at) == (ReportVersion.Status.PENDING, None)
    assert QUEUED in response.content.decode().split('class="messages"')[1]


def test_beat_sends_a_queued_version_at_its_next_run(public_report, fake_pdf):
    queued = ReportVersionFactory(report=public_report)  # asked for a moment ago, never sent
    in_the_queue = ReportVersionFactory(report=public_report, sent_at=timezone.now())
    assert recover_report_versions.apply().get() == [queued.pk]
    queued.refresh_from_db()
    assert queued.status == ReportVersion.Status.READY and queued.sent_at is not None
    in_the_queue.refresh_from_db()
    assert in_the_queue.status == ReportVersion.Status.PENDING  # its message is on its way


def test_beat_runs_the_recovery_every_minute(settings):
    for name in ("recover-report-versions", "recover-minutes-versions"):
        assert settings.CELERY_BEAT_SCHEDULE[name]["schedule"] <= 60


def test_sending_a_generation_is_bounded_in_time(settings):
    """No result to wait for (the row is the result), so no result backend to reach; few and
    short attempts to reach the broker."""
    assert generate_report_version.ignore_result is True
    assert recover_report_versions.ignore_result is True
    policy = settings.CELERY_TASK_PUBLISH_RETRY_POLICY
    assert (
        policy["max_retries"] * policy["interval_max"] + settings.CELERY_BROKER_CONNECTION_TIMEOUT
        <= 4
    )
    assert settings.REDIS_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] <= 2


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_queued_report_is_made_by_the_worker_once_the_broker_is_back(
    public_report, staff, worker, broker_down, monkeypatch
):
    """End to end: the request while the broker is down, then the recovery sent through the
    real broker once it is back, run by a real worker, which sends and makes the report. (The
    worker is started before the broker goes down, with the real broker's address.)"""
    staff.post(en("reports:generate", public_report.pk), {"language": "fr"})
    version = ReportVersion.objects.get()
    assert version.sent_at is None
    broker_down()  # the broker is back
    monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
    recover_report_versions.delay()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not version.is_done:
        assert worker.poll() is None, "the worker stopped"
        time.sleep(0.5)
        version.refresh_from_db()
    assert version.status == ReportVersion.Status.READY, version.error
    assert version.sent_at is not None and version.attempts == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("queued_only")
def test_with_the_broker_up_a_request_and_a_retry_are_sent_and_say_so(public_report, staff):
    url = en("reports:generate", public_report.pk)
    page = staff.post(url, {"language": "fr"}, follow=True).content.decode()
    version = ReportVersion.objects.get()
    assert version.sent_at is not None and version.problem is None
    assert "Generation started" in page.split('class="messages"')[1] and QUEUED not in page
    ReportVersion.objects.filter(pk=version.pk).update(status="failed", error="disk full")
    page = staff.post(en("reports:version_retry", version.pk), follow=True).content.decode()
    version.refresh_from_db()
    assert version.status == ReportVersion.Status.PENDING and version.sent_at is not None
    assert "Generation started again" in page.split('class="messages"')[1]
    assert QUEUED not in page
