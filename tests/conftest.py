"""Named personas shared by the whole suite (after healthchecks' alice, bob and charlie), the
demo loaded once per module, and the stand-in for the PDF layout."""

import datetime
import inspect
import io
import itertools
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from pypdf import PdfWriter
from pytest_django.fixtures import validate_django_db

import documents.assembly
import documents.pdf
import reports.layout
from documents.assembly import Part
from tests.demo_rows import DEMO_ROWS
from tests.factories import (
    PDF_BYTES,
    CommitmentFactory,
    FocalPointAssignmentFactory,
    UserFactory,
)
from tests.meetings.factories import CommitteeMemberFactory
from tests.smtp import Mailbox, SmtpServer

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def english():
    """The services' messages in English: outside a request the active language is the
    default one (French), unless an earlier request of the same thread left another."""
    with translation.override("en"):
        yield


@pytest.fixture
def commitment(db):
    """Commitment 3 of a plan, held by ``focal_point`` and ``alternate``."""
    return CommitmentFactory(number=3, title_fr="Charte des services publics")


@pytest.fixture
def other_commitment(db, commitment):
    return CommitmentFactory(plan=commitment.plan, number=4, title_fr="Procédures administratives")


@pytest.fixture
def secretariat(db):
    user = UserFactory(username="sara", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="secretariat")[0])
    return user


@pytest.fixture
def focal_point(commitment):
    """The titular focal point of ``commitment``."""
    return FocalPointAssignmentFactory(commitment=commitment, user__username="fatima").user


@pytest.fixture
def alternate(commitment):
    return FocalPointAssignmentFactory(
        commitment=commitment, user__username="amine", role="alternate"
    ).user


@pytest.fixture
def former_focal_point(commitment):
    """Held ``commitment`` until the end of 2022: the assignment has ended."""
    return FocalPointAssignmentFactory(
        commitment=commitment, user__username="omar", end_date=datetime.date(2022, 12, 31)
    ).user


@pytest.fixture
def other_focal_point(other_commitment):
    """Focal point of another institution's commitment."""
    return FocalPointAssignmentFactory(commitment=other_commitment, user__username="hind").user


@pytest.fixture
def committee_member(db):
    """Holds a current seat on a (steering) committee, with a portal account."""
    user = UserFactory(username="aimane", first_name="Aïmane", last_name="Amalik")
    CommitteeMemberFactory(user=user, name="Aïmane Amalik")
    return user


@pytest.fixture
def anonymous() -> Client:
    return Client()


# Everyone the permission matrices try (tests/*/test_permissions.py), in their column order.
PERSONAS = [
    "anonymous",
    "other_focal_point",
    "former_focal_point",
    "focal_point",
    "alternate",
    "committee_member",
    "secretariat",
]


def client_for(request, persona: str) -> Client:
    """A client logged in as the persona fixture of that name; anonymous stays logged out."""
    client = Client()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


@dataclass(frozen=True)
class SecretariatPage:
    """A row of the secretariat pages' permission matrices: how to reach the page from the test's
    objects, and what the secretariat gets for each method the page allows (with an empty
    POST), and the personas of ``also`` with it (committee members, on a page they may read);
    everyone else is refused, and anonymous visitors are sent to the login page."""

    kwargs: Callable[[SimpleNamespace], dict]
    secretariat: dict[str, int]
    also: tuple[str, ...] = ()

    def expected(self, persona: str, method: str) -> int:
        if persona == "anonymous":
            return 302
        return self.secretariat[method] if persona in ("secretariat", *self.also) else 403

    @property
    def refused_method(self) -> str:
        """A method the page does not allow (405)."""
        return next(m for m in ("POST", "GET", "PUT") if m not in self.secretariat)


def secretariat_url_names(namespace: str) -> list[str]:
    """The URL names of an app's pages that only the secretariat may use, read from the URLconf:
    those under /secretariat/ and those whose view guards itself with the app's ``MANAGE``
    permission (``require_perm(request, MANAGE)``)."""
    return [
        pattern.name
        for route, pattern in _routes(get_resolver(), namespace)
        if route.startswith("secretariat/")
        or {"require_perm", "MANAGE"} <= set(inspect.unwrap(pattern.callback).__code__.co_names)
    ]


