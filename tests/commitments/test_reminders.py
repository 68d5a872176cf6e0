"""Stale commitments: flagged, and their focal points reminded at most once per period."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from commitments.services import progress_update_record, staleness_reminders_send
from commitments.tasks import send_staleness_reminders
from tests.conftest import url_in
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stale(commitment, focal_point, alternate, former_focal_point, other_commitment):
    """Commitment 3, last updated 40 days ago under a 30-day threshold."""
    activity = ActivityFactory(commitment=commitment)
    progress_update_record(
        activity=activity,
        author=None,
        new_progress=10,
        source="meeting",
        created_at=timezone.now() - datetime.timedelta(days=40),
    )
    fresh = ActivityFactory(commitment=other_commitment)
    progress_update_record(activity=fresh, author=None, new_progress=10, source="meeting")
    return commitment


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Mails leave once the transaction commits: run ``call`` and then its on-commit callbacks."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def test_reminder_goes_to_titular_and_alternates_not_former_focal_points(stale, on_commit):
    reminders = on_commit(staleness_reminders_send)
    assert [r.commitment for r in reminders] == [stale]
    assert reminders[0].recipients == "amine@example.org, fatima@example.org"
    assert sorted(message.to[0] for message in mail.outbox) == [
        "amine@example.org",
        "fatima@example.org",
    ]
    for message in mail.outbox:
        assert "40" in message.body
        assert f"/workspace/commitments/{stale.pk}/update/" in message.body


def test_each_focal_point_is_reminded_in_their_language_and_in_the_site(
    stale, focal_point, alternate, on_commit, client
):
    """A notification like the portal's others (docs/notifications.md): in the language of the
    person's e-mails, and listed on their notifications page."""
    from notifications.models import Notification
    from notifications.services import remember_language

    remember_language(alternate, "ar")
    on_commit(staleness_reminders_send)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address["fatima@example.org"].subject == (
        f"L'engagement {stale.number} n'a pas été mis à jour récemment"
    )
    arabic = by_address["amine@example.org"]
    assert arabic.extra_headers["Content-Language"] == "ar"
    assert "/ar/workspace/" in arabic.body and "40" in arabic.body
    told = Notification.objects.filter(kind="staleness_reminder")
    assert sorted(told.values_list("user__username", flat=True)) == ["amine", "fatima"]
    assert all(notification.sent_at for notification in told)
    client.force_login(focal_point)
    listed = client.get("/fr/notifications/").content.decode()
    assert escape(f"L'engagement {stale.number} n'a pas été mis à jour récemment") in listed


def test_reminder_is_sent_at_most_once_per_threshold_period(stale, on_commit):
    on_commit(staleness_reminders_send)
    on_commit(staleness_reminders_send)
    assert len(mail.outbox) == 2  # one for each focal point
    later = timezone.localdate() + datetime.timedelta(days=31)
    on_commit(staleness_reminders_send, today=later)
    assert len(mail.outbox) == 4


def test_periodic_task_and_command_send_the_same(stale, capsys, on_commit):
    assert on_commit(send_staleness_reminders.delay).get() == 1
    on_commit(call_command, "send_reminders")
    assert "0 reminder(s) sent" in capsys.readouterr().out
    assert len(mail.outbox) == 2  # one for each focal point, once


def test_task_is_scheduled_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["staleness-reminders"]
    assert entry["task"] == send_staleness_reminders.name
    assert entry["schedule"] == 24 * 3600


def test_stale_commitments_are_flagged_in_workspace_overview_and_public(
    stale, focal_point, secretariat, client
):
    client.force_login(focal_point)
    assert "40" in client.get("/fr/workspace/").content.decode()
    client.force_login(secretariat)
    overview = client.get("/en/secretariat/").content.decode()
    assert '<span class="stale">not updated for 40 days</span>' in overview
    client.logout()
    public = client.get(url_in(stale, "en")).content.decode()
    assert "not updated for 40 days" in public


def test_a_reminder_reaches_a_real_smtp_server_in_french_with_its_link(
    stale, on_commit, smtp_server, settings
):
    settings.PORTAL_URL = "https://portail-ogp.example.org"
    on_commit(staleness_reminders_send)
    assert sorted(r.recipients[0] for r in smtp_server.received) == [
        "amine@example.org",
        "fatima@example.org",
    ]
    message = smtp_server.received[0].message
    # Django folds the encoded subject onto a second line; unfolded, it starts with a space.
    subject = message["Subject"].strip()
    assert subject == f"L'engagement {stale.number} n'a pas été mis à jour récemment"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    body = message.get_content()
    assert "n'a pas été mis à jour depuis 40 jours" in body
    link = f"https://portail-ogp.example.org/fr/workspace/commitments/{stale.pk}/update/"
    assert link in body.split()
