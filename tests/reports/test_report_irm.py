"""The report's commitment part shows the IRM's assessment beside the self-assessment, the
differences flagged, when one is recorded (the demo records none)."""

import pytest

from commitments.models import Commitment
from reports.generation import REPORT
from reports.models import AssessmentSheet, Report
from tests.factories import IrmAssessmentFactory
from tests.reports.factories import ReportVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(demo):
    return Report.objects.get(plan__code="PAN-2021-2023")


def commitment_part(fake_pdf, number: int) -> str:
    marker = f'id="commitment-{number}"'
    return fake_pdf.containing(marker).split(marker)[1].split("</section>")[0]


def generate(report, language: str = "en"):
    version = ReportVersionFactory(report=report, language=language)
    return REPORT.generate(version.pk)


def test_the_flagged_difference_is_in_the_commitments_part(report, fake_pdf):
    # Commitment 3 is at 47 %: "limited" for the portal; the IRM says "substantial".
    commitment = Commitment.objects.get(plan=report.plan, number=3)
    IrmAssessmentFactory(commitment=commitment, completion="substantial")
    generate(report)
    part = commitment_part(fake_pdf, 3)
    assert "Independent Reporting Mechanism" in part
    assert '<tr class="differs">' in part
    assert "⚠ They differ" in part
    assert "The self-assessment says “Limited”, the IRM says “Substantial”." in part
    assert "No IRM assessment" not in commitment_part(fake_pdf, 4)
    assert "Independent Reporting Mechanism" not in commitment_part(fake_pdf, 4)


def test_the_sheets_level_is_what_the_report_compares(report, fake_pdf):
    commitment = Commitment.objects.get(plan=report.plan, number=3)
    # The same values as the commitment's: access to information, public accountability.
    IrmAssessmentFactory(
        commitment=commitment, completion="substantial", relevant_public_accountability=True
    )
    AssessmentSheet.objects.update_or_create(
        report=report,
        commitment=commitment,
        defaults={
            "completion_override": "substantial",
            "completion_justification": "La feuille de route est presque adoptée.",
        },
    )
    generate(report)
    part = commitment_part(fake_pdf, 3)
    assert "Independent Reporting Mechanism" in part
    assert "differs" not in part


def test_what_the_sheet_says_of_opening_government_is_beside_the_irms_rating(report, fake_pdf):
    commitment = Commitment.objects.get(plan=report.plan, number=3)
    IrmAssessmentFactory(commitment=commitment)
    AssessmentSheet.objects.update_or_create(
        report=report,
        commitment=commitment,
        defaults={
            "state": AssessmentSheet.State.SUBMITTED,
            "effect_access_to_information": AssessmentSheet.Effect.MAJOR,
        },
    )
    generate(report)
    part = commitment_part(fake_pdf, 3)
    row = part.split("<th>Did it open government?</th>")[1].split("</tr>")[0]
    assert "<td>access to information: Major</td><td>Marginal</td>" in row
    assert "differs" not in row  # different scales: shown, not compared
