"""The portal run as its own processes (runserver, gunicorn), with the production settings module
on a database of their own: for what only shows between processes."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

BASE_DIR = Path(__file__).resolve().parent.parent


def production_env(folder: Path, **overrides: str) -> dict[str, str]:
    """The environment of a bare machine (SQLite in ``folder``, the embedded broker), with the
    production settings module rather than the tests'."""
    ignored = {"DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "MEDIA_ROOT"}
    env = {k: v for k, v in os.environ.items() if k not in ignored and not k.startswith("CACHE")}
    env.update(
        DJANGO_SETTINGS_MODULE="ogp_portal.settings",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        OGP_VAR_DIR=str(folder / "var"),
        DEBUG="1",
    )
    env.update(overrides)
    return env


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


def shell(env: dict[str, str], code: str) -> str:
    """The last line ``code`` printed, run by ``manage.py shell``."""
    return manage(env, "shell", "--no-imports", "-c", code).strip().splitlines()[-1]


def free_port() -> int:
    """A local port nobody listens on now (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(env: dict[str, str], command: list[str], log: Path) -> Iterator[str]:
    """``command`` (given ``{port}`` to listen on) running until the block ends; its URL."""
    port = free_port()
    with log.open("w") as output:  # a file, not a pipe: a full pipe would block the server
        process = subprocess.Popen(
            [part.format(port=port) for part in command],
            cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        print(log.read_text()[-20000:])  # the server's log, shown by pytest when a test fails


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped"
        try:
            requests.get(f"{url}/favicon.ico", timeout=10)  # any answer: not an API request
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    pytest.fail("the server did not answer within 60 s")
