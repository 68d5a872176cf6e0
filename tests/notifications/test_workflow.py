"""Each workflow event of the commitments tells the people it needs, once, in their language."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from commitments.services import (
    focal_point_hand_over,
    progress_update_return,
    progress_update_validate,
)
from notifications import services
from notifications.models import Frequency, Notification, Preference, Profile
from notifications.tasks import deliver_notifications
from tests.factories import ActivityFactory, UserFactory

pytestmark = pytest.mark.django_db


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def test_a_submitted_update_tells_the_secretariat_with_a_link_to_the_queue(
    secretariat, focal_point, activity, submit, on_commit
):
    on_commit(submit, activity, focal_point, 40, narrative="Atelier tenu")
    [row] = Notification.objects.filter(kind="update_submitted")
    assert row.user == secretariat and row.sent_at is not None
    [message] = sent_to(secretariat.email)
    assert message.subject == "Engagement 3\u00a0: une mise à jour attend la validation"
    assert "Feuille de route" in message.body and "0\u00a0% → 40\u00a0%" in message.body
    assert "http://127.0.0.1:8000/fr/secretariat/review/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://127.0.0.1:8000/fr/notifications/unsubscribe/"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_secretariat_hears_of_submitted_updates_at_most_once_an_hour(
    secretariat, focal_point, activity, commitment, submit, on_commit
):
    other = ActivityFactory(commitment=commitment, title_fr="Consultation")
    third = ActivityFactory(commitment=commitment, title_fr="Publication")
    on_commit(submit, activity, focal_point, 40)
    on_commit(submit, other, focal_point, 20)
    on_commit(submit, third, focal_point, 10)
    assert len(sent_to(secretariat.email)) == 1
    waiting = Notification.objects.filter(sent_at__isnull=True, kind="update_submitted")
    assert waiting.count() == 2
    first_sent = Notification.objects.get(sent_at__isnull=False).due_at
    assert {row.due_at for row in waiting} == {first_sent + datetime.timedelta(hours=1)}

    assert services.deliver(now=first_sent + datetime.timedelta(minutes=59)) == 0
    assert services.deliver(now=first_sent + datetime.timedelta(minutes=61)) == 1
    digest = sent_to(secretariat.email)[-1]
    assert digest.subject == "2 notifications du portail du gouvernement ouvert"
    assert "Consultation" in digest.body and "Publication" in digest.body


def test_a_returned_update_reaches_titular_and_alternates_with_the_note_in_their_language(
    secretariat, focal_point, alternate, former_focal_point, activity, submit, on_commit
):
    Profile.objects.create(user=alternate, language="ar")
    update = submit(activity, focal_point, 40)
    on_commit(progress_update_return, update=update, reviewer=secretariat, note="Joindre le PV")
    french = sent_to(focal_point.email)
    arabic = sent_to(alternate.email)
    assert len(french) == len(arabic) == 1 and not sent_to(former_focal_point.email)
    assert "Joindre le PV" in french[0].body and "Feuille de route" in french[0].body
    assert french[0].subject == "Engagement 3\u00a0: votre mise à jour a été renvoyée"
    form = f"http://127.0.0.1:8000/fr/workspace/commitments/{update.activity.commitment_id}/update/"
    assert form in french[0].body
    # Written at send time in the alternate's language: the activity's Arabic title, /ar/ links.
    assert "خارطة الطريق" in arabic[0].body and "Joindre le PV" in arabic[0].body
    assert "/ar/workspace/commitments/" in arabic[0].body
    assert arabic[0].extra_headers["Content-Language"] == "ar"


def test_a_validated_update_tells_the_focal_points(
    secretariat, focal_point, activity, submit, on_commit
):
    update = submit(activity, focal_point, 40)
    on_commit(progress_update_validate, update=update, reviewer=secretariat, note="Bien")
    [message] = sent_to(focal_point.email)
    assert message.subject == "Engagement 3\u00a0: votre mise à jour a été validée"
    assert "40\u00a0%" in message.body and "Bien" in message.body


def test_a_retried_task_sends_nothing_twice(secretariat, focal_point, activity, submit, on_commit):
    update = submit(activity, focal_point, 40)
    on_commit(progress_update_return, update=update, reviewer=secretariat, note="Préciser")
    ids = list(Notification.objects.filter(kind="update_returned").values_list("pk", flat=True))
    assert len(sent_to(focal_point.email)) == 1
    assert deliver_notifications(ids) == 0
    assert deliver_notifications.apply(args=[ids]).get() == 0
    services.deliver()  # whatever else is due (the secretariat's), but not these again
    assert len(sent_to(focal_point.email)) == 1
    assert Notification.objects.filter(pk__in=ids, sent_at__isnull=True).count() == 0


def test_rows_claimed_by_a_worker_that_died_are_sent_after_the_lease(focal_point, commitment):
    assignment = focal_point.focal_point_assignments.get()
    [row] = services.notify(
        "hand_over", key="hand_over:test", target=assignment, users=[focal_point]
    )
    now = timezone.now()
    Notification.objects.filter(pk=row.pk).update(claim="dead", claimed_at=now)
    assert services.deliver(now=now + datetime.timedelta(minutes=5)) == 0
    assert services.deliver(now=now + services.LEASE + datetime.timedelta(seconds=1)) == 1
    assert len(sent_to(focal_point.email)) == 1


def test_the_same_event_told_twice_makes_one_row_per_recipient(focal_point, commitment):
    assignment = focal_point.focal_point_assignments.get()
    first = services.notify("hand_over", key="hand_over:x", target=assignment, users=[focal_point])
    again = services.notify("hand_over", key="hand_over:x", target=assignment, users=[focal_point])
    assert len(first) == 1 and again == []
    assert Notification.objects.filter(key="hand_over:x").count() == 1


def test_a_hand_over_tells_the_outgoing_and_the_incoming_focal_points(
    commitment, focal_point, on_commit
):
    newcomer = UserFactory(username="nadia", first_name="Nadia", last_name="Bennani")
    on_commit(
        focal_point_hand_over,
        commitment=commitment,
        user=newcomer,
        start_date=timezone.localdate() + datetime.timedelta(days=1),
    )
    [incoming] = sent_to(newcomer.email)
    [outgoing] = sent_to(focal_point.email)
    for message in (incoming, outgoing):
        assert "Nadia Bennani est le point focal (titulaire) de l'engagement 3" in message.body
        assert "à la suite de fatima" in message.body
    assert incoming.subject == "L'engagement 3 a un nouveau point focal"


def test_a_daily_digest_waits_for_its_hour(
    settings, secretariat, focal_point, alternate, activity, submit, on_commit
):
    Preference.objects.create(user=focal_point, kind="update_returned", frequency="daily")
    Preference.objects.create(user=alternate, kind="update_returned", frequency="none")
    update = submit(activity, focal_point, 40)
    on_commit(progress_update_return, update=update, reviewer=secretariat, note="Préciser")
    assert not sent_to(focal_point.email) and not sent_to(alternate.email)
    row = Notification.objects.get(user=focal_point)
    local = timezone.localtime(row.due_at)
    assert (local.hour, local.minute) == (settings.NOTIFICATION_DIGEST_HOUR, 0)
    assert row.due_at > row.created_at
    services.deliver(now=row.due_at - datetime.timedelta(minutes=1))
    assert not sent_to(focal_point.email)
    services.deliver(now=row.due_at)
    assert len(sent_to(focal_point.email)) == 1
    # In the site only: listed, never mailed.
    assert Notification.objects.get(user=alternate).frequency == Frequency.NONE
    services.deliver(now=row.due_at + datetime.timedelta(days=8))
    assert not sent_to(alternate.email)


def test_next_weekly_digest_is_a_monday_at_the_digest_hour(settings):
    wednesday = datetime.datetime(2026, 12, 2, 15, tzinfo=datetime.UTC)
    weekly = timezone.localtime(services.next_digest("weekly", wednesday))
    daily = timezone.localtime(services.next_digest("daily", wednesday))
    assert weekly.weekday() == 0 and weekly > wednesday
    assert weekly - wednesday < datetime.timedelta(days=7)
    assert daily.date() == datetime.date(2026, 12, 3)
    assert daily.hour == weekly.hour == settings.NOTIFICATION_DIGEST_HOUR


def test_an_inactive_or_addressless_user_is_told_in_the_site_only(commitment, on_commit):
    user = UserFactory(username="noemail", email="")
    assignment = user.focal_point_assignments.model.objects.create(commitment=commitment, user=user)
    services.notify("hand_over", key="h:1", target=assignment, users=[user])
    assert services.deliver() == 0
    assert Notification.objects.get(user=user).frequency == Frequency.NONE


def test_the_mail_link_stops_that_kind_of_mail_by_post_only(
    secretariat, focal_point, activity, submit, on_commit
):
    update = submit(activity, focal_point, 40)
    on_commit(progress_update_return, update=update, reviewer=secretariat, note="Préciser")
    [message] = sent_to(focal_point.email)
    link = re.search(r"<http://127.0.0.1:8000(/fr/notifications/unsubscribe/[^>]+)>",
                     message.extra_headers["List-Unsubscribe"]).group(1)  # fmt: skip
    page = Client().get(link)
    assert page.status_code == 200 and "Ne plus recevoir ces courriels" in page.content.decode()
    assert not Preference.objects.filter(user=focal_point).exists()
    # The mail program's one-click POST (RFC 8058) has no CSRF token.
    done = Client(enforce_csrf_checks=True).post(link, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    pref = Preference.objects.get(user=focal_point, kind="update_returned")
    assert pref.frequency == Frequency.NONE


def test_a_forged_unsubscribe_link_is_refused(focal_point):
    for token in ["abc", services.unsubscribe_token(["u", focal_point.pk, ["hand_over"]]) + "x"]:
        response = Client().post(f"/fr/notifications/unsubscribe/{token}/")
        assert response.status_code == 400
        assert "Ce lien n’est pas valide." in response.content.decode()
    assert not Preference.objects.exists()


def test_a_returned_update_reaches_a_real_smtp_server_with_its_unsubscribe_header(
    smtp_server, secretariat, focal_point, activity, submit, on_commit
):
    Profile.objects.create(user=focal_point, language="ar")
    update = submit(activity, focal_point, 40)
    on_commit(progress_update_return, update=update, reviewer=secretariat, note="أرفقوا المحضر")
    [received] = [r for r in smtp_server.received if focal_point.email in r.recipients]
    message = received.message
    assert message["To"] == focal_point.email
    assert message["Subject"].strip() == "الالتزام 3: أُعيد إليك تحيينك"
    assert message["Content-Language"] == "ar"
    body = message.get_content()
    assert "أرفقوا المحضر" in body and "خارطة الطريق" in body
    form = f"http://127.0.0.1:8000/ar/workspace/commitments/{activity.commitment_id}/update/"
    assert form in body
    unsubscribe = str(message["List-Unsubscribe"]).strip()  # a long header is folded
    assert unsubscribe.startswith("<http://127.0.0.1:8000/ar/notifications/unsubscribe/")
    assert unsubscribe[1:-1] in body
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
