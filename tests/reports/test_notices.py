"""What the reports tell people: the sheets requested, returned, accepted and their deadline
(the commitment's focal points), each stage (the committee members with an account), the
consultation opened and the report published (the plan's followers), and a comment published
or not (its author)."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from notifications import kinds
from notifications.models import Follow, Notification, OptOut, Profile
from reports.models import AssessmentSheet, Report, ReportComment
from reports.services import (
    report_comment_moderate,
    report_consultation_schedule,
    report_create,
    report_stage_change,
    sheet_exemption_record,
    sheet_review,
)
from reports.tasks import announce_consultations, send_sheet_reminders
from tests.factories import CommitmentFactory, UserFactory
from tests.meetings.factories import CommitteeMemberFactory
from tests.reports.factories import AssessmentSheetFactory, ReportCommentFactory
from tests.reports.steps import consultation_for, walk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]

PORTAL = "http://127.0.0.1:8000"


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


@pytest.fixture
def now(django_capture_on_commit_callbacks):
    """Run ``call`` and send what it told (the mails go once the transaction commits)."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


@pytest.fixture
def readers(focal_point, alternate, other_focal_point, secretariat):
    """The focal points and the secretariat read their mails in English, the alternate in
    Arabic."""
    for user in (focal_point, other_focal_point, secretariat):
        Profile.objects.create(user=user, language="en")
    Profile.objects.create(user=alternate, language="ar")


def sheet_link(report, commitment, language="en") -> str:
    return f"{PORTAL}/{language}/workspace/reports/{report.pk}/commitments/{commitment.pk}/sheet/"


def follower(plan, email: str, language: str = "en", confirmed: bool = True) -> Follow:
    return Follow.objects.create(
        email=email,
        language=language,
        target=plan,
        confirmed_at=timezone.now() if confirmed else None,
    )


# Sheets ----------------------------------------------------------------------------------


def test_a_new_report_asks_each_commitments_focal_points_for_their_sheet(
    commitment, other_commitment, focal_point, alternate, other_focal_point, former_focal_point,
    secretariat, readers, now,
):  # fmt: skip
    commitment.title_ar = "ميثاق المرافق العمومية"
    commitment.save()
    CommitmentFactory(plan=commitment.plan, number=5, status="withdrawn")
    report = now(
        report_create,
        plan=commitment.plan,
        period_start=datetime.date(2021, 9, 1),
        period_end=datetime.date(2023, 8, 31),
        sheet_deadline=datetime.date(2031, 1, 15),
        user=secretariat,
        title_fr="Rapport 2021-2023",
        title_ar="تقرير 2021-2023",
    )
    [mine] = sent_to(focal_point.email)
    assert mine.subject == "Commitment 3: your self-assessment sheet is awaited"
    assert "Rapport 2021-2023" in mine.body and "Jan. 15, 2031" in mine.body
    assert sheet_link(report, commitment) in mine.body
    [other] = sent_to(other_focal_point.email)
    assert sheet_link(report, other_commitment) in other.body
    [arabic] = sent_to(alternate.email)
    assert "تقرير 2021-2023" in arabic.body and "ميثاق المرافق العمومية" in arabic.body
    assert sheet_link(report, commitment, "ar") in arabic.body
    assert arabic.extra_headers["Content-Language"] == "ar"
    assert not sent_to(former_focal_point.email) and not sent_to(secretariat.email)
    assert len(mail.outbox) == 3  # nobody for the withdrawn commitment


def test_a_returned_sheet_tells_the_focal_points_with_the_note(
    report, commitment, focal_point, alternate, secretariat, readers, now
):
    sheet = AssessmentSheetFactory(report=report, commitment=commitment, state="submitted")
    now(sheet_review, sheet=sheet, user=secretariat, accept=False, note="Ajouter les preuves")
    [message] = sent_to(focal_point.email)
    assert message.subject == "Commitment 3: your self-assessment sheet was returned"
    assert "Ajouter les preuves" in message.body
    assert sheet_link(report, commitment) in message.body
    assert len(sent_to(alternate.email)) == 1
    # Submitted and returned again: a second return is a second event.
    AssessmentSheet.objects.filter(pk=sheet.pk).update(state="submitted")
    sheet.refresh_from_db()
    now(sheet_review, sheet=sheet, user=secretariat, accept=False, note="Encore")
    assert len(sent_to(focal_point.email)) == 2


def test_an_accepted_sheet_tells_the_focal_points(
    report, commitment, focal_point, secretariat, other_focal_point, readers, now
):
    sheet = AssessmentSheetFactory(report=report, commitment=commitment, state="submitted")
    now(sheet_review, sheet=sheet, user=secretariat, accept=True)
    [message] = sent_to(focal_point.email)
    assert message.subject == "Commitment 3: your self-assessment sheet was accepted"
    assert sheet_link(report, commitment) in message.body
    assert not sent_to(other_focal_point.email)


