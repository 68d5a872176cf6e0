"""Who may write what: one matrix of persona × write action, on the pages and the API alike."""

import datetime

import pytest
from django.test import Client

from commitments.models import ProgressUpdate
from commitments.services import progress_update_record
from tests.conftest import PERSONAS, client_for
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

# Expected status per action, in the order of PERSONAS (tests/conftest.py). Anonymous visitors
# are sent to the login page on the web (302) and get 401 from the API.
MATRIX = {
    "web_update": [302, 403, 403, 302, 302, 403, 302],
    "api_patch_activity": [401, 403, 403, 200, 200, 403, 200],
    "api_post_update": [401, 403, 403, 201, 201, 403, 201],
    "web_validate_update": [302, 403, 403, 403, 403, 403, 302],
    "web_return_update": [302, 403, 403, 403, 403, 403, 302],
    "web_validate_selected": [302, 403, 403, 403, 403, 403, 302],
    "web_hand_over": [302, 403, 403, 403, 403, 403, 302],
}


@pytest.fixture
def activity(commitment):
    return ActivityFactory(commitment=commitment)


@pytest.fixture
def pending_update(activity):
    return progress_update_record(
        activity=activity,
        author=None,
        new_progress=30,
        source="web",
        state=ProgressUpdate.State.SUBMITTED,
    )


def perform(action: str, client: Client, commitment, activity, update, new_holder) -> int:
    if action == "web_update":
        activity.refresh_from_db()  # the pending update bumped its version
        data = {
            f"a{activity.pk}-progress": 40,
            f"a{activity.pk}-status": "in_progress",
            f"a{activity.pk}-version": activity.version,
        }
        return client.post(f"/fr/workspace/commitments/{commitment.pk}/update/", data).status_code
    if action == "api_patch_activity":
        return client.patch(
            f"/api/v1/activities/{activity.pk}/",
            {"progress": 40, "comment": "Atelier tenu"},
            content_type="application/json",
        ).status_code
    if action == "api_post_update":
        return client.post(
            "/api/v1/updates/",
            {"activity": activity.pk, "progress": 40, "comment": "Atelier tenu"},
            content_type="application/json",
        ).status_code
    if action == "web_validate_update":
        return client.post(f"/fr/secretariat/review/{update.pk}/validate/").status_code
    if action == "web_validate_selected":
        return client.post(
            "/fr/secretariat/review/validate-selected/", {"update": [update.pk]}
        ).status_code
    if action == "web_return_update":
        return client.post(
            f"/fr/secretariat/review/{update.pk}/return/", {"note": "Ajoutez une preuve"}
        ).status_code
    if action == "web_hand_over":
        return client.post(
            f"/fr/secretariat/commitments/{commitment.pk}/hand-over/",
            {"user": new_holder.pk, "role": "titular", "start_date": datetime.date.today()},
        ).status_code
    raise AssertionError(action)


@pytest.mark.parametrize("action", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_write_permission_matrix(
    request, persona, action, commitment, activity, pending_update, other_focal_point
):
    # Every persona exists in every cell, so the outsiders are real focal points of something.
    for name in PERSONAS[1:]:
        request.getfixturevalue(name)
    client = client_for(request, persona)
    expected = MATRIX[action][PERSONAS.index(persona)]
    status = perform(action, client, commitment, activity, pending_update, other_focal_point)
    assert status == expected


@pytest.mark.parametrize("persona", ["other_focal_point", "former_focal_point"])
def test_refused_writes_change_nothing(request, persona, commitment, activity):
    client = client_for(request, persona)
    client.patch(
        f"/api/v1/activities/{activity.pk}/",
        {"progress": 90},
        content_type="application/json",
    )
    perform("web_update", client, commitment, activity, None, None)
    assert not activity.updates.exists()
    activity.refresh_from_db()
    assert activity.progress == 0


def test_anonymous_visitor_can_read_but_not_open_the_update_form(anonymous, commitment, activity):
    assert anonymous.get(commitment.get_absolute_url()).status_code == 200
    assert anonymous.get("/api/v1/activities/").status_code == 200
    response = anonymous.get(f"/fr/workspace/commitments/{commitment.pk}/update/")
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/login/")


def test_refusal_page_explains_in_the_users_language(other_focal_point, commitment):
    client = Client()
    client.force_login(other_focal_point)
    response = client.get(f"/en/workspace/commitments/{commitment.pk}/update/")
    assert response.status_code == 403
    assert "Access refused" in response.content.decode()
