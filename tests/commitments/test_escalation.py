"""Escalation: a commitment still stale its plan's ``escalation_days`` after its focal points were
reminded goes, once per reminder, into the week's digest to the secretariat and to its lead
institution's contact, where one is set."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from commitments.models import Escalation, StalenessReminder
from commitments.services import escalations_send, progress_update_record, staleness_reminders_send
from commitments.tasks import send_escalations
from notifications.models import Notification, Profile
from tests.factories import ActivityFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_UPDATE_DAYS = 40


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def week_of(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def next_monday_from(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def updated_days_ago(commitment, n: int, **titles) -> None:
    activity = ActivityFactory(commitment=commitment, **titles)
    progress_update_record(
        activity=activity,
        author=None,
        new_progress=10,
        source="meeting",
        created_at=timezone.now() - datetime.timedelta(days=n),
    )


@pytest.fixture
def reader(secretariat):
    """The secretariat reads its mails in English (the interface strings are checked in the
    language whose catalog needs no translation)."""
    Profile.objects.create(user=secretariat, language="en")
    return secretariat


@pytest.fixture
def stale(commitment, focal_point, other_commitment, other_focal_point):
    """Commitments 3 and 4, last updated 40 days ago under the default 30-day threshold, their
    focal points reminded today; commitment 3's lead institution has a contact, reading Arabic."""
    commitment.title_ar = "ميثاق المرافق العمومية"
    commitment.save()
    updated_days_ago(commitment, LAST_UPDATE_DAYS)
    updated_days_ago(other_commitment, LAST_UPDATE_DAYS)
    institution = commitment.lead_institution
    institution.contact_email = "suivi@ministere.example.org"
    institution.contact_language = "ar"
    institution.save()
    assert len(staleness_reminders_send()) == 2
    return commitment


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def test_a_commitment_is_escalated_only_once_its_plan_s_days_have_passed(stale, reader, on_commit):
    assert stale.plan.escalation_days == 14
    mail.outbox.clear()
    assert on_commit(escalations_send, today=days(13)) == []
    assert not mail.outbox and not Escalation.objects.exists()

    escalated = on_commit(escalations_send, today=days(14))
    assert sorted(e.commitment.number for e in escalated) == [3, 4]
    reminder = stale.reminders.get()
    escalation = Escalation.objects.get(commitment=stale)
    assert escalation.reminder == reminder and escalation.sent_on == days(14)
    assert escalation.days_since_update == LAST_UPDATE_DAYS + 14
    assert escalation.week == week_of(days(14))
    assert escalation.institution_contact == "suivi@ministere.example.org"


def test_a_reminder_escalates_once_and_a_second_run_in_the_week_sends_nothing(
    stale, reader, on_commit
):
    mail.outbox.clear()
    on_commit(escalations_send, today=days(14))
    sent = len(mail.outbox)
    assert sent == 2  # the secretariat's digest and commitment 3's institution
    assert on_commit(escalations_send, today=days(14)) == []
    assert on_commit(escalations_send, today=days(21)) == []  # next week, the same reminder
    assert len(mail.outbox) == sent
    assert Escalation.objects.count() == 2


def test_a_later_reminder_not_followed_by_an_update_escalates_again(stale, reader, on_commit):
    on_commit(escalations_send, today=days(14))
    second = StalenessReminder.objects.create(
        commitment=stale,
        sent_at=timezone.now() + datetime.timedelta(days=31),
        recipients="fatima@example.org",
        days_since_update=LAST_UPDATE_DAYS + 31,
    )
    # A week after the second reminder, the first one (already escalated) is the latest old
    # enough: nothing.
    assert on_commit(escalations_send, today=days(38)) == []
    [again] = [e for e in on_commit(escalations_send, today=days(45)) if e.commitment == stale]
    assert again.reminder == second
    assert stale.escalations.count() == 2


def test_an_update_after_the_reminder_stops_the_escalation(stale, reader, on_commit):
    updated_days_ago(stale, 0)
    escalated = on_commit(escalations_send, today=days(14))
    assert [e.commitment.number for e in escalated] == [4]


def test_a_plan_with_escalation_days_zero_never_escalates(stale, reader, on_commit):
    stale.plan.escalation_days = 0
    stale.plan.save()
    mail.outbox.clear()
    for later in (14, 60, 365):
        assert on_commit(escalations_send, today=days(later)) == []
    assert not mail.outbox and not Notification.objects.filter(kind__startswith="escalation")


def test_what_comes_up_after_the_week_s_digest_waits_for_next_week(stale, reader, on_commit):
    monday = next_monday_from(days(14))
    StalenessReminder.objects.filter(commitment__number=4).update(
        sent_at=timezone.now() + datetime.timedelta(days=(monday - TODAY).days - 14 + 2)
    )
    assert [e.commitment.number for e in on_commit(escalations_send, today=monday)] == [3]
    wednesday = monday + datetime.timedelta(days=2)
    assert on_commit(escalations_send, today=wednesday) == []
    next_week = monday + datetime.timedelta(days=7)
    assert [e.commitment.number for e in on_commit(escalations_send, today=next_week)] == [4]
    keys = set(Notification.objects.filter(kind="escalation").values_list("key", flat=True))
    assert keys == {f"escalation:{week_of(monday)}", f"escalation:{week_of(next_week)}"}


