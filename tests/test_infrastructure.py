"""The production set-up works for real: the configured database, broker and a Celery worker.

With CELERY_BROKER_URL and DATABASE_URL unset these run on SQLite and kombu's filesystem
transport; .ci/run sets them to the machine's PostgreSQL and Redis.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from ogp_portal.celery import app as celery_app
from ogp_portal.tasks import ping

BASE_DIR = Path(__file__).resolve().parent.parent


def test_database_engine_follows_database_url():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


def test_broker_follows_celery_broker_url():
    url = os.environ.get("CELERY_BROKER_URL", "filesystem://")
    assert celery_app.conf.broker_url == url
    assert settings.CELERY_TASK_ACKS_LATE is True


@pytest.fixture
def worker():
    """A real Celery worker process on the test queue, stopped after the test."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ogp_portal.settings_test"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ogp_portal",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            settings.CELERY_TASK_DEFAULT_QUEUE,
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    print(output)  # shown by pytest when the test fails


@pytest.mark.services
def test_a_task_goes_through_the_real_broker_to_a_real_worker(worker, monkeypatch):
    monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
    payload = f"pong-{time.time_ns()}"
    result = ping.apply_async(args=[payload])
    assert result.get(timeout=90) == payload
    assert result.successful()
    assert worker.poll() is None, "the worker stopped"
