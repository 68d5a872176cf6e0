"""A version marked ready whose PDF is no longer in MEDIA_ROOT (a lost volume, a restore of the
database without the media): every download of it answers the portal's 404 page (JSON in the
API), never a 500; the secretariat sees the version as broken, on its row and in the API, and
generates it again, which makes a new version (the broken one is kept as it was)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meetings.models import MinutesVersion
from reports.generation import current_fingerprint, ready_from_current_data
from reports.models import ReportVersion
from tests.meetings.factories import MinutesVersionFactory
from tests.reports.factories import ReportVersionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]

MISSING = "The PDF of this document cannot be found on the server"


def lose_file(version) -> None:
    version.pdf.storage.delete(version.pdf.name)


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def lost_report_version(public_report) -> ReportVersion:
    version = ReportVersionFactory(report=public_report, ready=True)
    lose_file(version)
    return version


@pytest.fixture
def lost_minutes_version(published_meeting) -> MinutesVersion:
    version = MinutesVersionFactory(meeting=published_meeting, ready=True)
    lose_file(version)
    return version


def assert_missing_page(response) -> None:
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]
    assert MISSING in response.content.decode()


def test_the_public_report_download_of_a_lost_file_answers_the_404_page(lost_report_version):
    url = en("reports:download", lost_report_version.report_id, "fr")
    assert_missing_page(Client(raise_request_exception=False).get(url))


def test_the_secretariat_download_of_a_lost_report_file_answers_the_404_page(
    lost_report_version, staff
):
    assert_missing_page(staff.get(en("reports:version_download", lost_report_version.pk)))


def test_the_minutes_downloads_of_a_lost_file_answer_the_404_page(lost_minutes_version, staff):
    public = en("meetings:minutes_download", lost_minutes_version.meeting_id, "fr")
    assert_missing_page(Client(raise_request_exception=False).get(public))
    assert_missing_page(staff.get(en("meetings:minutes_version_download", lost_minutes_version.pk)))


def test_the_api_download_of_a_lost_file_answers_404_in_json(lost_report_version, staff_api):
    response = staff_api.get(f"/api/v1/reports/{lost_report_version.pk}/pdf/?lang=en")
    assert response.status_code == 404
    assert MISSING in response.json()["detail"]
    shown = staff_api.get(f"/api/v1/reports/{lost_report_version.pk}/").json()
    assert (shown["status"], shown["problem"], shown["pdf_url"]) == ("ready", "file_missing", None)


def test_a_present_file_has_no_problem(public_report, staff_api):
    version = ReportVersionFactory(report=public_report, ready=True)
    shown = staff_api.get(f"/api/v1/reports/{version.pk}/").json()
    assert shown["problem"] is None and shown["pdf_url"].endswith("/pdf/")
    assert staff_api.get(shown["pdf_url"]).status_code == 200


def test_the_secretariat_sees_the_lost_version_as_broken_on_its_row(lost_report_version, staff):
    page = staff.get(en("reports:manage_detail", lost_report_version.report_id)).content.decode()
    row = page.split(f'id="version-{lost_report_version.pk}"')[1].split("</tr>")[0]
    assert 'data-problem="file_missing"' in row
    assert "The PDF of this version is missing from the server." in row
    assert "Generate again" in row and 'data-testid="version-download"' not in row


def test_generating_a_lost_report_again_makes_a_new_version_and_keeps_the_broken_one(
    lost_report_version, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(en("reports:version_retry", lost_report_version.pk))
    new = ReportVersion.objects.exclude(pk=lost_report_version.pk).get()
    assert response.status_code == 302 and response["Location"].endswith(f"#version-{new.pk}")
    assert (new.language, new.status) == ("fr", ReportVersion.Status.READY)
    assert new.pdf.storage.exists(new.pdf.name)
    kept = ReportVersion.objects.get(pk=lost_report_version.pk)
    assert (kept.status, kept.pdf.name) == ("ready", lost_report_version.pdf.name)
    public = en("reports:download", lost_report_version.report_id, "fr")
    assert Client().get(public).status_code == 200  # the new version is offered


def test_generating_a_lost_report_again_through_the_api(
    lost_report_version, staff_api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.post(f"/api/v1/reports/{lost_report_version.pk}/retry/")
    assert response.status_code == 202
    new = ReportVersion.objects.exclude(pk=lost_report_version.pk).get()
    assert response["Location"].endswith(f"/api/v1/reports/{new.pk}/")
    assert response.json()["id"] == new.pk


def test_generating_lost_minutes_again_from_the_meeting_page(
    lost_minutes_version, staff, django_capture_on_commit_callbacks
):
    meeting_page = en("meetings:detail", lost_minutes_version.meeting_id)
    row = staff.get(meeting_page).content.decode().split(f'id="version-{lost_minutes_version.pk}"')
    assert 'data-problem="file_missing"' in row[1].split("</tr>")[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(en("meetings:minutes_retry", lost_minutes_version.pk))
    new = MinutesVersion.objects.exclude(pk=lost_minutes_version.pk).get()
    assert response["Location"].endswith(f"#version-{new.pk}")
    assert new.status == MinutesVersion.Status.READY
    public = en("meetings:minutes_download", lost_minutes_version.meeting_id, "fr")
    assert Client().get(public).status_code == 200


def test_a_lost_version_is_not_one_the_validation_may_pin(lost_report_version, fake_pdf):
    """The gates ask for a ready version made from the current data, and the validation pins
    it for publication: one whose file is lost cannot be that version."""
    report = lost_report_version.report
    ReportVersion.objects.filter(pk=lost_report_version.pk).update(
        data_hash=current_fingerprint(report, "fr")
    )
    assert ready_from_current_data(report) == []
