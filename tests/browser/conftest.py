"""Playwright for Python driving Debian's Chromium (never a downloaded browser)."""

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.demo_rows import DEMO_ROWS

# The sync Playwright API runs an event loop in the test thread; Django must allow ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture
def demo(transactional_db):
    """The demo, committed for each test and flushed after it: the live server reads it through
    a connection of its own, so it cannot share the open transaction of tests/conftest.py."""
    DEMO_ROWS.load()


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, request):
    """Pages in fresh contexts (separate cookies: one per person); screenshots on the way out."""
    contexts = []

    def make(viewport: dict | None = None, **options):
        context = browser.new_context(
            viewport=viewport or {"width": 1280, "height": 900}, **options
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, base: str, lang: str, username: str) -> None:
    """Log in through the login page as a demo user (password ogp-demo)."""
    page.goto(f"{base}/{lang}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "ogp-demo")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(rf"/{lang}/workspace/$"))
