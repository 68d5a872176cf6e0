"""A commitment's change history, newest first: progress updates, text changes, focal points.
("Timeline" is kept for the dated steps of a process, in the meetings app.)"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_portal.i18n import CONTENT_LANGUAGES, fallback_language

from .models import Activity, Commitment, FocalPointAssignment, ProgressUpdate, verbose_name
from .permissions import can_update_commitment

# Activity fields whose changes the updates already tell.
ACTIVITY_FIELDS_FROM_UPDATES = {
    "progress",
    "status",
    "blocked_reason",
    *(f"blocked_reason_{code}" for code in CONTENT_LANGUAGES),
    "version",
}


@dataclass
class HistoryEntry:
    at: datetime.datetime
    kind: str  # "update", "text", "focal_point"
    who: str
    summary: str
    update: ProgressUpdate | None = None
    changes: list[str] = field(default_factory=list)
    # On the same instant, what came first is shown below: the commitment's creation (0)
    # before its focal points and figures (1).
    rank: int = 1
    # The language of the summary where it is not the page's (a title without translation).
    language: str = ""


def person(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def commitment_history(
    commitment: Commitment, user: AbstractBaseUser | AnonymousUser
) -> list[HistoryEntry]:
    entries = _update_entries(commitment, user)
    entries += _text_entries(commitment)
    # The secretariat and the commitment's focal points read every name; the public, those
    # that FocalPointAssignment.name_published lets the commitment's page show.
    entries += _focal_point_entries(commitment, names=bool(can_update_commitment(user, commitment)))
    return sorted(entries, key=lambda entry: (entry.at, entry.rank), reverse=True)


def _update_entries(commitment: Commitment, user: Any) -> list[HistoryEntry]:
    updates = (
        ProgressUpdate.objects.visible_to(user)
        .filter(activity__commitment=commitment)
        .select_related("activity", "author", "reviewed_by")
        .prefetch_related("evidence")
    )
    return [
        HistoryEntry(
            at=update.created_at,
            kind="update",
            who=person(update.author),
            summary=update.activity.title,
            language=fallback_language(update.activity, "title"),
            update=update,
        )
        for update in updates
    ]


def with_previous(records: Any) -> list[tuple[Any, Any]]:
    """Historical records paired with the previous record of the same object, read in one
    query (simple_history's prev_record would cost a query per record)."""
    pairs = []
    previous: dict[int, Any] = {}
    for record in records.order_by("id", "history_date", "history_id"):
        pairs.append((record, previous.get(record.id)))
        previous[record.id] = record
    return pairs


def _changed_fields(record: Any, previous: Any, ignore: set[str]) -> list[str]:
    if previous is None:
        return []
    labels: list[str] = []
    for change in record.diff_against(previous).changes:
        if change.field in ignore:
            continue
        label = verbose_name(record.instance, change.field)
        if label not in labels:
            labels.append(label)
    return labels


def _text_entries(commitment: Commitment) -> list[HistoryEntry]:
    entries = []
    for record, previous in with_previous(commitment.history.select_related("history_user")):
        who = person(record.history_user)
        if record.history_type == "+":
            created = HistoryEntry(
                record.history_date, "text", who, _("Commitment created"), rank=0
            )
            entries.append(created)
        elif changes := _changed_fields(record, previous, ignore=set()):
            entries.append(
                HistoryEntry(
                    record.history_date, "text", who, _("Commitment changed"), changes=changes
                )
            )
    activity_history = Activity.history.filter(commitment_id=commitment.pk).select_related(
        "history_user"
    )
    for record, previous in with_previous(activity_history):
        changes = _changed_fields(record, previous, ignore=ACTIVITY_FIELDS_FROM_UPDATES)
        if changes:
            entries.append(
                HistoryEntry(
                    record.history_date,
                    "text",
                    person(record.history_user),
                    _("Activity “%(title)s” changed") % {"title": record.instance.title},
                    changes=changes,
                )
            )
    return entries


def _start_of(day: datetime.date) -> datetime.datetime:
    """A term is dated by the day it starts or ends, not by when it was typed in."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _focal_point_entries(commitment: Commitment, *, names: bool) -> list[HistoryEntry]:
    entries = []
    # Whether the assignment's name is published now (its row, not the record's copy).
    published = FocalPointAssignment.objects.filter(pk=OuterRef("id")).values("name_published")
    records = (
        FocalPointAssignment.history.filter(commitment_id=commitment.pk)
        .select_related("history_user", "user")
        .annotate(published=Subquery(published))
    )
    for record, previous in with_previous(records):
        named = names or bool(record.published)
        role = FocalPointAssignment.Role(record.role).label
        if record.history_type == "+":
            if named:
                summary = _("%(name)s became focal point (%(role)s) from %(date)s")
            else:
                summary = _("A focal point (%(role)s) was designated from %(date)s")
            date = record.start_date
        elif record.end_date and (previous is None or not previous.end_date):
            if named:
                summary = _("%(name)s ended as focal point (%(role)s) on %(date)s")
            else:
                summary = _("A focal point (%(role)s) ended on %(date)s")
            date = record.end_date
        else:
            continue
        values = {"name": person(record.user), "role": role, "date": date.strftime("%d/%m/%Y")}
        entries.append(
            HistoryEntry(
                _start_of(date), "focal_point", person(record.history_user), summary % values
            )
        )
    return entries