def _routes(resolver: URLResolver, namespace: str, prefix: str = "", inside: bool = False):
    """(route within the namespace's include, pattern) of every URL of ``namespace``."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            entering = not inside and pattern.namespace == namespace
            route = "" if entering else prefix + str(pattern.pattern)
            yield from _routes(pattern, namespace, route, inside or entering)
        elif isinstance(pattern, URLPattern) and inside:
            yield prefix + str(pattern.pattern), pattern


# The demo -----------------------------------------------------------------------------------
#
# load_demo takes one or two seconds, so the tests of a module share one load: it runs inside a
# transaction left open (SHARED_DEMO) while the module's demo tests run, each in a savepoint of
# pytest-django's ``db`` fixture, rolled back after it; the transaction is rolled back at the end
# of the module, or as soon as a test that does not ask for the demo comes (pytest_runtest_setup
# below), so no other test ever sees it. Within a module the demo tests are run first
# (pytest_collection_modifyitems) so that the demo is loaded once. Transactional tests (live
# server, real worker) cannot share the transaction: tests/browser/conftest.py commits the demo
# for each of them, as before.


class SharedDemo:
    """The demo, loaded inside a transaction that stays open until ``unload``."""

    def __init__(self) -> None:
        self.atomic: transaction.Atomic | None = None
        self.blocker = None

    @property
    def loaded(self) -> bool:
        return self.atomic is not None

    def load(self, django_db_blocker) -> None:
        if self.loaded:
            return
        self.blocker = django_db_blocker
        with django_db_blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            try:
                DEMO_ROWS.load()
            except BaseException:
                self.unload()
                raise

    def unload(self) -> None:
        if self.atomic is None:
            return
        atomic, self.atomic = self.atomic, None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            # The copy of the demo may have put other content type ids in the cache.
            ContentType.objects.clear_cache()


SHARED_DEMO = SharedDemo()


def is_transactional(item: pytest.Item) -> bool:
    """Whether pytest-django runs the test as a TransactionTestCase (the same rule as its own)."""
    marker = item.get_closest_marker("django_db")
    if marker:
        transactional, reset_sequences, *_ = validate_django_db(marker)
        if transactional or reset_sequences:
            return True
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & {"transactional_db", "live_server", "django_db_reset_sequences"})


def shares_the_demo(item: pytest.Item) -> bool:
    return "_demo_module" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The demo tests first within each module, after pytest-django's own ordering (database
    tests, then transactional ones, then the rest), which this keeps."""
    start = 0
    while start < len(items):
        module = getattr(items[start], "module", None)
        end = start + 1
        while end < len(items) and getattr(items[end], "module", None) is module:
            end += 1
        run = items[start:end]
        items[start:end] = [i for i in run if shares_the_demo(i)] + [
            i for i in run if not shares_the_demo(i)
        ]
        start = end


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture of a test that must not see the shared demo, roll the demo back."""
    if not shares_the_demo(item):
        SHARED_DEMO.unload()
    elif is_transactional(item):
        pytest.fail(
            "A transactional test cannot share the demo's open transaction: commit the demo "
            "for it, as tests/browser/conftest.py does.",
            pytrace=False,
        )


@pytest.fixture(scope="module")
def _demo_module(django_db_setup, django_db_blocker):
    SHARED_DEMO.load(django_db_blocker)
    yield
    SHARED_DEMO.unload()


@pytest.fixture
def demo(_demo_module, db):
    """The demo of both seed minutes, with its users, shared by the tests of the module (see
    above): what a test changes is rolled back after it."""
    if not SHARED_DEMO.loaded:
        pytest.fail(
            "The shared demo was rolled back before this test: a test that does not use it ran "
            "in between (see the ordering in tests/conftest.py).",
            pytrace=False,
        )


def make_upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def pdf_file():
    return make_upload("rapport.pdf", PDF_BYTES)


# The PDF layout -----------------------------------------------------------------------------


class FakeLayout:
    """Stands in for WeasyPrint's layout (``documents.pdf.html_to_pdf``, and ``lay_out`` for
    the parts of a report): keeps the HTML the templates gave it and returns one blank page
    (a part of footers, as many as it has slots)."""

    def __init__(self, pdf: bytes) -> None:
        self.pdf = pdf
        self.html: list[str] = []

    def __call__(self, html: str) -> bytes:
        self.html.append(html)
        return self.pdf

    def part(self, html: str) -> Part:
        self.html.append(html)
        pages = html.count('class="page-slot"') or 1
        writer = PdfWriter()
        for _ in range(pages):
            writer.add_blank_page(width=595, height=842)
        out = io.BytesIO()
        writer.write(out)
        # Every element with an id on the first page: the contents give the part's first page.
        anchors = {name: [0, 0, 0] for name in re.findall(r'\bid="([^"]+)"', html)}
        layout = {"pages": [[793.7, 1122.5]] * pages, "anchors": anchors}
        layout.update(links=[], bookmarks=[])
        return Part(pdf=out.getvalue(), layout=layout)

    def containing(self, text: str) -> str:
        """The last HTML laid out that has ``text`` (the report's parts are laid out apart)."""
        return next(html for html in reversed(self.html) if text in html)


@pytest.fixture(scope="session")
def blank_pdf() -> bytes:
    """A valid one-page PDF (A4), made once."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def fake_pdf(monkeypatch, blank_pdf) -> FakeLayout:
    """Reports and minutes are still rendered from their templates (a template error still
    fails) but not laid out: for the tests of the workflow around the PDF, not of the PDF."""
    layout = FakeLayout(blank_pdf)
    monkeypatch.setattr(documents.pdf, "html_to_pdf", layout)
    monkeypatch.setattr(documents.pdf, "lay_out", layout.part)
    return layout


class NumberedLayout(FakeLayout):
    """Like ``FakeLayout``, but each PDF is a different file (its number is in its metadata),
    so that a test can tell which version a download is."""

    def __init__(self) -> None:
        super().__init__(b"")
        self.count = itertools.count(1)

    def __call__(self, html: str) -> bytes:
        self.html.append(html)
        return self.numbered(self.part(html).pdf)

    def numbered(self, pdf: bytes) -> bytes:
        writer = PdfWriter(clone_from=io.BytesIO(pdf))
        writer.add_metadata({"/Title": f"layout {next(self.count)}"})
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    def assemble(self, *args: Any, **kwargs: Any) -> bytes:
        """A report assembled from its parts (which are kept, so the same from one version to
        the next), numbered."""
        return self.numbered(documents.assembly.assemble(*args, **kwargs))


@pytest.fixture
def numbered_pdf(monkeypatch) -> NumberedLayout:
    """``fake_pdf``, with a different file for every generation."""
    layout = NumberedLayout()
    monkeypatch.setattr(documents.pdf, "html_to_pdf", layout)
    monkeypatch.setattr(documents.pdf, "lay_out", layout.part)
    monkeypatch.setattr(reports.layout, "assemble", layout.assemble)
    return layout


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploaded evidence goes to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def url_in(obj, lang: str) -> str:
    """An object's page in a given language, whatever language the test thread is in."""
    with translation.override(lang):
        return obj.get_absolute_url()


@pytest.fixture
def worker(settings):
    """A real Celery worker process on the test queue, with the test's database and media
    folder, stopped after the test. Tasks reach it only when the test turns eager mode off. The
    queue is emptied first: a message left by an earlier run is not this test's."""
    purge_test_queue(settings)
    process = start_worker(settings)
    yield process
    stop_worker(process)


def start_worker(settings, **env: str) -> subprocess.Popen:
    """A real Celery worker process (see ``worker``), with ``env`` added to its environment."""
    from django.db import connection

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ogp_portal.settings_test",
        "DATABASE_URL": database_url_of(connection.settings_dict),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ogp_portal", "worker", "--pool=solo",
         "--loglevel=INFO", "--without-gossip", "--without-mingle",
         "-Q", settings.CELERY_TASK_DEFAULT_QUEUE],
        cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def purge_test_queue(settings) -> None:
    from ogp_portal.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)


def stop_worker(process: subprocess.Popen) -> None:
    # Killed: the test is over and nothing the worker holds is wanted any more (the next
    # worker starts on a purged queue), while even a cold shutdown waits about five seconds for
    # the solo pool's loop to notice it.
    process.kill()
    output, _ = process.communicate()
    print(output)  # shown by pytest when the test fails


def database_url_of(database: dict) -> str:
    """The URL of the database the tests run on (pytest-django's test database)."""
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"


@pytest.fixture
def smtp_server(settings) -> Iterator[Mailbox]:
    """A real SMTP server started for the test; the portal sends to it through Django's SMTP
    backend, as in production. Yields the mailbox of what arrived."""
    server = SmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    yield server.mailbox
    server.stop()
