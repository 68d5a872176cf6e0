"""/healthz, compose's healthcheck of the web process (bin/healthcheck): 200 when the database and
the broker answer, 503 naming the part that does not, fast, never cached, for anyone."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.processes import free_port

BASE_DIR = Path(__file__).resolve().parent.parent


def test_healthz_answers_200_when_the_database_and_the_broker_answer(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_naming_the_broker_when_it_is_unreachable(client, db, monkeypatch):
    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", f"redis://127.0.0.1:{free_port()}/0")
    started = time.monotonic()

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "failing", "database": "ok", "broker": "unreachable"}
    assert time.monotonic() - started < 5
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_naming_the_database_when_it_is_unreachable():
    """In a process of its own, configured as production is with a PostgreSQL that is down."""
    script = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(json.dumps([r.status_code, r.json()]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ogp_portal.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/ogp",
    }
    started = time.monotonic()

    result = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout.splitlines()[-1])
    assert status == 503
    assert body == {"status": "failing", "database": "unreachable", "broker": "ok"}
    assert time.monotonic() - started < 30


def test_healthz_needs_no_login_no_language_prefix_and_no_allowed_host(client, db):
    """The healthcheck calls it inside the container by its own address, whatever
    ALLOWED_HOSTS says, and over plain HTTP even when the site redirects to HTTPS."""
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_healthz_only_answers_reads(client, db, method):
    assert getattr(client, method)("/healthz").status_code == 405


def test_bin_healthcheck_exits_0_only_when_healthz_answers_200(live_server):
    port = live_server.url.rsplit(":", 1)[1]

    def healthcheck(port: str) -> int:
        env = {**os.environ, "PORT": port}
        return subprocess.run([BASE_DIR / "bin" / "healthcheck"], env=env).returncode

    assert healthcheck(port) == 0
    assert healthcheck(str(free_port())) == 1
