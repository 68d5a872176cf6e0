"""The embedded default (SQLite, no DATABASE_URL) serves several people at once: simultaneous API
updates of one activity and the worker's writes wait for each other instead of failing with
"database is locked".

A real threaded server (``manage.py runserver``, what ``make run`` starts) with the production
settings module on a file database of its own, so the test runs whatever database the suite
itself uses, and a second process writing the way the Celery worker does (a report generation's
heartbeat).
"""

import json
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.processes import BASE_DIR, manage, production_env, serving, shell

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


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("sqlite-server")
    env = production_env(folder)
    manage(env, "migrate", "--noinput", "-v0")
    objects = json.loads(shell(env, SET_UP))
    command = [sys.executable, "manage.py", "runserver", "127.0.0.1:{port}", "--noreload"]
    with serving(env, command, folder / "server.log") as url:
        yield Server(
            url, folder / "db.sqlite3", env, objects["token"], objects["activities"],
            objects["version"],
        )  # fmt: skip


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
