"""What the tests of generated documents share: a report and a meeting whose versions the
public may download, Celery sending through the real broker with no worker taking the messages,
and Celery pointed at a broker that is down."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from meetings.models import Meeting
from ogp_portal.celery import app as celery_app
from reports.models import Report
from tests.conftest import purge_test_queue
from tests.meetings.factories import MeetingFactory
from tests.reports.factories import ReportFactory

# Nothing listens on port 1: connecting is refused at once, as when Redis is down.
CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def public_report(commitment) -> Report:
    """A report under public consultation: the public downloads its newest ready version."""
    return ReportFactory(plan=commitment.plan, stage=Report.Stage.CONSULTATION)


@pytest.fixture
def published_meeting(commitment) -> Meeting:
    """A meeting whose minutes are public."""
    return MeetingFactory(
        plan=commitment.plan, status=Meeting.Status.HELD, minutes_published_at=timezone.now()
    )


@pytest.fixture
def staff(secretariat: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(secretariat)
    return client


@pytest.fixture
def staff_api(secretariat: User) -> APIClient:
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(secretariat)
    return api


def reset_connections() -> None:
    """Celery keeps its connection and producer pools and its result backend: forget them, so
    that the next message goes through the broker the configuration names now."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


@pytest.fixture
def queued_only(monkeypatch, settings):
    """Tasks are sent through the real broker (the embedded one, or Redis in CI) and stay in
    the test's queue, since no worker takes them; the queue is emptied afterwards."""
    monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
    yield
    purge_test_queue(settings)


@pytest.fixture
def broker_down(settings):
    """Celery as production runs it (Redis for messages and results, with the portal's Redis
    options), on a Redis that does not answer; call the fixture's value to bring the broker
    back. Celery reads the broker's and the result backend's URLs from the environment before
    its configuration, so they are set there (a worker started meanwhile would inherit them)."""
    down = pytest.MonkeyPatch()
    down.setattr(celery_app.conf, "task_always_eager", False)
    for name in ("CELERY_BROKER_URL", "CELERY_BROKER_WRITE_URL", "CELERY_RESULT_BACKEND"):
        down.setenv(name, CLOSED_PORT_BROKER)
    options = getattr(settings, "REDIS_BROKER_TRANSPORT_OPTIONS", {})
    down.setattr(celery_app.conf, "broker_transport_options", options)
    reset_connections()

    def back() -> None:
        down.undo()
        reset_connections()

    yield back
    back()
