"""API writes of DESIGN.md: same service and permissions as the pages, clear 4xx errors."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from commitments.models import ProgressUpdate
from tests.conftest import PDF_BYTES, make_upload
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(commitment):
    return ActivityFactory(commitment=commitment, title_fr="Atelier de lancement")


@pytest.fixture
def api(focal_point):
    client = APIClient()
    client.force_authenticate(focal_point)
    return client


def patch(client, activity, **data):
    return client.patch(f"/api/v1/activities/{activity.pk}/", data, format="json")


def test_focal_point_patches_progress_with_a_comment(api, activity, focal_point):
    response = patch(api, activity, progress=60, comment="Atelier tenu le 12 mai")
    assert response.status_code == 200
    body = response.json()
    assert body["update"]["state"] == "submitted"
    assert body["update"]["new_progress"] == 60
    assert body["update"]["comment"] == "Atelier tenu le 12 mai"
    assert body["progress"] == 0  # counts once validated
    update = activity.updates.get()
    assert (update.author, update.source) == (focal_point, ProgressUpdate.Source.API)


def test_without_validation_the_update_counts_at_once(api, activity):
    activity.commitment.plan.updates_need_validation = False
    activity.commitment.plan.save()
    response = patch(api, activity, progress=60)
    assert response.json()["progress"] == 60
    assert response.json()["update"]["state"] == "validated"


def test_progress_140_is_a_400_with_the_field(api, activity):
    response = patch(api, activity, progress=140)
    assert response.status_code == 400
    assert "progress" in response.json()
    assert not activity.updates.exists()


@pytest.mark.parametrize("bad", ["soixante", None, -1, "", "\x00"])
def test_malformed_progress_is_a_400(api, activity, bad):
    assert patch(api, activity, progress=bad).status_code == 400


def test_blocked_without_reason_is_a_400(api, activity):
    response = patch(api, activity, progress=10, status="blocked")
    assert response.status_code == 400
    assert "blocked_reason" in response.json()
    response = patch(api, activity, progress=10, status="blocked", blocked_reason="Budget gelé")
    assert response.status_code == 200


def test_completing_without_evidence_is_a_400(api, activity):
    response = patch(api, activity, progress=100)
    assert response.status_code == 400
    assert "evidence_file" in response.json()
    response = patch(api, activity, progress=100, evidence_url="https://example.org/pv.pdf")
    assert response.status_code == 200


def test_evidence_file_through_the_api(api, activity):
    response = api.patch(
        f"/api/v1/activities/{activity.pk}/",
        {"progress": 100, "evidence_file": make_upload("pv.pdf", PDF_BYTES)},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    evidence = response.json()["update"]["evidence"][0]
    assert evidence["download_url"].endswith("/download/")


def test_evidence_of_the_wrong_type_is_a_400(api, activity):
    response = api.patch(
        f"/api/v1/activities/{activity.pk}/",
        {"progress": 50, "evidence_file": make_upload("pv.pdf", b"MZ\x90\x00 not a pdf")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "evidence_file" in response.json()


def test_stale_version_is_a_409_with_the_current_value(api, activity):
    version = activity.version
    assert patch(api, activity, progress=30, version=version).status_code == 200
    response = patch(api, activity, progress=35, version=version)
    assert response.status_code == 409
    assert response.json()["current"]["version"] != version
    assert activity.updates.count() == 1


def test_outside_the_users_commitments_is_a_403(other_focal_point, activity):
    client = APIClient()
    client.force_authenticate(other_focal_point)
    assert patch(client, activity, progress=50).status_code == 403
    response = client.post(
        "/api/v1/updates/", {"activity": activity.pk, "progress": 50}, format="json"
    )
    assert response.status_code == 403


def test_anonymous_write_is_a_401(activity):
    response = patch(APIClient(), activity, progress=50)
    assert response.status_code == 401


def test_token_authentication_works(focal_point, activity):
    token = Token.objects.create(user=focal_point)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert patch(client, activity, progress=20).status_code == 200


def test_basic_authentication_is_not_accepted(focal_point, activity):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Basic ZmF0aW1hOnNlY3JldC1wYXNz")
    assert patch(client, activity, progress=20).status_code == 401


def test_post_update_creates_one(api, activity):
    response = api.post(
        "/api/v1/updates/",
        {"activity": activity.pk, "progress": 45, "comment": "Avancement"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["state"] == "submitted"


def test_post_update_with_unknown_activity_is_a_400(api):
    response = api.post("/api/v1/updates/", {"activity": 999999, "progress": 45}, format="json")
    assert response.status_code == 400
    assert "activity" in response.json()


def test_pending_updates_are_hidden_from_the_public(api, activity, other_focal_point):
    patch(api, activity, progress=45)
    assert APIClient().get("/api/v1/updates/").json()["count"] == 0
    outsider = APIClient()
    outsider.force_authenticate(other_focal_point)
    assert outsider.get("/api/v1/updates/").json()["count"] == 0
    assert api.get("/api/v1/updates/").json()["count"] == 1


def test_nul_byte_in_a_comment_is_a_400_not_a_500(api, activity):
    response = patch(api, activity, progress=20, comment="abc\x00def")
    assert response.status_code == 400
    assert "comment" in response.json()
