"""The demo shared by a module's tests (tests/conftest.py): each test sees it as loaded, whatever
the one before changed, and a test that does not ask for it never sees it.

The tests are written in an order that the suite's ordering changes: the demo tests run first."""

import pytest
from django.contrib.auth import get_user_model

from commitments.models import Commitment, Evidence, Plan
from meetings.models import MinutesVersion
from reports.models import ReportVersion

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
