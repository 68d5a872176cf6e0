"""A self-assessment sheet is locked once the secretariat accepted it, or once the report has
left the draft stage, until the secretariat returns it: its page says why it is read-only, a
POST is refused with that message and saves nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from reports.generation import REPORT
from reports.models import AssessmentSheet
from reports.services import report_stage_change, sheet_review, sheet_save
from tests.factories import ActivityFactory
from tests.reports.factories import AssessmentSheetFactory, ReportFactory, ReportVersionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf", "english")]

ACCEPTED = "The secretariat accepted this sheet: it can no longer be changed"
LEFT_DRAFT = "The report has left the draft stage (now: Committee review)"


@pytest.fixture
def report(commitment):
    return ReportFactory(plan=commitment.plan)


@pytest.fixture
def activity(commitment):
    return ActivityFactory(commitment=commitment, title_fr="Publier la charte")


@pytest.fixture
def sheet(report, commitment, activity):
    return AssessmentSheetFactory(
        report=report, commitment=commitment, state="submitted", results="Charte adoptée."
    )


@pytest.fixture
def focal(focal_point):
    client = Client()
    client.force_login(focal_point)
    return client


def url(sheet) -> str:
    return f"/en/workspace/reports/{sheet.report_id}/commitments/{sheet.commitment_id}/sheet/"


def form_data(activity, **fields) -> dict:
    """The sheet's form, submitted (``submit=None, save="1"``: saved as a draft)."""
    data = {
        "results": "Réécrit après coup.",
        f"n{activity.pk}-status": "completed",
        f"n{activity.pk}-comment": "",
        "submit": "1",
        **fields,
    }
    return {name: value for name, value in data.items() if value is not None}


def saved(sheet) -> tuple:
    """What the sheet says, as stored, and how many times it was saved."""
    stored = AssessmentSheet.objects.get(pk=sheet.pk)
    return (stored.state, stored.results, stored.activity_notes.count(), stored.history.count())


def to_review(report, user):
    """The draft ends: a PDF is made from the data, the committee review starts."""
    REPORT.generate(ReportVersionFactory(report=report).pk)
    report_stage_change(report=report, stage="review", user=user)


def test_an_accepted_sheet_is_read_only_and_a_post_saves_nothing(
    sheet, activity, focal, secretariat
):
    sheet_review(sheet=sheet, user=secretariat, accept=True)
    before = saved(sheet)
    page = focal.get(url(sheet)).content.decode()
    assert ACCEPTED in page
    assert 'data-testid="sheet-locked"' in page
    assert "Submit to the secretariat" not in page and "disabled" in page
    response = focal.post(url(sheet), form_data(activity), follow=True)
    assert response.redirect_chain and ACCEPTED in response.content.decode()
    assert saved(sheet) == before
    assert AssessmentSheet.objects.get(pk=sheet.pk).results == "Charte adoptée."


def test_a_sheet_is_locked_once_the_report_left_the_draft(
    report, sheet, activity, focal, secretariat
):
    to_review(report, secretariat)
    before = saved(sheet)
    assert LEFT_DRAFT in focal.get(url(sheet)).content.decode()
    response = focal.post(url(sheet), form_data(activity, submit=None, save="1"), follow=True)
    assert LEFT_DRAFT in response.content.decode()
    assert saved(sheet) == before


def test_an_unsubmitted_or_missing_sheet_is_locked_after_the_draft_too(
    report, commitment, other_commitment, activity, focal, secretariat
):
    draft = AssessmentSheetFactory(report=report, commitment=commitment, state="draft")
    to_review(report, secretariat)
    before = saved(draft)
    focal.post(url(draft), form_data(activity))
    assert saved(draft) == before
    # The secretariat, who may fill any sheet, is held by the same lock; nothing is created.
    staff = Client()
    staff.force_login(secretariat)
    missing = f"/en/workspace/reports/{report.pk}/commitments/{other_commitment.pk}/sheet/"
    assert LEFT_DRAFT in staff.get(missing).content.decode()
    staff.post(missing, {"results": "x", "submit": "1"})
    assert not AssessmentSheet.objects.filter(commitment=other_commitment).exists()


def test_the_service_refuses_a_locked_sheet(report, sheet, focal_point, secretariat):
    sheet_review(sheet=sheet, user=secretariat, accept=True)
    sheet.results = "Réécrit"
    with pytest.raises(ValidationError, match=ACCEPTED):
        sheet_save(sheet=sheet, user=focal_point, submit=True)
    assert AssessmentSheet.objects.get(pk=sheet.pk).results == "Charte adoptée."


def test_a_returned_sheet_reopens_even_after_the_draft_then_locks_again(
    report, sheet, activity, focal, secretariat
):
    sheet_review(sheet=sheet, user=secretariat, accept=True)
    to_review(report, secretariat)
    # The secretariat returns the accepted sheet: that one sheet reopens.
    sheet_review(sheet=sheet, user=secretariat, accept=False, note="Préciser les résultats.")
    page = focal.get(url(sheet)).content.decode()
    assert 'data-testid="sheet-locked"' not in page and "Préciser les résultats." in page
    assert url(sheet) in focal.get("/en/workspace/sheets/").content.decode()
    # Saved as a draft, it stays open (returned) until it is submitted again.
    focal.post(url(sheet), form_data(activity, submit=None, save="1", results="Brouillon"))
    assert saved(sheet)[:2] == ("returned", "Brouillon")
    focal.post(url(sheet), form_data(activity, results="Résultats précisés."))
    assert saved(sheet)[:2] == ("submitted", "Résultats précisés.")
    before = saved(sheet)
    focal.post(url(sheet), form_data(activity, results="Encore une fois"))
    assert saved(sheet) == before


def test_only_a_submitted_sheet_is_accepted_an_accepted_one_can_be_returned(sheet, secretariat):
    sheet_review(sheet=sheet, user=secretariat, accept=True)
    with pytest.raises(ValidationError):
        sheet_review(sheet=sheet, user=secretariat, accept=True)
    sheet_review(sheet=sheet, user=secretariat, accept=False, note="À revoir")
    assert AssessmentSheet.objects.get(pk=sheet.pk).state == "returned"
    with pytest.raises(ValidationError):
        sheet_review(sheet=sheet, user=secretariat, accept=False, note="Encore")


def test_the_secretariat_page_offers_to_return_an_accepted_sheet(report, sheet, secretariat):
    sheet_review(sheet=sheet, user=secretariat, accept=True)
    staff = Client()
    staff.force_login(secretariat)
    html = staff.get(f"/en/secretariat/reports/{report.pk}/").content.decode()
    assert f'action="/en/secretariat/reports/sheets/{sheet.pk}/review/"' in html
    staff.post(f"/en/secretariat/reports/sheets/{sheet.pk}/review/", {"review_note": "Revoir"})
    assert AssessmentSheet.objects.get(pk=sheet.pk).state == "returned"
