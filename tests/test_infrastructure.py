"""The production set-up works for real: the configured database, broker and a Celery worker.

With CELERY_BROKER_URL and DATABASE_URL unset these run on SQLite and kombu's filesystem
transport; .ci/run sets them to the machine's PostgreSQL and Redis.
"""

import os
import time

import pytest
from django.conf import settings
from django.db import connection

from ogp_portal.celery import app as celery_app
from ogp_portal.tasks import ping


def test_database_engine_follows_database_url():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


def test_broker_follows_celery_broker_url():
    url = os.environ.get("CELERY_BROKER_URL", "filesystem://")
    assert celery_app.conf.broker_url == url
    assert settings.CELERY_TASK_ACKS_LATE is True


@pytest.mark.services
def test_a_task_goes_through_the_real_broker_to_a_real_worker(worker, monkeypatch):
    """The worker fixture (tests/conftest.py) runs `celery worker` in a subprocess."""
    monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
    payload = f"pong-{time.time_ns()}"
    result = ping.apply_async(args=[payload])
    assert result.get(timeout=90) == payload
    assert result.successful()
    assert worker.poll() is None, "the worker stopped"
