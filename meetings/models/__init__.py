"""The models of committees and meetings, one module per part: committees and timelines, a
meeting and what is recorded at it, what a held meeting keeps (its record and its minutes)."""

from .committees import (
    CIVIL_SOCIETY_KINDS,
    GOVERNMENT_KINDS,
    Committee,
    CommitteeMember,
    CommitteeMemberQuerySet,
    Timeline,
    TimelineQuerySet,
    TimelineStep,
)
from .meetings import (
    AgendaItem,
    Attendance,
    Decision,
    DecisionQuerySet,
    DecisionStatus,
    Meeting,
    MeetingQuerySet,
)
from .record import (
    AgendaStep,
    Correction,
    MinutesVersion,
    MinutesVersionQuerySet,
    ProgressSnapshot,
    SnapshotActivity,
    SnapshotRow,
)

__all__ = [
    "CIVIL_SOCIETY_KINDS",
    "GOVERNMENT_KINDS",
    "AgendaItem",
    "AgendaStep",
    "Attendance",
    "Committee",
    "CommitteeMember",
    "CommitteeMemberQuerySet",
    "Correction",
    "Decision",
    "DecisionQuerySet",
    "DecisionStatus",
    "Meeting",
    "MeetingQuerySet",
    "MinutesVersion",
    "MinutesVersionQuerySet",
    "ProgressSnapshot",
    "SnapshotActivity",
    "SnapshotRow",
    "Timeline",
    "TimelineQuerySet",
    "TimelineStep",
]
