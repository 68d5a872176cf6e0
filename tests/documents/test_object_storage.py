"""Evidence and generated PDFs go through Django's storage API only, never a path on disk: with
an in-memory storage (what an object store looks like to the code) a focal point's evidence is
uploaded and downloaded, and a report and minutes are laid out for real, kept and downloaded."""

import io
from pathlib import Path

import pytest
from django.core.files.storage import InMemoryStorage, default_storage, storages
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from commitments.models import ProgressUpdate
from meetings.generation import MINUTES
from reports.generation import REPORT
from reports.models import Report
from tests.conftest import PDF_BYTES, make_upload
from tests.factories import ActivityFactory
from tests.meetings.factories import MeetingFactory, MinutesVersionFactory
from tests.reports.factories import ReportFactory, ReportVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_memory_storage(settings) -> InMemoryStorage:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    assert isinstance(storages["default"], InMemoryStorage)
    return storages["default"]


def not_on_disk(settings, name: str) -> bool:
    return not (Path(settings.MEDIA_ROOT) / name).exists()


def pdf_text(file) -> str:
    with file.open("rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_evidence_is_uploaded_and_downloaded_through_the_storage(settings, commitment, focal_point):
    activity = ActivityFactory(commitment=commitment, position=1)
    client = Client()
    client.force_login(focal_point)
    prefix = f"a{activity.pk}"
    client.post(
        f"/en/workspace/commitments/{commitment.pk}/update/",
        {
            f"{prefix}-progress": 40,
            f"{prefix}-status": activity.status,
            f"{prefix}-version": activity.version,
            f"{prefix}-evidence_file": make_upload("pv.pdf", PDF_BYTES),
        },
    )
    evidence = ProgressUpdate.objects.get().evidence.get()
    assert default_storage.exists(evidence.file.name)
    assert not_on_disk(settings, evidence.file.name)
    response = client.get(f"/fr/evidence/{evidence.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_report_is_generated_kept_and_downloaded_through_the_storage(settings, commitment):
    report = ReportFactory(plan=commitment.plan, stage=Report.Stage.CONSULTATION)
    version = REPORT.generate(ReportVersionFactory(report=report, language="fr").pk)
    assert version.status == version.Status.READY
    assert default_storage.exists(version.pdf.name)
    assert not_on_disk(settings, version.pdf.name)
    assert commitment.title_fr[:30] in pdf_text(version.pdf)
    with default_storage.open(version.pdf.name, "rb") as pdf:
        kept = pdf.read()
    with translation.override("fr"):
        url = reverse("reports:download", args=[report.pk, "fr"])
    response = Client().get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == kept


def test_minutes_are_generated_and_kept_through_the_storage(settings, commitment):
    meeting = MeetingFactory(plan=commitment.plan)
    version = MINUTES.generate(MinutesVersionFactory(meeting=meeting, language="ar").pk)
    assert version.status == version.Status.READY
    assert default_storage.exists(version.pdf.name)
    assert not_on_disk(settings, version.pdf.name)
    assert pdf_text(version.pdf)
