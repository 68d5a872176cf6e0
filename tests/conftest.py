"""Named personas shared by the whole suite (after healthchecks' alice, bob and charlie)."""

import datetime

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
