"""Events a timeline step can wait for: when one happens, the first open step tied to it becomes
done with the date it happened, and the timeline shows that date beside the planned one.

Each app declares its own events (in ``AppConfig.ready``) and reports them when they happen:
meetings its committees' meetings held, reports the stages of a report, co-creation the opening
and closing of proposals. Meetings imports none of them (the layers of docs/architecture.md).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction

from commitments.models import Plan

from .models import Timeline, TimelineStep

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

_EVENTS: dict[str, StrOrPromise] = {}


def register_event(key: str, label: StrOrPromise) -> None:
    """Declare an event (``"report:review"``) that a timeline step can be tied to."""
    _EVENTS[key] = label


def event_choices() -> list[tuple[str, StrOrPromise]]:
    """The declared events, for the step's form."""
    return sorted(_EVENTS.items())


@transaction.atomic
def timeline_event(
    key: str,
    *,
    on: datetime.date,
    plan: Plan | None = None,
    timelines: Iterable[Timeline] = (),
) -> list[TimelineStep]:
    """``key`` happened ``on`` that day: in the timelines of ``plan`` and in ``timelines``, the
    first step of each timeline tied to ``key`` and not done yet becomes done on that day. Its
    planned dates stay as agreed. Returns the steps completed."""
    steps = (
        TimelineStep.objects.select_for_update()
        .filter(event=key)
        .exclude(status=TimelineStep.Status.DONE)
    )
    timeline_ids = {timeline.pk for timeline in timelines}
    if plan is not None:
        timeline_ids |= set(Timeline.objects.filter(plan=plan).values_list("pk", flat=True))
    completed = []
    seen: set[int] = set()
    for step in steps.filter(timeline_id__in=timeline_ids).order_by("timeline", "position", "pk"):
        if step.timeline_id in seen:
            continue
        seen.add(step.timeline_id)
        step.status, step.done_on = TimelineStep.Status.DONE, on
        step.save(update_fields=["status", "done_on"])
        completed.append(step)
    return completed