def test_a_near_deadline_reminds_once_the_focal_points_whose_sheet_is_awaited(
    settings, report, commitment, other_commitment, focal_point, other_focal_point, readers, now
):
    settings.SHEET_DEADLINE_SOON_DAYS = 7
    today = timezone.localdate()
    report.sheet_deadline = today + datetime.timedelta(days=3)
    report.save()
    AssessmentSheetFactory(report=report, commitment=other_commitment, state="submitted")
    assert (
        now(lambda: send_sheet_reminders.apply().get()) == 2
    )  # titular and alternate of commitment 3
    assert now(lambda: send_sheet_reminders.apply().get()) == 0
    [message] = sent_to(focal_point.email)
    with translation.override("en"):
        due = date_format(report.sheet_deadline, "DATE_FORMAT")
    assert message.subject == f"Commitment 3: the self-assessment sheet is due on {due}"
    assert sheet_link(report, commitment) in message.body
    assert not sent_to(other_focal_point.email)


def test_no_reminder_far_from_the_deadline_after_it_or_for_an_exempted_sheet(
    settings, report, commitment, other_commitment, focal_point, secretariat, now
):
    settings.SHEET_DEADLINE_SOON_DAYS = 7
    today = timezone.localdate()
    sheet_exemption_record(
        report=report, commitment=other_commitment, user=secretariat, reason="Retiré"
    )
    for deadline in (today + datetime.timedelta(days=8), today - datetime.timedelta(days=1)):
        Report.objects.filter(pk=report.pk).update(sheet_deadline=deadline)
        assert now(send_sheet_reminders) == 0
    Report.objects.filter(pk=report.pk).update(sheet_deadline=today)
    assert now(send_sheet_reminders) == 1  # commitment 3 only
    assert [message.to for message in mail.outbox] == [[focal_point.email]]


def test_a_sheet_returned_after_the_draft_is_still_reminded(
    report, commitment, other_commitment, focal_point, other_focal_point, secretariat, now
):
    today = timezone.localdate()
    AssessmentSheetFactory(report=report, commitment=commitment, state="returned")
    Report.objects.filter(pk=report.pk).update(sheet_deadline=today, stage="review")
    assert now(send_sheet_reminders) == 1
    assert [message.to for message in mail.outbox] == [[focal_point.email]]


# Stages ------------------------------------------------------------------------------------


@pytest.fixture
def committee_reader(committee_member):
    Profile.objects.create(user=committee_member, language="en")
    return committee_member


def test_each_stage_tells_the_committee_members_with_an_account(
    report, secretariat, committee_reader, focal_point, now
):
    former = UserFactory(username="former")
    CommitteeMemberFactory(user=former, end_date=datetime.date(2022, 12, 31))
    CommitteeMemberFactory(name="Sans compte")
    report.title_en = "Self-assessment 2021-2023"
    report.save()
    mail.outbox.clear()
    now(walk, report, "review", user=secretariat)
    [message] = sent_to(committee_reader.email)
    assert message.subject == "Self-assessment 2021-2023: now at the stage Committee review"
    assert f"{PORTAL}/en/reports/{report.pk}/" in message.body
    assert not sent_to(former.email) and not sent_to(focal_point.email)
    # Back to the draft, which they cannot see: nothing; forward again: told again.
    now(report_stage_change, report=report, stage="draft", user=secretariat, note="Corriger")
    assert len(sent_to(committee_reader.email)) == 1
    now(report_stage_change, report=report, stage="review", user=secretariat, note="Corrigé")
    again = sent_to(committee_reader.email)[-1]
    assert len(sent_to(committee_reader.email)) == 2 and "Corrigé" in again.body


def test_the_consultation_opened_today_tells_the_plans_followers(
    report, secretariat, django_capture_on_commit_callbacks
):
    report.title_ar = "تقرير التقييم الذاتي"
    report.save()
    follower(report.plan, "reader@example.org")
    follower(report.plan, "arabic@example.org", "ar")
    follower(report.plan, "unconfirmed@example.org", confirmed=False)
    opens, closes = consultation_for(14)
    with django_capture_on_commit_callbacks(execute=True):
        walk(report, "review", user=secretariat)
        report_consultation_schedule(
            report=report, opens_on=opens, closes_on=closes, user=secretariat
        )
        report_stage_change(report=report, stage="consultation", user=secretariat)
    assert sorted(m.to[0] for m in mail.outbox) == ["arabic@example.org", "reader@example.org"]
    [english] = sent_to("reader@example.org")
    assert english.subject == f"Public consultation open: {report.title}"
    assert f"{PORTAL}/en/reports/{report.pk}/" in english.body
    assert str(closes.year) in english.body
    [arabic] = sent_to("arabic@example.org")
    assert "تقرير التقييم الذاتي" in arabic.subject and "/ar/reports/" in arabic.body
    assert arabic.extra_headers["Content-Language"] == "ar"
    # Beat's daily pass does not announce it again.
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_consultations.apply().get() == 0
    assert len(mail.outbox) == 2


