"""The production set-up boots: bin/web, bin/worker and bin/beat, started as docker-compose.yml
starts them (DEBUG=0, a SECRET_KEY, PostgreSQL, Redis, collected static files), serve the pages
in French and Arabic, the static files through whitenoise, a login behind the TLS proxy, and a
report that the worker lays out; then they stop cleanly. docker-compose.yml and the Dockerfile
are checked to run these same scripts.

Runs on the PostgreSQL server of DATABASE_URL and the Redis of CELERY_BROKER_URL (bash .ci/run
sets both), in a database of its own (created and dropped here) and on a queue of its own;
skipped elsewhere, or failed when CI is set.
"""

from __future__ import annotations

import concurrent.futures
import gzip
import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import dj_database_url
import psycopg2
import pytest
import redis
import yaml

from tests.processes import free_port

production = pytest.mark.production

BASE_DIR = Path(__file__).resolve().parent.parent
PLAN = "PAN-2021-2023"
STARTUP_SECONDS = 300  # migrate and a first collectstatic on a busy two-core machine
REPORT_SECONDS = 240
LEASE_SECONDS = 2


def skip_or_fail(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def production_services() -> tuple[dict, str]:
    """The PostgreSQL server (dj_database_url's settings) and the Redis URL to run on."""
    database_url = os.environ.get("DATABASE_URL", "")
    broker_url = os.environ.get("CELERY_BROKER_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        skip_or_fail("the production smoke test runs on DATABASE_URL=postgres://… (.ci/run's)")
    if not broker_url.startswith("redis://"):
        skip_or_fail("the production smoke test runs on CELERY_BROKER_URL=redis://… (.ci/run's)")
    server = dj_database_url.parse(database_url)
    try:
        psycopg2.connect(**connection_kwargs(server, "postgres"), connect_timeout=3).close()
    except psycopg2.Error as error:
        skip_or_fail(f"PostgreSQL of DATABASE_URL is not reachable: {error}")
    try:
        redis.Redis.from_url(broker_url, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis of CELERY_BROKER_URL is not reachable: {error}")
    return server, broker_url


def connection_kwargs(server: dict, name: str) -> dict:
    return {
        "dbname": name,
        "user": server.get("USER") or "postgres",
        "password": server.get("PASSWORD") or None,
        "host": server.get("HOST") or "127.0.0.1",
        "port": server.get("PORT") or 5432,
    }


def run_sql(server: dict, sql: str) -> None:
    connection = psycopg2.connect(**connection_kwargs(server, "postgres"))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Visitor:
    """Plain HTTP to gunicorn as compose's TLS proxy forwards it (X-Forwarded-Proto: https),
    with a cookie store of its own that keeps secure cookies too."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> Reply:
        headers = {
            "Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https", **(headers or {}),
        }  # fmt: skip
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            reply = Reply(response.status, response.msg, response.read())
        finally:
            connection.close()
        for header in reply.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            self.cookies.update({name: morsel.value for name, morsel in cookie.items()})
        return reply

    def get(self, path: str, **headers: str) -> Reply:
        return self.request("GET", path, headers=headers)


@dataclass
class Stack:
    env: dict[str, str]
    port: int
    static_root: Path
    logs: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str) -> None:
        log = (self.logs / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(
            [BASE_DIR / "bin" / name], cwd=BASE_DIR, env=self.env, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=self.env,
            capture_output=True, text=True,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            self.assert_running()
            try:
                if Visitor(self.port).get("/healthz").status == 200:
                    return
            except OSError:
                pass  # gunicorn is not listening yet
            time.sleep(1)
        pytest.fail(f"/healthz did not answer 200 within {STARTUP_SECONDS} s\n{self.output()}")

    def assert_running(self) -> None:
        stopped = {name: p.returncode for name, p in self.processes.items() if p.poll() is not None}
        assert not stopped, f"stopped early: {stopped}\n{self.output()}"

    def stop(self) -> dict[str, int]:
        """SIGTERM, as docker compose stop sends it; the exit codes."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        codes = {}
        for name, process in self.processes.items():
            try:
                codes[name] = process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                codes[name] = process.wait()
        return codes

    def output(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text()[-5000:]}" for path in sorted(self.logs.glob("*"))
        )


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    server, broker_url = production_services()
    name = f"{server['NAME']}_production_{os.getpid()}"
    queue = f"ogp_portal_production_{os.getpid()}"
    root = tmp_path_factory.mktemp("production")
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(root)),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "ogp_portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": dj_database_url_for(server, name),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "MEDIA_ROOT": str(root / "media"),
        "STATIC_ROOT": str(root / "static"),
        "OGP_VAR_DIR": str(root / "var"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WORKERS": "2",
        "WORKER_CONCURRENCY": "1",
        # Longer than the default (0.05 s), so that a write answered without waiting for the
        # other gunicorn worker's lease to end would be seen stale (the page cache's test).
        "PAGE_CACHE_VERSION_LEASE": str(LEASE_SECONDS),
    }
    run_sql(server, f'DROP DATABASE IF EXISTS "{name}"')
    run_sql(server, f'CREATE DATABASE "{name}"')
    logs = root / "logs"
    logs.mkdir()
    stack = Stack(env=env, port=port, static_root=root / "static", logs=logs)
    try:
        stack.start("web")
        stack.wait_until_healthy()
        stack.manage("load_demo", "--demo-users", "-v0")
        stack.start("worker")
        stack.start("beat")
        yield stack
    finally:
        stack.stop()
        print(stack.output())  # shown when a test failed
        run_sql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        broker = redis.Redis.from_url(broker_url)
        broker.delete(queue, f"_kombu.binding.{queue}")


def dj_database_url_for(server: dict, name: str) -> str:
    kwargs = connection_kwargs(server, name)
    password = f":{kwargs['password']}" if kwargs["password"] else ""
    return f"postgres://{kwargs['user']}{password}@{kwargs['host']}:{kwargs['port']}/{name}"


@production
def test_bin_healthcheck_passes_against_bin_web(stack):
    result = subprocess.run([BASE_DIR / "bin" / "healthcheck"], env=stack.env)
    assert result.returncode == 0
    assert Visitor(stack.port).get("/healthz").json() == {
        "status": "ok", "database": "ok", "broker": "ok",
    }  # fmt: skip


@production
@pytest.mark.parametrize(
    ("path", "html", "title"),
    [
        ("/fr/", '<html lang="fr"', "pour le gouvernement ouvert 2021-2023"),
        ("/ar/", '<html lang="ar" dir="rtl"', "مخطط العمل الوطني للحكومة المنفتحة 2021-2023"),
    ],
)
def test_the_dashboard_is_served_in_french_and_arabic(stack, path, html, title):
    reply = Visitor(stack.port).get(path)

    assert reply.status == 200
    assert html in reply.text
    assert title in reply.text


@production
def test_whitenoise_serves_the_hashed_compressed_static_files_the_pages_name(stack):
    manifest = json.loads((stack.static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/portal.css"]
    assert hashed != "css/portal.css"
    assert f"/static/{hashed}" in Visitor(stack.port).get("/fr/").text

    reply = Visitor(stack.port).get(f"/static/{hashed}", **{"Accept-Encoding": "gzip"})

    assert reply.status == 200
    assert reply.headers["Content-Encoding"] == "gzip"
    assert "immutable" in reply.headers["Cache-Control"]
    assert gzip.decompress(reply.body) == (stack.static_root / hashed).read_bytes()


@production
def test_the_secretariat_logs_in_behind_the_tls_proxy_with_secure_cookies(stack):
    visitor = Visitor(stack.port)
    assert visitor.get("/fr/secretariat/").status == 302
    form = visitor.get("/fr/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    origin = f"https://127.0.0.1:{stack.port}"

    reply = visitor.request(
        "POST",
        "/fr/accounts/login/",
        body=urlencode(
            {"username": "secretariat", "password": "ogp-demo", "csrfmiddlewaretoken": token}
        ).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": f"{origin}/fr/accounts/login/",
        },
    )

    assert reply.status == 302, reply.text[:2000]
    session = next(c for c in reply.headers.get_all("Set-Cookie") if c.startswith("sessionid="))
    assert "Secure" in session and "HttpOnly" in session
    assert visitor.get("/fr/secretariat/").status == 200


@production
def test_a_write_answered_by_one_worker_is_seen_at_once_through_the_other(stack):
    """Each gunicorn worker trusts the page versions it read from Redis for a lease (2 s
    here) without asking again; a write's response waits until every lease on the old
    versions has ended. Both workers read the reports page, then a report is asked for (a
    write, through whichever worker): no page served after that answer is the old one."""
    token = stack.manage("drf_create_token", "secretariat").split()[2]

    def etags() -> set[str]:
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            replies = list(pool.map(lambda _: Visitor(stack.port).get("/fr/reports/"), range(16)))
        assert {reply.status for reply in replies} == {200}
        return {reply.headers["ETag"] for reply in replies}

    etags()  # kept in the cache
    time.sleep(LEASE_SECONDS)  # every worker's lease ended: the next reads take new ones
    before = etags()
    reply = Visitor(stack.port).request(
        "POST",
        "/api/v1/reports/",
        body=json.dumps({"plan": PLAN, "language": "fr"}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    assert reply.status == 202, reply.text
    after = etags()
    assert len(before) == 1 and before.isdisjoint(after), (before, after)


@production
def test_a_report_requested_through_the_api_is_laid_out_by_the_worker(stack):
    token = stack.manage("drf_create_token", "secretariat").split()[2]
    visitor = Visitor(stack.port)
    auth = {"Authorization": f"Token {token}"}

    reply = visitor.request(
        "POST",
        "/api/v1/reports/",
        body=json.dumps({"plan": PLAN, "language": "fr"}).encode(),
        headers={**auth, "Content-Type": "application/json"},
    )

    assert reply.status == 202, reply.text
    location = urlsplit(reply.headers["Location"]).path
    deadline = time.monotonic() + REPORT_SECONDS
    while (version := visitor.get(location, **auth).json())["status"] != "ready":
        assert version["status"] != "failed", version["error"]
        assert time.monotonic() < deadline, f"still {version['status']}\n{stack.output()}"
        stack.assert_running()
        time.sleep(1)
    pdf = visitor.get(urlsplit(version["pdf_url"]).path, **auth)
    assert pdf.status == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.body.startswith(b"%PDF")


@production
def test_beat_keeps_the_schedule_in_the_database(stack):
    deadline = time.monotonic() + 60
    while True:
        names = stack.manage(
            "shell", "-c",
            "from django_celery_beat.models import PeriodicTask; "
            "print(sorted(PeriodicTask.objects.values_list('name', flat=True)))",
        )  # fmt: skip
        if "recover-report-versions" in names or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert "recover-report-versions" in names and "staleness-reminders" in names
    stack.assert_running()


@production
def test_the_processes_stop_cleanly_on_sigterm(stack):
    stack.assert_running()
    assert stack.stop() == {"web": 0, "worker": 0, "beat": 0}, stack.output()


def test_compose_and_the_image_run_the_scripts_this_test_runs():
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]

    assert {name: compose[name]["command"] for name in ("web", "worker", "beat")} == {
        "web": "bin/web", "worker": "bin/worker", "beat": "bin/beat",
    }  # fmt: skip
    assert compose["web"]["healthcheck"]["test"] == ["CMD", "/app/bin/healthcheck"]
    assert all(compose[name]["depends_on"]["web"] for name in ("worker", "beat"))
    assert 'CMD ["bin/web"]' in (BASE_DIR / "Dockerfile").read_text()
    assert all(os.access(BASE_DIR / "bin" / name, os.X_OK) for name in ("web", "worker", "beat"))
