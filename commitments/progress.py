"""The progress method, in one place.

- An activity's progress is its latest validated update (kept on ``Activity.progress``).
- A commitment's progress is the weighted mean of its activities' progress. Weights are
  normalised (divided by their sum), so the result never exceeds 100 %. When every weight is zero
  the activities count equally; a commitment without activities is at 0 %.
- An axis's and a plan's progress is the plain mean of their commitments' progress.
- The OGP completion level is derived from the percentage by the plan's thresholds; an update
  with no evidence attached gives "no evidence" (figures recorded from committee minutes count
  as evidenced by those minutes). The secretariat may override the level with a justification.
- A commitment is stale when its last update is older than the plan's threshold in days, or when
  it has never been updated.

The public methodology page explains the same rules; tests/commitments/test_progress.py pins them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)
PRECISION = Decimal("0.01")


class CompletionLevel(models.TextChoices):
    """OGP's completion scale."""

    NO_EVIDENCE = "no_evidence", _("No evidence available")
    NOT_STARTED = "not_started", _("Not started")
    LIMITED = "limited", _("Limited")
    SUBSTANTIAL = "substantial", _("Substantial")
    COMPLETE = "complete", _("Complete")


@dataclass(frozen=True)
class Thresholds:
    """Lowest percentage of each level; below ``limited`` a commitment has not started."""

    limited: int = 1
    substantial: int = 50
    complete: int = 100


Number = int | float | Decimal


def _as_decimal(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def weighted_progress(pairs: Iterable[tuple[Number, Number]]) -> Decimal:
    """Weighted mean of ``(weight, progress)`` pairs, weights normalised, to 0.01 %."""
    rows = [(_as_decimal(w), _as_decimal(p)) for w, p in pairs]
    if not rows:
        return Decimal("0.00")
    if any(w < 0 for w, _p in rows):
        raise ValueError("Weights cannot be negative.")
    if any(not 0 <= p <= HUNDRED for _w, p in rows):
        raise ValueError("Progress must lie between 0 and 100.")
    total_weight = sum((w for w, _p in rows), Decimal(0))
    if total_weight == 0:
        rows = [(Decimal(1), p) for _w, p in rows]
        total_weight = Decimal(len(rows))
    return _normalised(sum((w * p for w, p in rows), Decimal(0)), total_weight)


def weighted_progress_of_sums(
    *, activities: int, weights: int, weighted: int, progress: int
) -> Decimal:
    """``weighted_progress`` from sums the database made (CommitmentQuerySet.with_figures):
    the number of activities, the sum of their weights and of weight × progress, both with
    the weights in whole thousandths (exact integers on any database), and the sum of their
    progress. The quotient does not depend on the weights' scale, and Decimal division
    rounds the exact quotient, so the result is the same to the last digit."""
    if not activities:
        return Decimal("0.00")
    if weights == 0:
        return _normalised(Decimal(progress), Decimal(activities))
    return _normalised(Decimal(weighted), Decimal(weights))


def _normalised(weighted_sum: Decimal, total_weight: Decimal) -> Decimal:
    return min(weighted_sum / total_weight, HUNDRED).quantize(PRECISION, rounding=ROUND_HALF_UP)


def mean_progress(values: Iterable[Number]) -> Decimal:
    """Plain mean, used for axes and plans; 0 when there is nothing to average."""
    numbers = [_as_decimal(v) for v in values]
    if not numbers:
        return Decimal("0.00")
    return (sum(numbers, Decimal(0)) / len(numbers)).quantize(PRECISION, rounding=ROUND_HALF_UP)


def rounded_percent(value: Number) -> int:
    """The whole percentage shown to people (half rounds up, as in the minutes)."""
    return int(_as_decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def completion_level(
    progress: Number, *, has_evidence: bool, thresholds: Thresholds | None = None
) -> str:
    thresholds = thresholds or Thresholds()
    percent = _as_decimal(progress)
    if percent >= thresholds.complete:
        level = CompletionLevel.COMPLETE
    elif percent >= thresholds.substantial:
        level = CompletionLevel.SUBSTANTIAL
    elif percent >= thresholds.limited:
        level = CompletionLevel.LIMITED
    else:
        return CompletionLevel.NOT_STARTED
    return level if has_evidence else CompletionLevel.NO_EVIDENCE


def days_since(
    moment: datetime.datetime | None,
    today: datetime.date | None = None,
    zone: datetime.tzinfo | None = None,
) -> int | None:
    """Days from ``moment``'s local date (in ``zone``, by default the current time zone) to
    ``today``; None for no moment."""
    if moment is None:
        return None
    today = today or timezone.localdate()
    return (today - timezone.localdate(moment, zone)).days


def is_stale(
    last_update_at: datetime.datetime | None,
    *,
    threshold_days: int,
    today: datetime.date | None = None,
) -> bool:
    return is_stale_after(days_since(last_update_at, today=today), threshold_days=threshold_days)


def is_stale_after(days: int | None, *, threshold_days: int) -> bool:
    """``is_stale`` from the days since the last update (None: never updated)."""
    return days is None or days > threshold_days
