"""Validation and database invariants of the commitments domain."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commitments.models import Activity, Commitment, ProgressUpdate
from commitments.services import progress_update_record
from tests.factories import (
    ActivityFactory,
    AxisFactory,
    CommitmentFactory,
    FocalPointAssignmentFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("bad", [-5, 101, 140])
def test_progress_outside_0_100_is_rejected_by_validation(bad):
    activity = ActivityFactory.build(commitment=CommitmentFactory(), progress=bad)
    with pytest.raises(ValidationError) as excinfo:
        activity.full_clean()
    assert "progress" in excinfo.value.message_dict


def test_progress_outside_0_100_is_rejected_by_the_database():
    activity = ActivityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(progress=140)
    activity.refresh_from_db()
    assert activity.progress == 0


def test_update_outside_0_100_is_rejected_by_the_database():
    activity = ActivityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.create(
            activity=activity,
            old_progress=0,
            new_progress=140,
            old_status="not_started",
            new_status="in_progress",
            source="web",
        )


def test_recording_progress_140_is_refused_and_saves_nothing():
    activity = ActivityFactory()
    with pytest.raises(ValidationError) as excinfo:
        progress_update_record(activity=activity, author=None, new_progress=140, source="web")
    assert "new_progress" in excinfo.value.message_dict
    assert not ProgressUpdate.objects.exists()
    activity.refresh_from_db()
    assert activity.progress == 0


def test_blocked_activity_needs_a_reason():
    activity = ActivityFactory.build(commitment=CommitmentFactory(), status="blocked")
    with pytest.raises(ValidationError) as excinfo:
        activity.full_clean()
    assert "blocked_reason" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        activity.save()


def test_recording_a_blockage_keeps_its_reason():
    activity = ActivityFactory()
    with pytest.raises(ValidationError):
        progress_update_record(
            activity=activity, author=None, new_progress=0, new_status="blocked", source="web"
        )
    progress_update_record(
        activity=activity,
        author=None,
        new_progress=0,
        new_status="blocked",
        blocked_reason="Blocage au niveau de la conception du mécanisme de consultation",
        source="web",
    )
    activity.refresh_from_db()
    assert activity.status == "blocked"
    assert activity.blocked_reason.startswith("Blocage")


def test_status_follows_progress_unless_given():
    activity = ActivityFactory()
    progress_update_record(activity=activity, author=None, new_progress=30, source="web")
    activity.refresh_from_db()
    assert activity.status == "in_progress"
    progress_update_record(activity=activity, author=None, new_progress=100, source="web")
    activity.refresh_from_db()
    assert activity.status == "completed"


def test_updates_keep_old_and_new_values_and_are_never_deleted():
    activity = ActivityFactory()
    first = progress_update_record(activity=activity, author=None, new_progress=20, source="web")
    second = progress_update_record(activity=activity, author=None, new_progress=60, source="web")
    assert (first.old_progress, first.new_progress) == (0, 20)
    assert (second.old_progress, second.new_progress) == (20, 60)
    with pytest.raises(ValidationError):
        second.delete()
    assert activity.updates.count() == 2


def test_negative_weight_is_rejected_by_the_database():
    activity = ActivityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(weight=-1)


def test_override_without_justification_is_rejected_by_the_database():
    commitment = CommitmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.filter(pk=commitment.pk).update(completion_override="complete")


def test_commitment_numbers_and_ogp_ids_are_unique():
    commitment = CommitmentFactory(number=1, ogp_id="MO0025")
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentFactory(plan=commitment.plan, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentFactory(ogp_id="MO0025")
    # Many commitments may have no OGP id yet.
    CommitmentFactory(ogp_id="")
    CommitmentFactory(ogp_id="")


def test_malformed_ogp_id_is_rejected():
    commitment = CommitmentFactory.build(
        plan=PlanFactory(), lead_institution=CommitmentFactory().lead_institution, ogp_id="25"
    )
    with pytest.raises(ValidationError) as excinfo:
        commitment.full_clean()
    assert "ogp_id" in excinfo.value.message_dict


def test_axis_must_belong_to_the_commitments_plan():
    commitment = CommitmentFactory()
    commitment.axis = AxisFactory()
    with pytest.raises(ValidationError) as excinfo:
        commitment.full_clean()
    assert "axis" in excinfo.value.message_dict


def test_only_one_plan_is_current():
    PlanFactory(is_current=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(is_current=True)


def test_plan_dates_and_thresholds_are_checked():
    plan = PlanFactory.build(
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2022, 1, 1),
        substantial_threshold=90,
        complete_threshold=80,
    )
    with pytest.raises(ValidationError) as excinfo:
        plan.full_clean()
    assert {"end_date", "substantial_threshold"} <= set(excinfo.value.message_dict)
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()


def test_focal_point_rotation_keeps_the_former_assignment():
    commitment = CommitmentFactory()
    former = FocalPointAssignmentFactory(
        commitment=commitment,
        start_date=datetime.date(2021, 9, 1),
        end_date=datetime.date(2023, 3, 27),
    )
    current = FocalPointAssignmentFactory(
        commitment=commitment, start_date=datetime.date(2023, 3, 28)
    )
    on = datetime.date(2023, 4, 1)
    assert list(commitment.focal_point_assignments.current(on=on)) == [current]
    assert not former.is_current(on=on)
    assert former.is_current(on=datetime.date(2022, 6, 1))
    assert commitment.focal_point_assignments.count() == 2


def test_assignment_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        FocalPointAssignmentFactory(
            start_date=datetime.date(2023, 1, 1), end_date=datetime.date(2022, 1, 1)
        )


def test_history_records_every_change_of_a_commitment_with_its_translations():
    commitment = CommitmentFactory(title_fr="Ancien titre")
    commitment.title_fr = "Nouveau titre"
    commitment.title_ar = "عنوان جديد"
    commitment.save()
    records = list(commitment.history.order_by("history_date"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert records[0].title_fr == "Ancien titre"
    assert (records[1].title_fr, records[1].title_ar) == ("Nouveau titre", "عنوان جديد")


def test_history_records_assignment_changes():
    assignment = FocalPointAssignmentFactory()
    assignment.end_date = datetime.date(2023, 3, 27)
    assignment.save()
    assert assignment.history.count() == 2
    assert assignment.history.earliest().end_date is None


def test_translated_title_falls_back_to_french():
    from django.utils import translation

    commitment = CommitmentFactory(title_fr="Transparence budgétaire", title_en="")
    with translation.override("en"):
        assert commitment.title == "Transparence budgétaire"
    commitment.title_en = "Budget transparency"
    with translation.override("en"):
        assert commitment.title == "Budget transparency"
