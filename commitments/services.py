"""Writes that span several rows of the commitments domain."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Activity, ProgressUpdate

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def progress_update_record(
    *,
    activity: Activity,
    author: User | None,
    new_progress: int,
    source: str,
    narrative: str = "",
    new_status: str | None = None,
    blocked_reason: str = "",
    state: str = ProgressUpdate.State.ACCEPTED,
    source_reference: str = "",
    created_at: datetime.datetime | None = None,
) -> ProgressUpdate:
    """Record a change of an activity's progress; an accepted update becomes the current figure.

    The status follows the progress unless given: 100 % is completed, more than 0 % in progress.
    """
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if new_status is None:
        new_status = status_for_progress(new_progress)
    update = ProgressUpdate(
        activity=activity,
        author=author,
        created_at=created_at or timezone.now(),
        old_progress=activity.progress,
        new_progress=new_progress,
        old_status=activity.status,
        new_status=new_status,
        blocked_reason=blocked_reason if new_status == Activity.Status.BLOCKED else "",
        narrative=narrative,
        state=state,
        source=source,
        source_reference=source_reference,
    )
    if update.new_status == Activity.Status.BLOCKED and not update.blocked_reason.strip():
        raise ValidationError({"blocked_reason": _("Say why the activity is blocked.")})
    update.full_clean()
    update.save()
    if state == ProgressUpdate.State.ACCEPTED:
        activity.apply_accepted_update(update)
    return update


def status_for_progress(progress: int) -> str:
    if progress >= 100:
        return Activity.Status.COMPLETED
    return Activity.Status.IN_PROGRESS if progress > 0 else Activity.Status.NOT_STARTED
