"""The stored progress series (ProgressDay) against a replay of every update."""

import datetime
import io
from collections import defaultdict
from decimal import Decimal
from itertools import groupby

import pytest
from django.core.management import call_command
from django.utils import timezone

from commitments import progress as progress_method
from commitments.dashboard import plan_progress_history
from commitments.models import Commitment, ProgressDay, ProgressUpdate
from commitments.services import progress_update_record, progress_update_validate
from tests.factories import ActivityFactory, AxisFactory, CommitmentFactory

pytestmark = pytest.mark.django_db


def replayed(plan) -> list[tuple[datetime.date, Decimal]]:
    """The history as the dashboard computed it before the series was kept: every validated
    update replayed at each request, with today's weights."""
    commitments = list(Commitment.objects.filter(plan=plan).active().with_progress_data())
    activities = {a.pk: a for c in commitments for a in c.activities.all()}
    events = ProgressUpdate.objects.validated().filter(activity__in=list(activities))
    moments = sorted(events, key=lambda e: e.reviewed_at or e.created_at)
    progress = dict.fromkeys(activities, 0)
    by_commitment = defaultdict(list)
    for pk, activity in activities.items():
        by_commitment[activity.commitment_id].append(pk)
    commitment_progress = {c.pk: Decimal(0) for c in commitments}
    points = []
    for day, day_events in groupby(
        moments, key=lambda e: timezone.localdate(e.reviewed_at or e.created_at)
    ):
        for event in day_events:
            progress[event.activity_id] = event.new_progress
            commitment_progress[activities[event.activity_id].commitment_id] = (
                progress_method.weighted_progress(
                    (activities[pk].weight, progress[pk])
                    for pk in by_commitment[activities[event.activity_id].commitment_id]
                )
            )
        points.append((day, progress_method.mean_progress(commitment_progress.values())))
    return points


def record(activity, progress: int, day: datetime.date, **kwargs):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    return progress_update_record(
        activity=activity,
        author=None,
        new_progress=progress,
        source="meeting",
        created_at=moment,
        **kwargs,
    )


def series(plan, axis=None) -> list[tuple[datetime.date, Decimal]]:
    days = ProgressDay.objects.filter(plan=plan, axis=axis).order_by("day")
    return list(days.values_list("day", "progress"))


@pytest.fixture
def plan_with_updates(secretariat):
    axis = AxisFactory()
    first = CommitmentFactory(plan=axis.plan, axis=axis)
    second = CommitmentFactory(plan=axis.plan, axis=axis)
    CommitmentFactory(plan=axis.plan)  # no axis, no activity: counts as 0 %
    a = ActivityFactory(commitment=first, weight=Decimal(3))
    b = ActivityFactory(commitment=first, weight=Decimal(1))
    c = ActivityFactory(commitment=second)
    jan, feb, mar = (datetime.date(2023, m, 10) for m in (1, 2, 3))
    record(a, 40, jan)
    record(c, 100, feb)
    record(b, 80, mar)
    record(a, 60, jan + datetime.timedelta(days=5))  # recorded late, dated between
    waiting = record(c, 50, mar, state="submitted")  # counts once validated, on review day
    progress_update_validate(update=waiting, reviewer=secretariat)
    record(b, 20, mar, state="submitted")  # never validated: not in the series
    return axis.plan, axis


def test_series_after_a_sequence_of_updates_equals_the_replayed_history(plan_with_updates):
    plan, axis = plan_with_updates
    today = timezone.localdate()
    expected = replayed(plan)
    assert series(plan) == expected == plan_progress_history(plan)
    # (3 x 40 + 0) / 4 = 30 for the first commitment, over three commitments.
    assert expected[:4] == [
        (datetime.date(2023, 1, 10), Decimal("10.00")),
        (datetime.date(2023, 1, 15), Decimal("15.00")),  # (3 x 60) / 4 = 45
        (datetime.date(2023, 2, 10), Decimal("48.33")),
        (datetime.date(2023, 3, 10), Decimal("55.00")),  # (180 + 80) / 4 = 65
    ]
    assert expected[4] == (today, Decimal("38.33"))  # the second commitment back to 50
    # The axis holds the first two commitments.
    assert [value for _day, value in series(plan, axis)] == [
        Decimal(v) for v in ("15.00", "22.50", "72.50", "82.50", "57.50")
    ]


def test_the_command_rebuilds_the_same_series(plan_with_updates):
    plan, axis = plan_with_updates
    kept = (series(plan), series(plan, axis))
    ProgressDay.objects.all().delete()
    ProgressDay.objects.create(plan=plan, day=datetime.date(2020, 1, 1), progress=99)
    call_command("rebuild_progress_history", stdout=io.StringIO())
    assert (series(plan), series(plan, axis)) == kept
