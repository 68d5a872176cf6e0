"""Named personas shared by the whole suite (after healthchecks' alice, bob and charlie)."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from tests.factories import (
    CommitmentFactory,
    FocalPointAssignmentFactory,
    UserFactory,
)

BASE_DIR = Path(__file__).resolve().parent.parent


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
def anonymous() -> Client:
    return Client()


@pytest.fixture
def demo(db, settings):
    """The demo of both seed minutes, with its users (load_demo creates them when DEBUG is on)."""
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)


def make_upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def pdf_file():
    return make_upload("rapport.pdf", PDF_BYTES)


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
    folder, stopped after the test. Tasks reach it only when the test turns eager mode off."""
    from django.db import connection

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ogp_portal.settings_test",
        "DATABASE_URL": database_url_of(connection.settings_dict),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ogp_portal", "worker", "--pool=solo",
         "--loglevel=INFO", "--without-gossip", "--without-mingle",
         "-Q", settings.CELERY_TASK_DEFAULT_QUEUE],
        cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    yield process
    process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
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
