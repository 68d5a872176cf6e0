"""One waiting update per activity: a new submission or a recorded figure supersedes the waiting
one, only the waiting update can be validated, and two simultaneous API requests without
``version`` give one recorded update and one 409."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from rest_framework.test import APIClient

import commitments.api
from commitments.models import Activity, ProgressUpdate
from commitments.services import (
    UpdateEntry,
    progress_update_record,
    progress_update_submit,
    progress_update_validate,
)
from tests.factories import ActivityFactory, CommitmentFactory, FocalPointAssignmentFactory

State = ProgressUpdate.State


@pytest.fixture
def activity(commitment):
    return ActivityFactory(commitment=commitment, title_fr="Atelier de lancement")


def submit(activity, author, progress):
    activity.refresh_from_db()
    return progress_update_submit(entry=UpdateEntry(activity, progress), author=author)


@pytest.mark.django_db
def test_a_new_submission_supersedes_the_waiting_one(activity, focal_point, secretariat):
    first = submit(activity, focal_point, 30)
    second = submit(activity, focal_point, 50)
    first.refresh_from_db()
    assert (first.state, second.state) == (State.SUPERSEDED, State.SUBMITTED)
    with pytest.raises(ValidationError):
        progress_update_validate(update=first, reviewer=secretariat)
    progress_update_validate(update=second, reviewer=secretariat)
    activity.refresh_from_db()
    assert activity.progress == 50


@pytest.mark.django_db
def test_a_figure_recorded_in_a_meeting_supersedes_the_waiting_update(
    activity, focal_point, secretariat
):
    waiting = submit(activity, focal_point, 30)
    progress_update_record(
        activity=activity, author=secretariat, new_progress=60, source=ProgressUpdate.Source.MEETING
    )
    waiting.refresh_from_db()
    assert waiting.state == State.SUPERSEDED
    with pytest.raises(ValidationError):
        progress_update_validate(update=waiting, reviewer=secretariat)
    activity.refresh_from_db()
    assert activity.progress == 60  # the older 30 % can never come back over it


@pytest.mark.django_db
def test_the_database_refuses_a_second_waiting_update(activity, focal_point):
    waiting = submit(activity, focal_point, 30)
    duplicate = ProgressUpdate(
        activity=activity,
        author=focal_point,
        old_progress=0,
        new_progress=40,
        old_status="not_started",
        new_status="in_progress",
        state=State.SUBMITTED,
        source=ProgressUpdate.Source.API,
        created_at=waiting.created_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.django_db
def test_without_version_a_stale_read_is_a_409(activity, focal_point, monkeypatch):
    """The API call read the activity (version N), someone else recorded an update, then the
    call submits: it is a 409, as if version N had been sent."""
    real = commitments.api.progress_update_submit

    def someone_else_first(*, entry, **kwargs):
        submit(Activity.objects.get(pk=entry.activity.pk), focal_point, 45)
        return real(entry=entry, **kwargs)

    monkeypatch.setattr(commitments.api, "progress_update_submit", someone_else_first)
    api = APIClient()
    api.force_authenticate(focal_point)
    response = api.patch(f"/api/v1/activities/{activity.pk}/", {"progress": 30}, format="json")
    assert response.status_code == 409
    assert list(activity.updates.pending().values_list("new_progress", flat=True)) == [45]


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_api_requests_give_one_update_and_one_409(monkeypatch):
    """On PostgreSQL, two requests really at once, each on its own connection: both have read
    the activity before either submits (a barrier holds them there)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent connections (CI runs it on PostgreSQL)")
    commitment = CommitmentFactory(number=3)
    focal_point = FocalPointAssignmentFactory(commitment=commitment).user
    activity = ActivityFactory(commitment=commitment)
    barrier = threading.Barrier(2, timeout=10)
    real = commitments.api.progress_update_submit

    def at_once(**kwargs):
        barrier.wait()
        return real(**kwargs)

    monkeypatch.setattr(commitments.api, "progress_update_submit", at_once)
    statuses: list[int] = []

    def request(progress: int) -> None:
        try:
            api = APIClient()
            api.force_authenticate(focal_point)
            url = f"/api/v1/activities/{activity.pk}/"
            statuses.append(api.patch(url, {"progress": progress}, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(p,)) for p in (30, 40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    assert activity.updates.count() == 1
    assert activity.updates.pending().count() == 1
