"""The progress series of a plan and of its axes, kept as updates are accepted.

The chart shows the plan's progress at the end of each day on which a validated update took
effect (its review time, or its recording time when recorded as validated), computed with
today's activity weights over the plan's active commitments. Replaying every update on each
page view grew with the plan's past (25,000 updates for 500 commitments), so the series is
stored as ``ProgressDay`` rows: rebuilt for a plan by ``rebuild_plan_series`` whenever one of
its figures, weights or commitments changes (``refresh_plan_series``; imports and the demo
defer it to their end with ``series_deferred``), and for every plan by
``manage.py rebuild_progress_history``.

The replay itself (``replay``) works on plain tuples, so the data migration that filled the
series for existing plans runs the same code on its historical models.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import groupby

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import progress as progress_method

# (activity id, commitment id, weight), (commitment id, axis id or None),
# (activity id, new progress, effective moment)
ActivityWeight = tuple[int, int, Decimal]
CommitmentAxis = tuple[int, int | None]
Event = tuple[int, int, datetime.datetime]
Series = dict[int | None, list[tuple[datetime.date, Decimal]]]

_deferred: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar(
    "progress_series_deferred", default=None
)


def replay(
    commitments: Iterable[CommitmentAxis],
    activities: Iterable[ActivityWeight],
    events: Iterable[Event],
) -> Series:
    """The plan's series (key None) and each axis's (key: axis id), from the recorded events."""
    axis_of = dict(commitments)
    weights = {pk: (commitment_id, weight) for pk, commitment_id, weight in activities}
    if not weights:
        return {}
    progress = dict.fromkeys(weights, 0)
    by_commitment: dict[int, list[int]] = defaultdict(list)
    for pk, (commitment_id, _weight) in weights.items():
        by_commitment[commitment_id].append(pk)
    commitment_progress = dict.fromkeys(axis_of, Decimal(0))
    by_axis: dict[int, list[int]] = defaultdict(list)
    for commitment_id, axis_id in axis_of.items():
        if axis_id is not None:
            by_axis[axis_id].append(commitment_id)
    series: Series = defaultdict(list)
    ordered = sorted((e for e in events if e[0] in weights), key=lambda e: e[2])
    for day, day_events in groupby(ordered, key=lambda e: timezone.localdate(e[2])):
        touched = set()
        for activity_id, new_progress, _moment in day_events:
            progress[activity_id] = new_progress
            touched.add(weights[activity_id][0])
        for commitment_id in touched:
            commitment_progress[commitment_id] = progress_method.weighted_progress(
                (weights[pk][1], progress[pk]) for pk in by_commitment[commitment_id]
            )
        series[None].append((day, progress_method.mean_progress(commitment_progress.values())))
        for axis_id in {axis_of[c] for c in touched} - {None}:
            values = (commitment_progress[c] for c in by_axis[axis_id])  # type: ignore[index]
            series[axis_id].append((day, progress_method.mean_progress(values)))
    return dict(series)


def rebuild_plan_series(plan_id: int, *, apps: Apps = global_apps) -> int:
    """Replace the stored series of one plan by its replay; returns the rows written. The
    data migration passes its historical ``apps``."""
    model = apps.get_model
    active = model("commitments", "Commitment").objects.filter(plan_id=plan_id, status="active")
    activities = model("commitments", "Activity").objects.filter(commitment__in=active)
    events = (
        model("commitments", "ProgressUpdate")
        .objects.filter(state="validated", activity__in=activities)
        .annotate(effective=Coalesce(F("reviewed_at"), F("created_at")))
        .values_list("activity_id", "new_progress", "effective")
    )
    series = replay(
        active.values_list("pk", "axis_id"),
        activities.values_list("pk", "commitment_id", "weight"),
        events,
    )
    progress_day = model("commitments", "ProgressDay")
    progress_day.objects.filter(plan_id=plan_id).delete()
    rows = [
        progress_day(plan_id=plan_id, axis_id=axis_id, day=day, progress=value)
        for axis_id, points in series.items()
        for day, value in points
    ]
    progress_day.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def rebuild_all_series(*, apps: Apps = global_apps) -> int:
    """Every plan's series, as ``manage.py rebuild_progress_history`` does; rows written."""
    plans = apps.get_model("commitments", "Plan").objects.values_list("pk", flat=True)
    return sum(rebuild_plan_series(plan_id, apps=apps) for plan_id in plans)


def refresh_plan_series(plan_id: int) -> None:
    """After a change of a plan's figures: rebuild now, or at the end of ``series_deferred``."""
    pending = _deferred.get()
    if pending is None:
        rebuild_plan_series(plan_id)
    else:
        pending.add(plan_id)


@contextlib.contextmanager
def series_deferred() -> Iterator[None]:
    """Many updates at once (an import, the demo): rebuild each plan once, at the end."""
    if _deferred.get() is not None:
        yield
        return
    pending: set[int] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    for plan_id in sorted(pending):
        rebuild_plan_series(plan_id)
