"""Each step of the report's workflow has a gate: what it needs is listed before the step (the
secretariat's page) and when it is refused (the service and the page), and nothing moves."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from commitments.models import Commitment
from reports.gates import stage_missing
from reports.models import AssessmentSheet, Report, SheetExemption
from reports.services import (
    report_comment_add,
    report_comment_answer,
    report_comment_moderate,
    report_consultation_schedule,
    report_stage_change,
    sheet_exemption_record,
)
from tests.reports.factories import (
    AssessmentSheetFactory,
    ReportCommentFactory,
    ReportVersionFactory,
)
from tests.reports.steps import (
    close_the_consultation,
    consultation_for,
    ready_version,
    refused,
    walk,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf", "english")]


# Committee review ---------------------------------------------------------------------------


def test_committee_review_needs_a_ready_version_made_from_the_current_data(report, secretariat):
    assert refused(report, "review", secretariat) == [
        "Generate the report's PDF: no version is ready yet."
    ]
    version = ready_version(report)
    assert stage_missing(report, "review") == []
    # The data changes after the PDF was made: the PDF no longer says what the data says.
    AssessmentSheetFactory(
        report=report,
        commitment=report.plan.commitments.first(),
        state="submitted",
        results="Nouveau résultat",
    )
    assert refused(report, "review", secretariat) == [
        "Generate the PDF again: no ready version was made from the current data."
    ]
    newer = ready_version(report)
    assert newer.data_hash != version.data_hash
    report_stage_change(report=report, stage="review", user=secretariat)
    assert Report.objects.get(pk=report.pk).stage == "review"


def test_a_failed_or_waiting_version_does_not_open_the_review(report, secretariat):
    ReportVersionFactory(report=report)  # waiting
    ReportVersionFactory(report=report, status="failed", error="disk full")
    assert refused(report, "review", secretariat) == [
        "Generate the report's PDF: no version is ready yet."
    ]


# Public consultation ------------------------------------------------------------------------


def test_public_consultation_lists_each_missing_sheet_and_the_dates(report, secretariat):
    ready_version(report)
    report_stage_change(report=report, stage="review", user=secretariat)
    assert refused(report, "consultation", secretariat) == [
        "Commitment 3 (Charte des services publics): the sheet is not submitted and no "
        "exception is recorded.",
        "Commitment 4 (Procédures administratives): the sheet is not submitted and no "
        "exception is recorded.",
        "Set the opening and closing dates of the public consultation.",
    ]


def test_a_sheet_being_filled_or_returned_is_missing_a_submitted_or_accepted_one_is_not(
    report, secretariat, commitment, other_commitment
):
    AssessmentSheetFactory(report=report, commitment=commitment, state="draft")
    AssessmentSheetFactory(report=report, commitment=other_commitment, state="returned")
    walk(report, "review", user=secretariat)  # sheets stay as they are: both exist
    missing = stage_missing(report, "consultation")
    assert [m.split(":")[0] for m in missing[:2]] == [
        "Commitment 3 (Charte des services publics)",
        "Commitment 4 (Procédures administratives)",
    ]
    AssessmentSheet.objects.filter(commitment=commitment).update(state="submitted")
    AssessmentSheet.objects.filter(commitment=other_commitment).update(state="reviewed")
    assert stage_missing(report, "consultation") == [
        "Set the opening and closing dates of the public consultation."
    ]


def test_an_exception_records_who_when_and_why_and_counts_for_the_sheet(
    report, secretariat, commitment, other_commitment
):
    AssessmentSheetFactory(report=report, commitment=commitment, state="submitted")
    ready_version(report)
    report_stage_change(report=report, stage="review", user=secretariat)
    with pytest.raises(ValidationError, match="Say why"):
        sheet_exemption_record(
            report=report, commitment=other_commitment, user=secretariat, reason="  "
        )
    exemption = sheet_exemption_record(
        report=report,
        commitment=other_commitment,
        user=secretariat,
        reason="Engagement suspendu par le comité de pilotage du 28 mars 2023.",
    )
    assert (exemption.granted_by, exemption.granted_at.date()) == (
        secretariat,
        timezone.localdate(),
    )
    assert SheetExemption.objects.get(report=report, commitment=other_commitment) == exemption
    with pytest.raises(ValidationError, match="already recorded"):
        sheet_exemption_record(
            report=report, commitment=other_commitment, user=secretariat, reason="Encore"
        )
    report_consultation_schedule(
        report=report,
        opens_on=datetime.date(2023, 4, 3),
        closes_on=datetime.date(2023, 4, 17),
        user=secretariat,
    )
    report_stage_change(report=report, stage="consultation", user=secretariat)
    assert Report.objects.get(pk=report.pk).stage == "consultation"


def test_the_consultation_lasts_at_least_the_plans_minimum(report, secretariat):
    walk(report, "review", user=secretariat)
    opens, closes = consultation_for(13)
    report_consultation_schedule(report=report, opens_on=opens, closes_on=closes, user=secretariat)
    assert refused(report, "consultation", secretariat) == [
        "The public consultation lasts 13 days from its opening to its closing day; the plan "
        "asks for at least 14."
    ]
    report.plan.consultation_min_days = 10
    report.plan.save()
    report.refresh_from_db()
    assert stage_missing(report, "consultation") == []
    report.plan.consultation_min_days = 14
    report.plan.save()
    opens, closes = consultation_for(14)
    report_consultation_schedule(report=report, opens_on=opens, closes_on=closes, user=secretariat)
    report_stage_change(report=report, stage="consultation", user=secretariat)


def test_the_plan_asks_for_two_weeks_by_default(commitment):
    assert commitment.plan.consultation_min_days == 14


def test_consultation_dates_are_ordered_and_fixed_once_it_is_over(report, secretariat):
    with pytest.raises(ValidationError, match="cannot close before it opens"):
        report_consultation_schedule(
            report=report,
            opens_on=datetime.date(2023, 5, 1),
            closes_on=datetime.date(2023, 4, 1),
            user=secretariat,
        )
    walk(report, "review", "consultation", user=secretariat)
    # During the consultation it may be extended, not cut below the minimum.
    opens = report.consultation_opens_on
    with pytest.raises(ValidationError, match="at least 14"):
        report_consultation_schedule(
            report=report,
            opens_on=opens,
            closes_on=opens + datetime.timedelta(days=5),
            user=secretariat,
        )
    walk(report, "validated", user=secretariat)
    with pytest.raises(ValidationError, match="no longer change"):
        report_consultation_schedule(
            report=report,
            opens_on=opens,
            closes_on=opens + datetime.timedelta(days=30),
            user=secretariat,
        )


def test_public_comments_are_taken_between_the_opening_and_the_closing_day(report, secretariat):
    walk(report, "review", user=secretariat)
    opens, closes = consultation_for(15)
    report_consultation_schedule(
        report=report,
        opens_on=opens + datetime.timedelta(days=1),
        closes_on=closes,
        user=secretariat,
    )
    report_stage_change(report=report, stage="consultation", user=secretariat)
    with pytest.raises(ValidationError, match="opens on"):
        report_comment_add(report=report, kind="public", body="Trop tôt", name="Houda")
    report_consultation_schedule(report=report, opens_on=opens, closes_on=closes, user=secretariat)
    report_comment_add(report=report, kind="public", body="À temps", name="Houda")
    close_the_consultation(report)
    with pytest.raises(ValidationError, match="closed on"):
        report_comment_add(report=report, kind="public", body="Trop tard", name="Houda")
    assert list(report.comments.values_list("body", flat=True)) == ["À temps"]


# Validation ---------------------------------------------------------------------------------


@pytest.fixture
def consulting(report, secretariat):
    """The report under public consultation, open from today for two weeks."""
    walk(report, "review", user=secretariat)
    opens, closes = consultation_for(14)
    report_consultation_schedule(report=report, opens_on=opens, closes_on=closes, user=secretariat)
    report_stage_change(report=report, stage="consultation", user=secretariat)
    return report


def test_validation_needs_the_consultation_closed_and_every_comment_answered_or_dismissed(
    consulting, secretariat
):
    report = consulting
    closes = report.consultation_closes_on
    pending = report_comment_add(report=report, kind="public", body="Et l'axe 2 ?", name="Houda")
    published = report_comment_add(report=report, kind="public", body="Bravo", name="Karim")
    report_comment_moderate(comment=published, approve=True, user=secretariat)
    dismissed = report_comment_add(report=report, kind="public", body="Publicité", name="Spam")
    assert refused(report, "validated", secretariat) == [
        f"The public consultation closes on {closes:%m/%d/%Y}: wait until it is over.",
        f"The comment by Houda ({timezone.localdate():%m/%d/%Y}) awaits moderation.",
        f"The comment by Karim ({timezone.localdate():%m/%d/%Y}) has no answer.",
        f"The comment by Spam ({timezone.localdate():%m/%d/%Y}) awaits moderation.",
    ]
    close_the_consultation(report)
    with pytest.raises(ValidationError, match="Say why"):
        report_comment_moderate(comment=dismissed, approve=False, user=secretariat)
    report_comment_moderate(
        comment=dismissed, approve=False, user=secretariat, reason="Sans rapport avec le plan."
    )
    report_comment_moderate(comment=pending, approve=True, user=secretariat)
    report_comment_answer(
        comment=pending, user=secretariat, answer="L'axe 2 est traité à la section 4."
    )
    assert [m.split(")")[0] for m in stage_missing(report, "validated")] == [
        "The comment by Karim (" + f"{timezone.localdate():%m/%d/%Y}"
    ]
    with pytest.raises(ValidationError, match="Write the answer"):
        report_comment_answer(comment=published, user=secretariat, answer=" ")
    report_comment_answer(comment=published, user=secretariat, answer="Merci.")
    published.refresh_from_db()
    assert (published.response, published.responded_by) == ("Merci.", secretariat)
    report_stage_change(report=report, stage="validated", user=secretariat)
    assert Report.objects.get(pk=report.pk).stage == "validated"


def test_a_comment_dismissed_before_reasons_were_asked_for_still_needs_one(report, secretariat):
    walk(report, "review", "consultation", user=secretariat)
    legacy = ReportCommentFactory(report=report, moderation="rejected", name="Houda")
    assert stage_missing(report, "validated") == [
        f"The comment by Houda ({legacy.created_at:%m/%d/%Y}) was not published and no reason "
        "is recorded."
    ]
    report_comment_answer(comment=legacy, user=secretariat, answer="Hors sujet.")
    assert stage_missing(report, "validated") == []


def test_committee_comments_need_an_answer_too(report, secretariat, committee_member):
    walk(report, "review", user=secretariat)
    comment = report_comment_add(
        report=report, kind="committee", body="Relire", author=committee_member
    )
    walk(report, "consultation", user=secretariat)
    assert stage_missing(report, "validated") == [
        f"The comment by Aïmane Amalik ({comment.created_at:%m/%d/%Y}) has no answer."
    ]


def test_validation_pins_the_newest_ready_version_made_from_the_current_data(
    report, secretariat, commitment, numbered_pdf
):
    walk(report, "review", "consultation", user=secretariat)
    french = ready_version(report, "fr")
    arabic = ready_version(report, "ar")
    # The data changes: both are now behind it.
    Commitment.objects.filter(pk=commitment.pk).update(remarks_fr="Décret publié.")
    assert refused(report, "validated", secretariat) == [
        "Generate the PDF again: no ready version was made from the current data."
    ]
    current = ready_version(report, "fr")
    assert current.data_hash not in {french.data_hash, arabic.data_hash}
    report_stage_change(report=report, stage="validated", user=secretariat)
    report.refresh_from_db()
    assert report.validated_version == current
    assert report.stage_changes.last().stage == "validated"


def test_the_newest_current_version_is_pinned_whatever_its_language(report, secretariat):
    walk(report, "review", "consultation", user=secretariat)
    ready_version(report, "fr")
    arabic = ready_version(report, "ar")
    report_stage_change(report=report, stage="validated", user=secretariat)
    assert Report.objects.get(pk=report.pk).validated_version == arabic


def test_stepping_back_from_validation_unpins_the_version(report, secretariat):
    walk(report, "review", "consultation", "validated", user=secretariat)
    assert report.validated_version is not None
    report_stage_change(report=report, stage="consultation", user=secretariat)
    assert Report.objects.get(pk=report.pk).validated_version is None


# Publication and transmission ---------------------------------------------------------------


def test_publication_needs_a_validated_version(report, secretariat):
    walk(report, "review", "consultation", "validated", user=secretariat)
    Report.objects.filter(pk=report.pk).update(validated_version=None)  # data from before
    report.refresh_from_db()
    assert refused(report, "published", secretariat) == [
        "No validated version is recorded: go back to the consultation and validate again."
    ]


def test_the_published_file_is_the_validated_version(report, secretariat, numbered_pdf):
    walk(report, "review", "consultation", user=secretariat)
    draft = report.versions.get()  # what the public read during the consultation
    validated = ready_version(report, "fr")  # same data, a different file
    report_stage_change(report=report, stage="validated", user=secretariat)
    later = ready_version(report, "fr")  # made after the validation: never published
    walk(report, "published", user=secretariat)
    assert report.validated_version == validated

    response = Client().get(f"/en/reports/{report.pk}/pdf/fr/")
    assert response.status_code == 200
    published = b"".join(response.streaming_content)
    with validated.pdf.open("rb") as file:
        assert published == file.read()
    for other in (draft, later):
        with other.pdf.open("rb") as file:
            assert published != file.read()
    html = Client().get(f"/en/reports/{report.pk}/").content.decode()
    assert f'data-fingerprint="{validated.data_hash}"' in html
    assert later.data_hash == validated.data_hash  # same data, yet the validated file is served
    assert Client().get(f"/en/reports/{report.pk}/pdf/ar/").status_code == 404


def test_transmission_records_the_date_and_how(report, secretariat):
    walk(report, "review", "consultation", "validated", "published", user=secretariat)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert refused(report, "transmitted", secretariat) == [
        "Give the date on which the report was sent to the OGP.",
        "Say how the report was sent to the OGP (for example, an e-mail to the OGP support unit).",
    ]
    assert refused(
        report, "transmitted", secretariat, transmitted_on=tomorrow, transmitted_how="E-mail"
    ) == ["The date of transmission cannot be in the future."]
    sent = datetime.date(2023, 9, 30)
    report_stage_change(
        report=report,
        stage="transmitted",
        user=secretariat,
        transmitted_on=sent,
        transmitted_how="  E-mail to the OGP support unit ",
    )
    report.refresh_from_db()
    assert (report.stage, report.transmitted_on, report.transmitted_how) == (
        "transmitted",
        sent,
        "E-mail to the OGP support unit",
    )


def test_skipping_a_stage_is_refused_with_the_same_list(report, secretariat):
    assert refused(report, "published", secretariat) == [
        "A report moves one stage at a time (now: Draft)."
    ]
