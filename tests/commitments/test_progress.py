"""The progress method of DESIGN.md: roll-up, completion level, staleness."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commitments import progress
from commitments.models import ProgressUpdate
from commitments.progress import CompletionLevel, Thresholds
from commitments.services import progress_update_record
from tests.factories import ActivityFactory, AxisFactory, CommitmentFactory, PlanFactory


def test_weighted_progress_normalises_weights():
    assert progress.weighted_progress([(3, 100), (1, 0)]) == Decimal("75.00")
    assert progress.weighted_progress([(Decimal("0.5"), 40), (Decimal("1.5"), 80)]) == Decimal(
        "70.00"
    )


def test_weighted_progress_never_exceeds_100_whatever_the_weights():
    assert progress.weighted_progress([(1000, 100), (0.001, 100)]) == Decimal("100.00")


def test_no_activities_means_zero_progress():
    assert progress.weighted_progress([]) == Decimal("0.00")


def test_all_weights_zero_counts_activities_equally():
    assert progress.weighted_progress([(0, 100), (0, 50), (0, 0)]) == Decimal("50.00")


def test_single_activity_gives_its_own_progress():
    assert progress.weighted_progress([(Decimal("2.5"), 37)]) == Decimal("37.00")


@pytest.mark.parametrize("bad", [-1, 101, 140])
def test_progress_outside_0_100_is_refused_by_the_method(bad):
    with pytest.raises(ValueError):
        progress.weighted_progress([(1, bad)])


def test_negative_weight_is_refused_by_the_method():
    with pytest.raises(ValueError):
        progress.weighted_progress([(-1, 50)])


def test_plan_and_axis_means_are_plain_means():
    assert progress.mean_progress([Decimal(100), Decimal(50), Decimal(0)]) == Decimal("50.00")
    assert progress.mean_progress([]) == Decimal("0.00")


@pytest.mark.parametrize(
    ("value", "shown"), [(Decimal("64.49"), 64), (Decimal("64.50"), 65), (Decimal("0.4"), 0)]
)
def test_rounded_percent_rounds_half_up(value, shown):
    assert progress.rounded_percent(value) == shown


@pytest.mark.parametrize(
    ("percent", "level"),
    [
        (0, CompletionLevel.NOT_STARTED),
        (Decimal("0.99"), CompletionLevel.NOT_STARTED),
        (1, CompletionLevel.LIMITED),
        (49, CompletionLevel.LIMITED),
        (50, CompletionLevel.SUBSTANTIAL),
        (Decimal("99.99"), CompletionLevel.SUBSTANTIAL),
        (100, CompletionLevel.COMPLETE),
    ],
)
def test_completion_level_follows_default_thresholds(percent, level):
    assert progress.completion_level(percent, has_evidence=True) == level


def test_completion_level_uses_configured_thresholds():
    thresholds = Thresholds(limited=10, substantial=70, complete=95)
    assert progress.completion_level(5, has_evidence=True, thresholds=thresholds) == "not_started"
    assert progress.completion_level(69, has_evidence=True, thresholds=thresholds) == "limited"
    assert progress.completion_level(96, has_evidence=True, thresholds=thresholds) == "complete"


def test_progress_without_evidence_is_no_evidence():
    assert progress.completion_level(80, has_evidence=False) == CompletionLevel.NO_EVIDENCE
    # Nothing started needs no evidence.
    assert progress.completion_level(0, has_evidence=False) == CompletionLevel.NOT_STARTED


def test_staleness_counts_days_since_last_update():
    today = datetime.date(2023, 5, 1)
    moment = timezone.make_aware(datetime.datetime(2023, 3, 28, 13, 0))
    assert progress.days_since(moment, today=today) == 34
    assert progress.is_stale(moment, threshold_days=30, today=today)
    assert not progress.is_stale(moment, threshold_days=34, today=today)
    assert progress.is_stale(None, threshold_days=30, today=today)


# The same method applied to rows ---------------------------------------------------------------


def record(activity, value, source=ProgressUpdate.Source.MEETING, **kwargs):
    return progress_update_record(
        activity=activity, author=None, new_progress=value, source=source, **kwargs
    )


@pytest.mark.django_db
def test_commitment_progress_is_weighted_mean_of_its_activities():
    commitment = CommitmentFactory()
    record(ActivityFactory(commitment=commitment, weight=3), 100)
    record(ActivityFactory(commitment=commitment, weight=1), 20)
    assert commitment.progress == Decimal("80.00")
    assert commitment.completion_level == CompletionLevel.SUBSTANTIAL


@pytest.mark.django_db
def test_commitment_without_activities_is_not_started():
    commitment = CommitmentFactory()
    assert commitment.progress == Decimal("0.00")
    assert commitment.completion_level == CompletionLevel.NOT_STARTED
    assert commitment.last_update_at is None
    assert commitment.is_stale()


@pytest.mark.django_db
def test_self_reported_update_without_evidence_gives_no_evidence_level():
    commitment = CommitmentFactory()
    record(ActivityFactory(commitment=commitment), 60, source=ProgressUpdate.Source.WEB)
    assert commitment.completion_level == CompletionLevel.NO_EVIDENCE


@pytest.mark.django_db
def test_override_replaces_the_derived_level_only_with_a_justification():
    commitment = CommitmentFactory()
    record(ActivityFactory(commitment=commitment), 60)
    commitment.completion_override = CompletionLevel.COMPLETE
    with pytest.raises(ValidationError) as excinfo:
        commitment.full_clean()
    assert "completion_override_justification" in excinfo.value.message_dict
    commitment.completion_override_justification = "Le décret a été publié au Bulletin officiel."
    commitment.full_clean()
    commitment.save()
    assert commitment.completion_level == CompletionLevel.COMPLETE
    assert commitment.computed_completion_level == CompletionLevel.SUBSTANTIAL


@pytest.mark.django_db
def test_axis_and_plan_progress_are_means_of_active_commitments():
    plan = PlanFactory()
    axis = AxisFactory(plan=plan)
    first = CommitmentFactory(plan=plan, axis=axis)
    second = CommitmentFactory(plan=plan, axis=axis)
    withdrawn = CommitmentFactory(plan=plan, axis=axis, status="withdrawn")
    record(ActivityFactory(commitment=first), 100)
    record(ActivityFactory(commitment=second), 50)
    record(ActivityFactory(commitment=withdrawn), 0)
    assert axis.progress() == Decimal("75.00")
    assert plan.progress() == Decimal("75.00")


@pytest.mark.django_db
def test_only_validated_updates_move_the_figure():
    activity = ActivityFactory()
    record(activity, 40)
    record(activity, 90, state=ProgressUpdate.State.SUBMITTED)
    activity.refresh_from_db()
    assert activity.progress == 40
    assert activity.commitment.progress == Decimal("40.00")


@pytest.mark.django_db
def test_staleness_uses_the_plan_threshold():
    commitment = CommitmentFactory(plan__staleness_threshold_days=10)
    now = timezone.now()
    record(ActivityFactory(commitment=commitment), 10, created_at=now - datetime.timedelta(days=11))
    assert commitment.days_since_update() == 11
    assert commitment.is_stale()
    commitment.plan.staleness_threshold_days = 30
    assert not commitment.is_stale()