def test_a_consultation_opening_later_is_announced_on_its_first_day_once(
    report, secretariat, django_capture_on_commit_callbacks
):
    follower(report.plan, "reader@example.org")
    today = timezone.localdate()
    opens, closes = today + datetime.timedelta(days=2), today + datetime.timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True):
        walk(report, "review", user=secretariat)
        report_consultation_schedule(
            report=report, opens_on=opens, closes_on=closes, user=secretariat
        )
        report_stage_change(report=report, stage="consultation", user=secretariat)
        assert announce_consultations() == 0
    assert not mail.outbox
    # Two days later (the dates move back instead of the clock).
    Report.objects.filter(pk=report.pk).update(
        consultation_opens_on=today, consultation_closes_on=closes - datetime.timedelta(days=2)
    )
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            announce_consultations()
    assert len(sent_to("reader@example.org")) == 1


def test_a_published_report_tells_the_plans_followers_with_its_public_page(
    report, secretariat, committee_reader, django_capture_on_commit_callbacks
):
    follower(report.plan, "reader@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        walk(report, "review", "consultation", "validated", user=secretariat)
    assert not sent_to("reader@example.org")  # a consultation long over opens nothing
    with django_capture_on_commit_callbacks(execute=True):
        walk(report, "published", user=secretariat)
    [message] = sent_to("reader@example.org")
    assert message.subject == f"Report published: {report.title}"
    assert f"{PORTAL}/en/reports/{report.pk}/" in message.body
    assert Client().get(f"/en/reports/{report.pk}/").status_code == 200
    # The committee heard of every stage.
    assert len(sent_to(committee_reader.email)) == 4


# Comments ----------------------------------------------------------------------------------


def test_a_published_comment_tells_its_author_in_the_language_of_the_comment(
    report, secretariat, django_capture_on_commit_callbacks
):
    report.title_ar = "تقرير التقييم الذاتي"
    report.save()
    opens, closes = consultation_for(14)
    walk(report, "review", user=secretariat)
    report_consultation_schedule(report=report, opens_on=opens, closes_on=closes, user=secretariat)
    report_stage_change(report=report, stage="consultation", user=secretariat)
    mail.outbox.clear()
    # The form says what the address is for: the author's consent to this one mail.
    form = Client().get(f"/en/reports/{report.pk}/").content.decode()
    assert "We write to it only to tell you whether your comment is published." in form
    response = Client().post(
        f"/ar/reports/{report.pk}/", {"name": "Houda", "email": "Houda@Example.org", "body": "شكرا"}
    )
    assert response.status_code == 302
    comment = ReportComment.objects.get()
    assert comment.language == "ar"
    with django_capture_on_commit_callbacks(execute=True):
        report_comment_moderate(comment=comment, approve=True, user=secretariat)
    [message] = sent_to("houda@example.org")
    assert "تقرير التقييم الذاتي" in message.subject
    assert f"{PORTAL}/ar/reports/{report.pk}/" in message.body
    assert message.extra_headers["Content-Language"] == "ar"
    with django_capture_on_commit_callbacks(execute=True):
        report_comment_moderate(comment=comment, approve=True, user=secretariat)
    assert len(mail.outbox) == 1  # moderated the same way twice: told once


def test_a_comment_not_published_tells_its_author_why(
    report, secretariat, django_capture_on_commit_callbacks
):
    comment = ReportCommentFactory(report=report, email="h@example.org", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        report_comment_moderate(
            comment=comment, approve=False, user=secretariat, reason="Hors sujet"
        )
    [message] = mail.outbox
    assert message.subject == f"Your comment on {report.title} was not published"
    assert "Hors sujet" in message.body and comment.body in message.body


def test_a_comment_without_an_address_or_stopped_tells_nobody(
    report, secretariat, django_capture_on_commit_callbacks
):
    anonymous = ReportCommentFactory(report=report, email="")
    stopped = ReportCommentFactory(report=report, email="stop@example.org", language="en")
    OptOut.objects.create(email="stop@example.org", kind="report_comment_moderated")
    with django_capture_on_commit_callbacks(execute=True):
        report_comment_moderate(comment=anonymous, approve=True, user=secretariat)
        report_comment_moderate(comment=stopped, approve=True, user=secretariat)
    assert not mail.outbox and not Notification.objects.exists()


def test_a_committee_members_comment_tells_their_account(
    report, secretariat, committee_reader, django_capture_on_commit_callbacks
):
    comment = ReportCommentFactory(
        report=report, kind="committee", author=committee_reader, name="", moderation="approved"
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_comment_moderate(comment=comment, approve=False, user=secretariat, reason="Doublon")
    [row] = Notification.objects.filter(kind="my_report_comment_moderated")
    assert row.user == committee_reader
    [message] = sent_to(committee_reader.email)
    assert "Doublon" in message.body


def test_a_kind_registered_twice_by_two_apps_is_refused():
    taken = kinds.get("report_consultation_opened")
    with pytest.raises(ValueError, match="already registered"):
        kinds.register(kinds.Kind(taken.key, "x", lambda n: kinds.Message("", "", "")))
    assert kinds.get("report_consultation_opened") is taken
