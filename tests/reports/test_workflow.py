"""Draft → committee review → public consultation → validated → published → transmitted,
with comments, moderation, sheets and the pages and API around them."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from commitments.models import Commitment
from reports.models import AssessmentSheet, Report, ReportComment, ReportVersion
from reports.services import report_consultation_schedule, report_stage_change
from tests.reports.factories import AssessmentSheetFactory, ReportVersionFactory
from tests.reports.steps import (
    PAST_CONSULTATION,
    consultation_for,
    ready_version,
    submit_every_sheet,
    walk,
)

# The PDF is not what these tests are about: it is rendered but not laid out.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf", "english")]


@pytest.fixture
def report(demo):
    return Report.objects.get(plan__code="PAN-2021-2023")


@pytest.fixture
def staff(demo):
    client = Client()
    client.login(username="secretariat", password="ogp-demo")
    return client


def advance(report, *stages, user=None):
    for stage in stages:
        report_stage_change(report=report, stage=stage, user=user)


def open_consultation(report, user):
    """Through the review to a public consultation open from today for two weeks."""
    walk(report, "review", user=user)
    opens, closes = consultation_for(14)
    report_consultation_schedule(report=report, opens_on=opens, closes_on=closes, user=user)
    advance(report, "consultation", user=user)


def test_the_report_moves_one_dated_step_at_a_time_through_its_gates(report, staff):
    url = f"/en/secretariat/reports/{report.pk}/stage/"
    submit_every_sheet(report)  # the focal points, during the draft
    ready_version(report)
    assert staff.post(url, {"stage": "review"}).status_code == 302
    opens, closes = PAST_CONSULTATION
    staff.post(
        f"/en/secretariat/reports/{report.pk}/consultation/",
        {"opens_on": opens.isoformat(), "closes_on": closes.isoformat()},
    )
    for stage in ["consultation", "validated", "published"]:
        response = staff.post(url, {"stage": stage})
        assert response.status_code == 302
        report.refresh_from_db()
        assert report.stage == stage
    response = staff.post(
        url,
        {"stage": "transmitted", "transmitted_on": "2023-09-30",
         "transmitted_how": "E-mail to the OGP support unit"},
    )  # fmt: skip
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.stage == "transmitted"
    assert [c.stage for c in report.stage_changes.all()] == [
        "draft", "review", "consultation", "validated", "published", "transmitted",
    ]  # fmt: skip
    html = Client().get(f"/en/reports/{report.pk}/").content.decode()
    assert "Transmitted to the OGP" in html and "Committee review" in html


def test_skipping_a_stage_or_reviewing_without_a_pdf_is_refused(report, secretariat):
    with pytest.raises(ValidationError, match="one stage at a time"):
        advance(report, "published", user=secretariat)
    with pytest.raises(ValidationError, match="Generate the report"):
        advance(report, "review", user=secretariat)
    ready_version(report)
    advance(report, "review", user=secretariat)
    advance(report, "draft", user=secretariat)  # one step back is allowed
    assert Report.objects.get(pk=report.pk).stage == "draft"


def test_drafts_are_not_public_published_reports_are(report, secretariat):
    assert Client().get(f"/en/reports/{report.pk}/").status_code == 404
    assert Client().get(f"/en/reports/{report.pk}/pdf/fr/").status_code == 404
    walk(report, "review", "consultation", "validated", "published", user=secretariat)
    response = Client().get(f"/en/reports/{report.pk}/pdf/fr/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert Client().get(f"/en/reports/{report.pk}/pdf/ar/").status_code == 404  # none yet
    assert report.title_en in Client().get("/en/reports/").content.decode()


def test_committee_members_comment_during_the_review(report, committee_member):
    ready_version(report)
    advance(report, "review")
    client = Client()
    client.force_login(committee_member)
    response = client.post(f"/en/reports/{report.pk}/", {"body": "Ajouter le bilan des ateliers."})
    assert response.status_code == 302
    comment = ReportComment.objects.get()
    assert (comment.kind, comment.moderation, comment.author) == (
        "committee",
        "approved",
        committee_member,
    )
    # The public neither sees the draft under review nor can comment.
    assert Client().post(f"/en/reports/{report.pk}/", {"body": "x"}).status_code == 404


def test_public_comments_during_the_consultation_are_moderated(report, staff, secretariat):
    open_consultation(report, secretariat)
    visitor = Client()
    response = visitor.post(
        f"/en/reports/{report.pk}/",
        {"name": "Houda", "organisation": "ADFM", "email": "h@example.org", "body": "Merci"},
    )
    assert response.status_code == 302
    comment = ReportComment.objects.get()
    assert comment.moderation == "pending"
    assert "Merci" not in visitor.get(f"/en/reports/{report.pk}/").content.decode()
    staff.post(f"/en/secretariat/reports/comments/{comment.pk}/moderate/", {"approve": "1"})
    html = visitor.get(f"/en/reports/{report.pk}/").content.decode()
    assert "Merci" in html and "ADFM" in html
    assert "h@example.org" not in html  # e-mail addresses are never published


def test_public_comment_errors_are_shown_and_bots_refused(report, secretariat):
    open_consultation(report, secretariat)
    response = Client().post(f"/en/reports/{report.pk}/", {"name": "", "body": "Texte gardé"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert "Texte gardé" in response.content.decode()
    bot = Client().post(
        f"/en/reports/{report.pk}/", {"name": "Bot", "body": "spam", "website": "http://x"}
    )
    assert bot.status_code == 200
    assert not ReportComment.objects.exists()


def test_focal_point_fills_and_submits_the_sheet_secretariat_reviews(report, staff, fake_pdf):
    commitment = Commitment.objects.get(plan=report.plan, number=3)
    focal = Client()
    focal.login(username="focal3", password="ogp-demo")
    url = f"/en/workspace/reports/{report.pk}/commitments/{commitment.pk}/sheet/"
    assert focal.get(url).status_code == 200
    activities = list(commitment.activities.all())
    data = {
        "completion_override": "complete",
        "completion_justification": "",
        "results": "La charte est promulguée.",
        "effect_access_to_information": "major",
        "difficulties": "Délais d'adoption des textes.",
        "next_steps": "Publier les guides.",
        "submit": "1",
    }
    for activity in activities:
        data[f"n{activity.pk}-status"] = activity.status
        data[f"n{activity.pk}-comment"] = ""
    response = focal.post(url, data)
    assert response.status_code == 200  # an override needs a justification
    assert "completion_justification" in response.context["form"].errors
    assert "La charte est promulguée." in response.content.decode()
    data["completion_justification"] = "Décret publié au Bulletin officiel."
    assert focal.post(url, data).status_code == 302
    sheet = AssessmentSheet.objects.get(report=report, commitment=commitment)
    assert sheet.state == "submitted" and sheet.activity_notes.count() == len(activities)

    page = staff.get(f"/en/secretariat/reports/{report.pk}/").content.decode()
    assert "21 sheets not filled yet." in page
    staff.post(f"/en/secretariat/reports/sheets/{sheet.pk}/review/", {"accept": "on"})
    sheet.refresh_from_db()
    assert sheet.state == "reviewed"

    ready_version(report)
    html = fake_pdf.containing("La charte est promulguée.")  # the next version's part
    assert "La charte est promulguée." in html
    assert "Décret publié au Bulletin officiel." in html


def test_a_focal_point_cannot_fill_another_commitments_sheet(report):
    other = Commitment.objects.get(plan=report.plan, number=4)
    focal = Client()
    focal.login(username="focal3", password="ogp-demo")
    url = f"/en/workspace/reports/{report.pk}/commitments/{other.pk}/sheet/"
    assert focal.get(url).status_code == 403
    assert focal.get("/en/workspace/sheets/").status_code == 200


def test_returning_a_sheet_needs_a_note(report, secretariat, staff):
    commitment = Commitment.objects.get(plan=report.plan, number=3)
    sheet = AssessmentSheetFactory(report=report, commitment=commitment, state="submitted")
    staff.post(f"/en/secretariat/reports/sheets/{sheet.pk}/review/", {"review_note": ""})
    sheet.refresh_from_db()
    assert sheet.state == "submitted"
    staff.post(f"/en/secretariat/reports/sheets/{sheet.pk}/review/", {"review_note": "Préciser"})
    sheet.refresh_from_db()
    assert (sheet.state, sheet.review_note) == ("returned", "Préciser")


def test_secretariat_pages_are_closed_to_others(report):
    focal = Client()
    focal.login(username="focal3", password="ogp-demo")
    assert focal.get(f"/en/secretariat/reports/{report.pk}/").status_code == 403
    assert (
        focal.post(f"/en/secretariat/reports/{report.pk}/generate/", {"language": "fr"}).status_code
        == 403
    )
    assert Client().get("/en/secretariat/reports/").status_code == 302


def test_generate_from_the_page_and_poll_the_status(
    report, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/en/secretariat/reports/{report.pk}/generate/", {"language": "ar"})
    assert response.status_code == 302
    version = ReportVersion.objects.get(report=report)
    partial = staff.get(f"/en/secretariat/reports/versions/{version.pk}/status/").content.decode()
    assert 'data-status="ready"' in partial and "hx-trigger" not in partial
    assert staff.get(f"/en/secretariat/reports/versions/{version.pk}/pdf/").status_code == 200
    pending = ReportVersionFactory(report=report)
    partial = staff.get(f"/en/secretariat/reports/versions/{pending.pk}/status/").content.decode()
    assert 'hx-trigger="every 1s"' in partial  # polls until done
    assert "version-parts" not in partial
    # Being laid out by the workers: how many of its parts are done.
    ReportVersion.objects.filter(pk=pending.pk).update(
        status="running", parts_total=23, parts_done=5, progress=35
    )
    partial = staff.get(f"/fr/secretariat/reports/versions/{pending.pk}/status/").content.decode()
    assert "5 parties sur 23" in " ".join(partial.split())


def test_create_a_report_in_the_back_office(demo, staff):
    response = staff.post(
        "/en/secretariat/reports/",
        {"plan": Report.objects.first().plan_id, "title_fr": "Rapport à mi-parcours",
         "period_start": "2022-01-01", "period_end": "2021-01-01"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "period_end" in response.context["form"].errors
    response = staff.post(
        "/en/secretariat/reports/",
        {"plan": Report.objects.first().plan_id, "title_fr": "Rapport à mi-parcours",
         "period_start": "2022-01-01", "period_end": "2022-12-31"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Report.objects.filter(title_fr="Rapport à mi-parcours", stage="draft").exists()


def test_api_starts_a_generation_with_202_and_follows_it(
    report, secretariat, focal_point, django_capture_on_commit_callbacks
):
    api = APIClient()
    api.force_authenticate(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/reports/", {"plan": "PAN-2021-2023", "language": "fr"}, format="json"
        )
    assert response.status_code == 202
    body = response.json()
    assert response["Location"] == body["url"]
    follow = api.get(body["url"]).json()
    assert follow["status"] == "ready" and follow["progress"] == 100  # eager in tests
    assert follow["pdf_url"].endswith(f"/api/v1/reports/{body['id']}/pdf/")
    assert api.get(follow["pdf_url"]).status_code == 200
    assert api.post("/api/v1/reports/", {"language": "xx"}, format="json").status_code == 400

    outsider = APIClient()
    outsider.force_authenticate(focal_point)
    assert (
        outsider.post(
            "/api/v1/reports/", {"plan": "PAN-2021-2023", "language": "fr"}, format="json"
        ).status_code
        == 403
    )
    assert APIClient().post("/api/v1/reports/", {}, format="json").status_code == 401
    assert APIClient().get("/api/v1/reports/").json()["count"] == 0  # draft: not public
