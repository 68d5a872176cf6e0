"""The report's gates on the secretariat's page: what the next step needs is shown before the
click, a refused step shows the same list and moves nothing, and the forms show their errors."""

import datetime

import pytest
from django.test import Client

from commitments.models import Commitment
from reports.gates import stage_missing
from reports.models import AssessmentSheet, ReportComment, SheetExemption
from reports.services import (
    report_stage_change,
    sheet_exemption_record,
)
from tests.reports.factories import (
    ReportCommentFactory,
)
from tests.reports.steps import (
    close_the_consultation,
    consultation_for,
    page,
    ready_version,
    submit_every_sheet,
    walk,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf", "english")]


# The page -----------------------------------------------------------------------------------


@pytest.fixture
def staff(secretariat):
    client = Client()
    client.force_login(secretariat)
    return client


def test_the_page_shows_what_the_next_step_needs_before_the_click(report, staff, secretariat):
    html = page(staff, report)
    assert 'data-testid="next-stage-checklist"' in html
    assert "Generate the report&#x27;s PDF: no version is ready yet." in html
    walk(report, "review", user=secretariat)
    AssessmentSheet.objects.filter(report=report, commitment__number=4).delete()
    html = page(staff, report)
    assert "Commitment 4 (Procédures administratives): the sheet is not submitted" in html
    assert "Set the opening and closing dates of the public consultation." in html
    checklist = html.split('data-testid="next-stage-checklist"')[1].split("</div>")[0]
    assert "Commitment 4 (" in checklist and "Commitment 3 (" not in checklist


def test_a_refused_step_on_the_page_shows_the_same_list_and_moves_nothing(report, staff):
    response = staff.post(f"/en/secretariat/reports/{report.pk}/stage/", {"stage": "review"})
    assert response.status_code == 400
    html = response.content.decode()
    refusal = html.split('data-testid="stage-refused"')[1].split("</div>")[0]
    assert "The report cannot move to Committee review yet:" in refusal
    assert "Generate the report&#x27;s PDF: no version is ready yet." in refusal
    report.refresh_from_db()
    assert (report.stage, report.stage_changes.count()) == ("draft", 0)


def test_each_gate_refused_through_the_page(report, staff, secretariat):
    url = f"/en/secretariat/reports/{report.pk}/stage/"
    walk(report, "review", user=secretariat)
    AssessmentSheet.objects.filter(report=report, commitment__number=3).delete()
    response = staff.post(url, {"stage": "consultation"})
    assert response.status_code == 400
    assert "Commitment 3 (Charte des services publics)" in response.content.decode()
    sheet_exemption_record(
        report=report,
        commitment=report.plan.commitments.get(number=3),
        user=secretariat,
        reason="Suspendu",
    )
    opens, closes = consultation_for(14)
    assert (
        staff.post(
            f"/en/secretariat/reports/{report.pk}/consultation/",
            {"opens_on": opens, "closes_on": closes},
        ).status_code
        == 302
    )
    assert staff.post(url, {"stage": "consultation"}).status_code == 302
    ReportCommentFactory(report=report, name="Houda")
    response = staff.post(url, {"stage": "validated"})
    assert response.status_code == 400
    assert "awaits moderation" in response.content.decode()
    assert "wait until it is over" in response.content.decode()
    # The sheet removed after the PDF was made: the PDF is behind the data.
    assert "Generate the PDF again" in response.content.decode()
    close_the_consultation(report)
    comment = report.comments.get()
    staff.post(
        f"/en/secretariat/reports/comments/{comment.pk}/moderate/",
        {"approve": "0", "reason": "Hors sujet"},
    )
    ready_version(report)
    assert staff.post(url, {"stage": "validated"}).status_code == 302
    assert staff.post(url, {"stage": "published"}).status_code == 302
    response = staff.post(url, {"stage": "transmitted", "transmitted_on": "2023-09-30"})
    assert response.status_code == 400
    assert "Say how the report was sent to the OGP" in response.content.decode()
    response = staff.post(
        url,
        {
            "stage": "transmitted",
            "transmitted_on": "2023-09-30",
            "transmitted_how": "E-mail to the OGP support unit",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.stage == "transmitted"
    public = Client().get(f"/en/reports/{report.pk}/").content.decode()
    assert "E-mail to the OGP support unit" in public


def test_the_consultation_dates_form_shows_its_errors(report, staff):
    response = staff.post(
        f"/en/secretariat/reports/{report.pk}/consultation/",
        {"opens_on": "2023-05-01", "closes_on": "2023-04-01"},
    )
    assert response.status_code == 400
    assert "The consultation cannot close before it opens." in response.content.decode()
    report.refresh_from_db()
    assert report.consultation_closes_on is None


def test_exceptions_and_answers_through_the_page(report, staff, secretariat):
    walk(report, "review", user=secretariat)
    AssessmentSheet.objects.filter(report=report, commitment__number=4).delete()
    four = report.plan.commitments.get(number=4)
    url = f"/en/secretariat/reports/{report.pk}/commitments/{four.pk}/exemption/"
    response = staff.post(url, {"reason": ""}, follow=True)
    assert "Say why this commitment has no sheet." in response.content.decode()
    assert not SheetExemption.objects.exists()
    staff.post(url, {"reason": "Retiré du plan en 2022"})
    exemption = SheetExemption.objects.get()
    assert (exemption.commitment, exemption.granted_by) == (four, secretariat)
    assert "Retiré du plan en 2022" in page(staff, report)

    walk(report, "consultation", user=secretariat)
    comment = ReportCommentFactory(report=report, moderation="approved", name="Karim")
    assert 'data-testid="answer-' in page(staff, report)
    staff.post(
        f"/en/secretariat/reports/comments/{comment.pk}/answer/",
        {"answer": "Corrigé à la section 3."},
    )
    comment.refresh_from_db()
    assert comment.response == "Corrigé à la section 3."
    public = Client().get(f"/en/reports/{report.pk}/").content.decode()
    assert "Corrigé à la section 3." in public


def test_dismissing_a_comment_on_the_page_needs_a_reason(report, staff, secretariat):
    walk(report, "review", "consultation", user=secretariat)
    comment = ReportCommentFactory(report=report)
    url = f"/en/secretariat/reports/comments/{comment.pk}/moderate/"
    response = staff.post(url, {"approve": "0"}, follow=True)
    assert "Say why the comment is not published." in response.content.decode()
    comment.refresh_from_db()
    assert comment.moderation == ReportComment.Moderation.PENDING


def test_the_consultation_gate_ignores_withdrawn_commitments(report, secretariat, commitment):
    Commitment.objects.filter(pk=commitment.pk).update(status="withdrawn")
    submit_every_sheet(report)
    ready_version(report)
    report_stage_change(report=report, stage="review", user=secretariat)
    assert stage_missing(report, "consultation") == [
        "Set the opening and closing dates of the public consultation."
    ]


def test_the_dates_are_shown_to_the_browser_as_iso_dates_in_every_language(report, staff):
    opens, closes = datetime.date(2023, 4, 3), datetime.date(2023, 4, 17)
    assert (
        staff.post(
            f"/fr/secretariat/reports/{report.pk}/consultation/",
            {"opens_on": opens.isoformat(), "closes_on": closes.isoformat()},
        ).status_code
        == 302
    )
    for lang in ("fr", "ar", "en"):
        html = staff.get(f"/{lang}/secretariat/reports/{report.pk}/").content.decode()
        assert 'value="2023-04-03"' in html and 'value="2023-04-17"' in html
