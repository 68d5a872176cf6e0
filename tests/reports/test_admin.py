"""The back office does not go round the workflow's gates nor the sheets' lock."""

import pytest
from django.contrib.auth.models import User

from reports.models import AssessmentSheet, Report
from reports.services import sheet_review
from tests.reports.factories import AssessmentSheetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(demo, client):
    assert client.login(username="secretariat", password="ogp-demo")
    return client


@pytest.fixture
def report(demo):
    return Report.objects.get(plan__code="PAN-2021-2023")


def test_the_stage_and_what_the_gates_record_are_read_only(staff, report):
    html = staff.get(f"/fr/admin/reports/report/{report.pk}/change/").content.decode()
    assert 'name="title_fr"' in html
    for field in ("stage", "validated_version", "transmitted_on", "transmitted_how"):
        assert f'name="{field}"' not in html


def test_a_locked_sheet_cannot_be_changed_in_the_admin(staff, report):
    sheet = AssessmentSheetFactory(
        report=report, commitment=report.plan.commitments.get(number=3), state="submitted"
    )
    url = f"/fr/admin/reports/assessmentsheet/{sheet.pk}/change/"
    assert 'name="results"' in staff.get(url).content.decode()  # still open
    sheet_review(sheet=sheet, user=User.objects.get(username="secretariat"), accept=True)
    assert 'name="results"' not in staff.get(url).content.decode()
    staff.post(url, {"results": "Réécrit dans l'administration"})
    assert AssessmentSheet.objects.get(pk=sheet.pk).results == ""
