"""The embedded default (SQLite, no DATABASE_URL) serves several people at once: simultaneous API
updates of one activity and the worker's writes wait for each other instead of failing with
"database is locked".

A real threaded server (``manage.py runserver``, what ``make run`` starts) with the production
settings module on a file database of its own, so the test runs whatever database the suite
itself uses, and a second process writing the way the Celery worker does (a report generation's
heartbeat).
"""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

BASE_DIR = Path(__file__).resolve().parent.parent

SET_UP = """
import json
from rest_framework.authtoken.models import Token
from tests.factories import ActivityFactory, FocalPointAssignmentFactory
from tests.reports.factories import ReportVersionFactory
assignment = FocalPointAssignmentFactory(user__username="fatima")
activities = [ActivityFactory(commitment=assignment.commitment) for _ in range(3)]
version = ReportVersionFactory(report__plan=assignment.commitment.plan)
print(json.dumps({
    "token": Token.objects.create(user=assignment.user).key,
    "activities": [activity.pk for activity in activities],
    "version": version.pk,
}))
"""

# What the worker writes while it lays out a report: its heartbeat, several times a second.
HEARTBEAT = """
import time
from reports.models import ReportVersion
version = ReportVersion.objects.get(pk={version})
end = time.monotonic() + {seconds}
beats = 0
print("beating", flush=True)
while time.monotonic() < end:
    version.mark_progress(beats % 95, "Collecting the data")
    beats += 1
print(beats)
"""


@dataclass(frozen=True)
class Server:
    url: str
    database: Path
    env: dict[str, str]
    token: str
    activities: list[int]
    version: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict[str, str], *args: str, timeout: int = 300) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped"
        try:
            requests.get(f"{url}/api/v1/plans/", timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    pytest.fail("the server did not answer within 60 s")


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("sqlite-server")
    ignored = {"DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "MEDIA_ROOT"}
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    env.update(
        DJANGO_SETTINGS_MODULE="ogp_portal.settings",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        OGP_VAR_DIR=str(folder / "var"),
        DEBUG="1",
    )
    manage(env, "migrate", "--noinput", "-v0")
    created = manage(env, "shell", "--no-imports", "-c", SET_UP)
    objects = json.loads(created.strip().splitlines()[-1])
    port = free_port()
    log = folder / "server.log"
    with log.open("w") as output:  # a file, not a pipe: a full pipe would block the server
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield Server(
            url, folder / "db.sqlite3", env, objects["token"], objects["activities"],
            objects["version"],
        )  # fmt: skip
    finally:
        process.terminate()
        process.wait(timeout=20)
        print(log.read_text()[-20000:])  # the server's log, shown by pytest when a test fails


def simultaneous_updates(server: Server, activity: int, count: int) -> list[int]:
    """``count`` PATCHes of one activity released together; their status codes (0: no
    answer)."""
    barrier = threading.Barrier(count, timeout=30)
    statuses: list[int] = []

    def patch(progress: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {server.token}"
        barrier.wait()
        try:
            response = session.patch(
                f"{server.url}/api/v1/activities/{activity}/",
                json={"progress": progress, "comment": f"Avancement à {progress} %"},
                timeout=60,
            )
        except requests.RequestException:
            statuses.append(0)
        else:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=patch, args=(10 + 10 * n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_simultaneous_updates_and_the_worker_wait_for_each_other(server):
    seconds = 8
    heartbeat = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         HEARTBEAT.format(version=server.version, seconds=seconds)],
        cwd=BASE_DIR, env=server.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert heartbeat.stdout is not None
    assert heartbeat.stdout.readline().strip() == "beating", heartbeat.stderr
    statuses = []
    for activity in server.activities:
        round_ = simultaneous_updates(server, activity, count=6)
        assert 200 in round_, round_  # one of them is recorded
        statuses += round_
    output, errors = heartbeat.communicate(timeout=120)
    assert heartbeat.returncode == 0, errors  # the worker's writes did not fail either
    assert int(output.split()[-1]) > 0
    # Each request is recorded or told the activity changed since it read it; none fails.
    assert set(statuses) <= {200, 409}, f"answers: {statuses}"
    print("answers:", statuses)


def test_the_embedded_database_is_written_ahead(server):
    """WAL is a property of the file: the server's connections switched it on."""
    with sqlite3.connect(server.database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