def test_the_weekly_digest_lists_every_escalated_commitment_for_the_secretariat(
    stale, other_commitment, reader, on_commit
):
    colleague = UserFactory(username="salma")
    colleague.groups.add(reader.groups.get())
    mail.outbox.clear()
    on_commit(escalations_send, today=days(14))
    [row] = Notification.objects.filter(kind="escalation", user=reader)
    assert row.key == f"escalation:{week_of(days(14))}"
    assert sorted(row.data["commitments"]) == sorted([stale.pk, other_commitment.pk])
    [message] = sent_to(reader.email)
    assert len(sent_to(colleague.email)) == 1
    assert message.subject == "2 commitments still stale after their reminder"
    assert message.extra_headers["Content-Language"] == "en"
    body = message.body
    code = stale.plan.code
    for commitment in (stale, other_commitment):
        line = f"commitment {commitment.number} “{commitment.title_fr}”: not updated for 54 days"
        assert line in body
        link = f"http://127.0.0.1:8000/en/plans/{code}/commitments/{commitment.number}/"
        assert link in body.split()
    assert "http://127.0.0.1:8000/en/secretariat/" in body.split()
    assert body.index("commitment 3 ") < body.index("commitment 4 ")


def test_the_lead_institution_s_contact_hears_of_its_own_commitments_in_its_language(
    stale, other_commitment, reader, on_commit
):
    mail.outbox.clear()
    on_commit(escalations_send, today=days(14))
    [message] = sent_to("suivi@ministere.example.org")
    assert message.extra_headers["Content-Language"] == "ar"
    assert "ميثاق المرافق العمومية" in message.body
    link = f"http://127.0.0.1:8000/ar/plans/{stale.plan.code}/commitments/3/"
    assert link in message.body.split()
    assert f"/commitments/{other_commitment.number}/" not in message.body
    [row] = Notification.objects.filter(kind="escalation_institution")
    assert row.target == stale.lead_institution and row.data["commitments"] == [stale.pk]
    # Commitment 4's institution has no contact: only the secretariat heard of it.
    assert {tuple(m.to) for m in mail.outbox} == {
        (reader.email,),
        ("suivi@ministere.example.org",),
    }
    assert Escalation.objects.get(commitment=other_commitment).institution_contact == ""


def test_the_institution_s_mail_reads_in_english_for_an_english_contact(stale, reader, on_commit):
    institution = stale.lead_institution
    institution.contact_language = "en"
    institution.save()
    mail.outbox.clear()
    on_commit(escalations_send, today=days(14))
    [message] = sent_to("suivi@ministere.example.org")
    assert message.subject == f"{institution.name}: 1 commitment awaits its progress update"
    assert "commitment 3 “Charte des services publics”: not updated for 54 days" in message.body
    assert f"http://127.0.0.1:8000/en/institutions/{institution.code}/" in message.body.split()


def test_the_secretariat_sees_the_digest_in_the_site(stale, reader, on_commit):
    on_commit(escalations_send, today=days(14))
    client = Client()
    client.force_login(reader)
    listing = client.get("/en/notifications/").content.decode()
    assert "2 commitments still stale after their reminder" in listing
    assert "not updated for 54 days" in listing


@pytest.mark.parametrize(
    ("lang", "direction"), [("fr", 'lang="fr"'), ("ar", 'dir="rtl"'), ("en", 'lang="en"')]
)
def test_the_escalation_shows_on_the_secretariat_overview(
    stale, reader, on_commit, client, lang, direction
):
    on_commit(escalations_send, today=days(14))
    client.force_login(reader)
    page = client.get(f"/{lang}/secretariat/", {"plan": stale.plan.code}).content.decode()
    assert direction in page
    row = page.split('data-commitment="3"')[1].split("</tr>")[0]
    escalated = row.split('data-testid="escalated"')[1].split("</td>")[0]
    with translation.override(lang):
        assert date_format(days(14), "SHORT_DATE_FORMAT") in escalated


def test_the_weekly_task_escalates_and_is_scheduled_weekly(stale, reader, settings, on_commit):
    assert on_commit(send_escalations.delay).get() == 0  # reminded today: too recent
    StalenessReminder.objects.update(sent_at=timezone.now() - datetime.timedelta(days=14))
    assert on_commit(send_escalations.delay).get() == 2
    assert on_commit(send_escalations.delay).get() == 0
    entry = settings.CELERY_BEAT_SCHEDULE["escalations"]
    assert entry["task"] == send_escalations.name
    schedule = entry["schedule"]
    assert schedule.day_of_week == {1} and schedule.hour == {settings.NOTIFICATION_DIGEST_HOUR}


def test_the_admin_offers_the_settings_with_their_help(stale):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    plan_page = client.get(f"/en/admin/commitments/plan/{stale.plan.pk}/change/").content.decode()
    assert 'name="escalation_days"' in plan_page and "0: never" in plan_page
    institution = stale.lead_institution
    page = client.get(
        f"/en/admin/commitments/institution/{institution.pk}/change/"
    ).content.decode()
    assert 'name="contact_email"' in page and "receives the escalations" in page.lower()
    assert client.get("/en/admin/commitments/escalation/").status_code == 200
