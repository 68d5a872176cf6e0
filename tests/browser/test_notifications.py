"""End to end in Chromium, mails through a real SMTP server: a focal point submits, the
secretariat sees the unread count rise and gets a mail; it returns the update with a note, the
focal point's mail holds the note and a link that opens the update form; a retried task sends
nothing twice. And a visitor follows a commitment, confirms, hears of a validated update and
unsubscribes."""

import re

import pytest

from commitments.models import Commitment
from notifications.models import Follow, Notification
from notifications.tasks import deliver_notifications
from tests.browser.conftest import log_in, screenshot
from tests.conftest import url_in

pytestmark = pytest.mark.django_db(transaction=True)


def mails_to(mailbox, address: str) -> list:
    return [r.message for r in mailbox.received if address in r.recipients]


def link(message, path: str) -> str:
    return re.search(rf"http://127\.0\.0\.1:8000(/\w\w/{path}\S+)", message.get_content()).group(1)


def unread(page) -> str:
    badge = page.locator("#unread-count")
    return badge.inner_text() if badge.count() else "0"


def test_submit_tells_the_secretariat_and_a_return_brings_the_focal_point_to_the_form(
    demo, live_server, new_page, smtp_server, settings
):
    base = live_server.url
    charter = Commitment.objects.get(plan__code="PAN-2021-2023", number=3)
    activity = charter.activities.order_by("pk").first()

    secretariat = new_page()
    log_in(secretariat, base, "fr", "secretariat")
    before = int(unread(secretariat))

    focal = new_page()
    log_in(focal, base, "fr", "focal3")
    focal.click(f'a[href="/fr/workspace/commitments/{charter.pk}/update/"]')
    prefix = f"a{activity.pk}"
    focal.fill(f"input[name={prefix}-progress]", str(min(activity.progress + 5, 95)))
    focal.fill(f"textarea[name={prefix}-narrative]", "Atelier de lancement tenu")
    focal.click("form.update-form button[type=submit]")
    focal.wait_for_selector(".messages .message")

    secretariat.goto(f"{base}/fr/secretariat/review/")
    assert int(unread(secretariat)) == before + 1
    [submitted] = mails_to(smtp_server, "secretariat@example.org")
    assert "attend la validation" in submitted["Subject"]
    assert "/fr/secretariat/review/" in submitted.get_content()

    form = secretariat.locator("form[action$='/return/']").first
    form.locator("textarea").fill("Joindre la liste de présence de l'atelier")
    form.locator("button").click()
    secretariat.wait_for_selector(".messages .message")

    [returned] = mails_to(smtp_server, "focal3@example.org")
    assert "Joindre la liste de présence de l'atelier" in returned.get_content()
    assert returned["List-Unsubscribe"]
    focal.goto(base + link(returned, "workspace/commitments/"))
    assert focal.url.endswith(f"/fr/workspace/commitments/{charter.pk}/update/")
    assert focal.locator(f"input[name={prefix}-progress]").is_visible()
    screenshot(focal, "notification-returned-update-form")

    # The task runs again (a retry, a redelivered message): nothing is sent twice.
    ids = list(Notification.objects.values_list("pk", flat=True))
    count = len(smtp_server.received)
    assert deliver_notifications.apply(args=[ids]).get() == 0
    assert len(smtp_server.received) == count


def test_a_visitor_follows_a_commitment_confirms_hears_of_it_and_unsubscribes(
    demo, live_server, new_page, smtp_server, settings
):
    base = live_server.url
    charter = Commitment.objects.get(plan__code="PAN-2021-2023", number=3)
    activity = charter.activities.order_by("pk").first()

    visitor = new_page()
    visitor.goto(base + url_in(charter, "ar"))
    visitor.fill(".follow-form input[name=email]", "citoyen@example.org")
    visitor.click(".follow-form button[type=submit]")
    visitor.wait_for_selector(".messages .message")
    [confirmation] = mails_to(smtp_server, "citoyen@example.org")
    assert confirmation["Content-Language"] == "ar"
    visitor.goto(base + link(confirmation, "follow/confirm/"))
    visitor.click("main form button[type=submit]")
    visitor.wait_for_selector(".messages .message")
    assert visitor.url.endswith(url_in(charter, "ar"))

    secretariat = new_page()
    log_in(secretariat, base, "fr", "secretariat")
    secretariat.goto(f"{base}/fr/workspace/commitments/{charter.pk}/update/")
    prefix = f"a{activity.pk}"
    secretariat.fill(f"input[name={prefix}-progress]", str(min(activity.progress + 5, 95)))
    secretariat.click("form.update-form button[type=submit]")
    secretariat.wait_for_selector(".messages .message")

    news = mails_to(smtp_server, "citoyen@example.org")[-1]
    assert news is not confirmation and news["Content-Language"] == "ar"
    visitor.goto(base + link(news, "notifications/unsubscribe/"))
    visitor.click("main form button[type=submit]")
    assert visitor.locator("main [role=status]").is_visible()
    screenshot(visitor, "notification-unsubscribed-ar")
    follow = Follow.objects.get()
    assert follow.unsubscribed_at is not None
