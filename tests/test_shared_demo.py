"""The demo shared by a module's tests (tests/conftest.py): each test sees it as loaded, whatever
the one before changed, and a test that does not ask for it never sees it.

The tests are written in an order that the suite's ordering changes: the demo tests run first."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction

from commitments.models import Commitment, Evidence, Plan
from meetings.models import MinutesVersion
from reports.models import ReportVersion
from tests import demo_rows
from tests.demo_rows import DemoRows

pytestmark = pytest.mark.django_db

TITLE = "Renforcement de la transparence budgétaire"


def first_commitment() -> Commitment:
    return Commitment.objects.get(plan__code="PAN-2021-2023", number=1)


def test_a_test_changes_the_demo(demo):
    Commitment.objects.filter(pk=first_commitment().pk).update(title_fr="Changé")
    get_user_model().objects.filter(username="focal1").update(is_active=False)


def test_a_test_without_the_demo_does_not_see_it():
    assert not Plan.objects.exists()
    assert not get_user_model().objects.exists()


def test_the_next_test_sees_the_demo_as_loaded_with_its_users(demo):
    assert first_commitment().title_fr == TITLE
    assert get_user_model().objects.get(username="focal1").is_active


def test_the_demo_writes_no_file(demo):
    """Files would be left in the first test's MEDIA_ROOT (the autouse ``private_media``)."""
    assert not Evidence.objects.exclude(file="").exists()
    assert not ReportVersion.objects.exists() and not MinutesVersion.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_does_not_see_it():
    assert not Plan.objects.exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the copy is made on SQLite only")
def test_the_copied_demo_is_the_loaded_demo(transactional_db):
    """tests/demo_rows.py: after the first load in a process, the demo is copied; the copy has
    every row ``load_demo`` writes, on the database it was recorded on as on a flushed one."""
    rows = DemoRows()
    rows.load()  # the real command
    loaded = demo_rows._read()
    call_command("flush", interactive=False, verbosity=0)  # new content type ids
    rows.load()
    assert demo_rows._read() == loaded
    with transaction.atomic():
        for table in loaded:
            connection.cursor().execute(f'DELETE FROM "{table}"')
        for table, (columns, values) in rows.before.items():
            demo_rows._insert(connection.cursor(), {table: (columns, values)})
    rows.load()  # onto the database it was recorded on: only the demo's rows added
    assert demo_rows._read() == loaded
