"""The in-site list of notifications, its unread count in the header, and the preferences."""

import pytest
from django.test import Client

from commitments.services import progress_update_return
from notifications import kinds
from notifications.models import Notification, Preference, Profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(secretariat, focal_point, activity, submit, on_commit):
    update = submit(activity, focal_point, 40)
    on_commit(progress_update_return, update=update, reviewer=secretariat, note="Préciser")
    return update


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_header_counts_unread_notifications_and_the_list_shows_them(focal_point, returned):
    client = logged_in(focal_point)
    page = client.get("/fr/workspace/").content.decode()
    assert 'id="unread-count" aria-hidden="true">1</span>' in page
    listing = client.get("/fr/notifications/").content.decode()
    assert "votre mise à jour a été renvoyée" in listing and "Préciser" in listing
    assert f'href="/fr/workspace/commitments/{returned.activity.commitment_id}/update/"' in listing

    client.post(
        "/fr/notifications/read/", {"notification": Notification.objects.get(user=focal_point).pk}
    )
    assert 'id="unread-count"' not in client.get("/fr/workspace/").content.decode()


def test_the_list_is_in_the_reader_s_language(focal_point, returned):
    listing = logged_in(focal_point).get("/ar/notifications/").content.decode()
    assert "خارطة الطريق" in listing


def test_mark_all_as_read_only_touches_one_s_own(focal_point, alternate, returned):
    logged_in(focal_point).post("/fr/notifications/read/")
    assert Notification.objects.get(user=focal_point).read_at is not None
    assert Notification.objects.get(user=alternate).read_at is None


def test_the_list_and_preferences_need_an_account():
    for url in ("/fr/notifications/", "/fr/notifications/preferences/"):
        assert Client().get(url)["Location"].startswith("/fr/accounts/login/")


def test_preferences_are_saved_per_kind_with_the_language(focal_point):
    client = logged_in(focal_point)
    page = client.get("/fr/notifications/preferences/").content.decode()
    assert "Ma mise à jour a été renvoyée" in page
    # Every kind an account can choose for is on the form; change two of them.
    choices = {
        f"kind_{kind.key}": "immediate" for kind in kinds.all_kinds() if kind.audience == "account"
    }
    response = client.post(
        "/fr/notifications/preferences/",
        {**choices, "language": "ar", "kind_update_returned": "weekly", "kind_hand_over": "daily"},
    )
    assert response.status_code == 302
    assert Profile.objects.get(user=focal_point).language == "ar"
    assert (
        dict(Preference.objects.filter(user=focal_point).values_list("kind", "frequency"))[
            "update_returned"
        ]
        == "weekly"
    )


def test_a_bad_preference_is_answered_next_to_the_field(focal_point):
    response = logged_in(focal_point).post(
        "/fr/notifications/preferences/", {"language": "xx", "kind_update_returned": "hourly"}
    )
    assert response.status_code == 400
    assert not Preference.objects.exists()


def test_logging_in_remembers_the_language_of_e_mails(focal_point):
    client = Client()
    client.post("/ar/accounts/login/", {"username": "fatima", "password": "secret-pass"})
    assert Profile.objects.get(user=focal_point).language == "ar"


def test_the_workspace_and_the_secretariat_overview_show_what_needs_them(
    secretariat, focal_point, returned
):
    workspace = logged_in(focal_point).get("/fr/workspace/").content.decode()
    assert "Engagement 3\u00a0: votre mise à jour a été renvoyée" in workspace
    overview = logged_in(secretariat).get("/fr/secretariat/").content.decode()
    assert "Engagement 3\u00a0: une mise à jour attend la validation" in overview
