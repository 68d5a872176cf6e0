"""Translated fields of committees, then history (after modeltranslation, see commitments)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import (
    AgendaItem,
    AgendaStep,
    Attendance,
    Committee,
    CommitteeMember,
    Correction,
    Decision,
    Meeting,
    ProgressSnapshot,
    SnapshotActivity,
    SnapshotRow,
    Timeline,
    TimelineStep,
)


@register(Committee)
class CommitteeTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(CommitteeMember)
class CommitteeMemberTranslationOptions(TranslationOptions):
    fields = ("capacity",)


@register(ProgressSnapshot)
class ProgressSnapshotTranslationOptions(TranslationOptions):
    fields = ("note",)


@register(Meeting)
class MeetingTranslationOptions(TranslationOptions):
    fields = ("place", "opening")


@register(AgendaItem)
class AgendaItemTranslationOptions(TranslationOptions):
    fields = ("title", "notes", "followed_status_note")


@register(Attendance)
class AttendanceTranslationOptions(TranslationOptions):
    fields = ("organisation", "capacity")


@register(Decision)
class DecisionTranslationOptions(TranslationOptions):
    fields = ("text", "status_note", "status_note_at_meeting", "owner_name", "owner_detail")


@register(SnapshotRow)
class SnapshotRowTranslationOptions(TranslationOptions):
    fields = ("title", "remark")


@register(SnapshotActivity)
class SnapshotActivityTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(AgendaStep)
class AgendaStepTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(Correction)
class CorrectionTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(Timeline)
class TimelineTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(TimelineStep)
class TimelineStepTranslationOptions(TranslationOptions):
    fields = ("title", "note")


register_history(Committee)
register_history(CommitteeMember)
register_history(Meeting)
register_history(AgendaItem)
register_history(Attendance)
register_history(Decision)
register_history(Timeline)
register_history(TimelineStep)
