"""The public follows a plan or a commitment by e-mail: double opt-in, news of validated
updates, one-click unsubscribe."""

import re

import pytest
from django.core import mail
from django.test import Client

from commitments.services import UpdateEntry, progress_update_submit
from notifications.models import Follow, Notification

pytestmark = pytest.mark.django_db


def target_of(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def link_in(body: str, path: str) -> str:
    return re.search(rf"http://127\.0\.0\.1:8000(/\w\w/{path}[^\s]+)", body).group(1)


@pytest.fixture
def follow(commitment, django_capture_on_commit_callbacks):
    """Ask to follow ``commitment`` as a visitor; returns the confirmation mail."""

    def run(email="visiteur@example.org", client=None, language="fr"):
        client = client or Client()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/{language}/follow/", {"email": email, "target": target_of(commitment)}
            )
        return response

    return run


def test_a_visitor_follows_confirms_hears_of_a_validated_update_and_unsubscribes(
    commitment, activity, secretariat, follow, django_capture_on_commit_callbacks
):
    response = follow()
    assert response.status_code == 302 and response["Location"] == commitment.get_absolute_url()
    [confirmation] = mail.outbox
    assert confirmation.to == ["visiteur@example.org"]
    assert "Confirmez" in confirmation.subject
    record = Follow.objects.get()
    assert not record.is_active

    # Nothing counts before the confirmation.
    with django_capture_on_commit_callbacks(execute=True):
        progress_update_submit(
            entry=UpdateEntry(activity=activity, progress=20), author=secretariat
        )
    assert len(mail.outbox) == 1

    confirm = link_in(confirmation.body, "follow/confirm/")
    visitor = Client()
    assert visitor.get(confirm).status_code == 200
    record.refresh_from_db()
    assert not record.is_active  # a link checker opening it confirms nothing
    answer = visitor.post(confirm, follow=True)
    assert "Vous suivez désormais" in answer.content.decode()
    record.refresh_from_db()
    assert record.is_active

    with django_capture_on_commit_callbacks(execute=True):
        progress_update_submit(
            entry=UpdateEntry(activity=activity, progress=60), author=secretariat
        )
    news = mail.outbox[-1]
    assert news.to == ["visiteur@example.org"]
    assert "60\u00a0%" in news.subject and "Feuille de route" in news.body
    assert "http://127.0.0.1:8000" + commitment.get_absolute_url() in news.body
    unsubscribe = re.search(
        r"<http://127\.0\.0\.1:8000([^>]+)>", news.extra_headers["List-Unsubscribe"]
    ).group(1)
    assert unsubscribe in news.body

    assert Client().post(unsubscribe).status_code == 200
    record.refresh_from_db()
    assert record.unsubscribed_at is not None
    count = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        progress_update_submit(
            entry=UpdateEntry(activity=activity, progress=80), author=secretariat
        )
    assert len(mail.outbox) == count


def test_a_follower_of_the_plan_hears_of_its_commitments_once_even_following_both(
    commitment, activity, secretariat, django_capture_on_commit_callbacks
):
    for obj in (commitment, commitment.plan):
        Follow.objects.create(
            email="a@example.org", language="ar", target=obj, confirmed_at="2026-01-01T00:00Z"
        )
    with django_capture_on_commit_callbacks(execute=True):
        progress_update_submit(
            entry=UpdateEntry(activity=activity, progress=30), author=secretariat
        )
    [news] = mail.outbox
    assert "خارطة الطريق" in news.body and "/ar/" in news.body
    assert Notification.objects.filter(kind="followed_update").count() == 1


def test_a_wrong_address_is_answered_next_to_the_field_keeping_what_was_typed(follow):
    response = follow(email="pas-une-adresse")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="pas-une-adresse"' in page
    assert "Saisissez une adresse e-mail valide." in page
    assert not Follow.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    "target",
    ["", "commitments.commitment:abc", "auth.user:1", "commitments.commitment:99999999999999999999",
     "commitments.commitment:424242"],
)  # fmt: skip
def test_following_something_that_cannot_be_followed_is_refused(target):
    response = Client().post("/fr/follow/", {"email": "a@example.org", "target": target})
    assert response.status_code == 400
    assert "Il n’y a rien à suivre ici." in response.content.decode()


def test_asking_too_often_is_refused_with_a_message(settings, follow):
    settings.FOLLOW_REQUESTS_PER_HOUR = 2
    assert follow().status_code == 302
    assert follow().status_code == 302
    refused = follow()
    assert refused.status_code == 400
    assert "Trop de demandes" in refused.content.decode()
    assert len(mail.outbox) == 2


def test_a_forged_or_old_confirmation_link_is_refused(commitment):
    response = Client().post("/fr/follow/confirm/not-a-token/")
    assert response.status_code == 400
    assert not Follow.objects.filter(confirmed_at__isnull=False).exists()


def test_the_commitment_and_plan_pages_carry_the_follow_form(commitment):
    for url in (commitment.get_absolute_url(), commitment.plan.get_absolute_url()):
        page = Client().get(url).content.decode()
        assert 'action="/fr/follow/"' in page, url
