"""The secretariat validates or returns updates; only validated ones move the public figure."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from commitments.models import ProgressUpdate
from commitments.services import (
    UpdateEntry,
    progress_update_return,
    progress_update_submit,
    progress_update_validate,
)
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(commitment):
    return ActivityFactory(commitment=commitment, title_fr="Feuille de route")


@pytest.fixture
def staff(secretariat) -> Client:
    client = Client()
    client.force_login(secretariat)
    return client


def submit(activity, author, progress, **kwargs):
    return progress_update_submit(
        entry=UpdateEntry(activity=activity, progress=progress, **kwargs), author=author
    )


def public_progress(commitment) -> int:
    html = Client().get(commitment.get_absolute_url()).content.decode()
    return int(re.search(r'data-testid="commitment-progress">(\d+)', html).group(1))


def test_validation_moves_the_public_figure(staff, commitment, activity, focal_point):
    update = submit(activity, focal_point, 60, narrative="Atelier tenu")
    assert update.state == ProgressUpdate.State.SUBMITTED
    assert public_progress(commitment) == 0

    queue = staff.get("/fr/secretariat/review/").content.decode()
    assert "Atelier tenu" in queue
    response = staff.post(f"/fr/secretariat/review/{update.pk}/validate/")
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.VALIDATED
    assert update.reviewed_at is not None
    assert public_progress(commitment) == 60


def test_returned_update_needs_a_note_and_is_shown_to_the_focal_point(
    staff, commitment, activity, focal_point
):
    update = submit(activity, focal_point, 60)
    staff.post(f"/fr/secretariat/review/{update.pk}/return/", {"note": ""})
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.SUBMITTED

    staff.post(f"/fr/secretariat/review/{update.pk}/return/", {"note": "Joindre le PV"})
    update.refresh_from_db()
    assert (update.state, update.review_note) == (ProgressUpdate.State.RETURNED, "Joindre le PV")
    assert public_progress(commitment) == 0

    fatima = Client()
    fatima.force_login(focal_point)
    assert "Joindre le PV" in fatima.get("/fr/workspace/").content.decode()

    # The focal point resubmits; the returned update stays in the history.
    resubmitted = submit(activity, focal_point, 55, evidence=())
    assert resubmitted.state == ProgressUpdate.State.SUBMITTED
    assert "Joindre le PV" not in fatima.get("/fr/workspace/").content.decode()
    assert activity.updates.count() == 2


def test_an_update_is_reviewed_once(commitment, activity, focal_point, secretariat):
    update = submit(activity, focal_point, 60)
    progress_update_validate(update=update, reviewer=secretariat)
    with pytest.raises(ValidationError):
        progress_update_return(update=update, reviewer=secretariat, note="trop tard")
    with pytest.raises(ValidationError):
        progress_update_validate(update=update, reviewer=secretariat)


def test_a_new_submission_replaces_the_one_still_waiting(activity, focal_point):
    first = submit(activity, focal_point, 40)
    second = submit(activity, focal_point, 45)
    first.refresh_from_db()
    assert first.state == ProgressUpdate.State.SUPERSEDED
    assert list(activity.updates.pending()) == [second]


def test_secretariat_updates_count_at_once(activity, secretariat):
    update = submit(activity, secretariat, 35)
    assert update.state == ProgressUpdate.State.VALIDATED
    activity.refresh_from_db()
    assert activity.progress == 35


def test_overview_shows_self_reported_and_validated_side_by_side(
    staff, commitment, activity, focal_point
):
    submit(activity, focal_point, 80)
    html = staff.get("/fr/secretariat/").content.decode()
    validated, reported = re.search(
        r'data-commitment="3".*?data-testid="validated">(\d+).*?data-testid="reported">(\d+)',
        html,
        re.S,
    ).groups()
    assert (validated, reported) == ("0", "80")


def test_focal_points_cannot_open_the_secretariat_pages(focal_point):
    client = Client()
    client.force_login(focal_point)
    assert client.get("/fr/secretariat/review/").status_code == 403
    assert client.get("/fr/secretariat/").status_code == 403


def test_review_actions_need_post(staff, activity, focal_point):
    update = submit(activity, focal_point, 60)
    assert staff.get(f"/fr/secretariat/review/{update.pk}/validate/").status_code == 405
