"""Writes of committees and meetings: every change the pages, the API and the demo make goes
through one of these. Reads are in ``summaries.py`` and ``tables.py``."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import Activity, Commitment, Institution, Plan, ProgressUpdate
from commitments.services import progress_update_record
from ogp_portal.i18n import CONTENT_LANGUAGES, Translatable, set_translated, translations_of

from . import notices, tasks
from .events import timeline_event
from .generation import MINUTES
from .models import (
    AgendaItem,
    AgendaStep,
    Attendance,
    Committee,
    CommitteeMember,
    Correction,
    Decision,
    Meeting,
    MinutesVersion,
    ProgressSnapshot,
    SnapshotActivity,
    SnapshotRow,
    Timeline,
)
from .summaries import commitment_proposal, meeting_reference, open_decisions_before
from .tables import live_progress_table

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from notifications.models import Notification


# Creating a meeting -----------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    committee: Committee,
    plan: Plan,
    starts_at: datetime.datetime,
    mode: str,
    place: str = "",
    agenda: list[str] | None = None,
    user: User | None = None,
) -> Meeting:
    """A planned meeting, its attendance pre-filled from the committee's members on that day and
    its agenda opened with the decisions of earlier meetings that are still open."""
    meeting = Meeting(
        committee=committee, plan=plan, starts_at=starts_at, mode=mode, created_by=user
    )
    set_translated(meeting, "place", place)
    meeting.full_clean()
    meeting.save()
    for title in agenda or []:
        agenda_item_add(meeting=meeting, title=title)
    attendance_prefill(meeting)
    agenda_follow_ups_sync(meeting)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    committee: Committee,
    plan: Plan,
    starts_at: datetime.datetime,
    mode: str,
    place: str,
) -> Meeting:
    """Change a meeting's date, mode and place; its committee and plan only while it is planned
    (a held meeting's table and attendance belong to them)."""
    meeting.starts_at, meeting.mode = starts_at, mode
    if not meeting.is_held:
        meeting.committee, meeting.plan = committee, plan
    set_translated(meeting, "place", place)
    meeting.full_clean()
    meeting.save()
    if not meeting.is_held:
        attendance_prefill(meeting)
        agenda_follow_ups_sync(meeting)
    return meeting


def _next_position(queryset) -> int:  # type: ignore[no-untyped-def]
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    kind: str = AgendaItem.Kind.GENERAL,
    notes: str = "",
    activity: Activity | None = None,
    decision: Decision | None = None,
    timeline: Timeline | None = None,
    commitment: Commitment | None = None,
) -> AgendaItem:
    item = AgendaItem(
        meeting=meeting,
        position=_next_position(meeting.agenda_items.all()),
        kind=kind,
        activity=activity,
        decision=decision,
        timeline=timeline,
        commitment=commitment,
    )
    set_translated(item, "title", title)
    set_translated(item, "notes", notes)
    item.full_clean()
    item.save()
    if meeting.is_held:
        _record_steps(item)
    return item


def agenda_item_update(*, item: AgendaItem, title: str, notes: str, **fields: object) -> AgendaItem:
    """Change an agenda item; title and notes in the active language. On a held meeting, a
    timeline attached or changed goes into the minutes as it stands now."""
    timeline_before = item.timeline_id
    for name, value in fields.items():
        setattr(item, name, value)
    set_translated(item, "title", title)
    set_translated(item, "notes", notes)
    item.full_clean()
    item.save()
    if item.meeting.is_held and item.timeline_id != timeline_before:
        _record_steps(item)
    return item


def attendance_prefill(meeting: Meeting) -> int:
    """Add a row for every seat held on the meeting's day that has none yet; returns how many."""
    present = set(meeting.attendances.exclude(member=None).values_list("member_id", flat=True))
    position = _next_position(meeting.attendances.all())
    added = 0
    seats = (
        CommitteeMember.objects.filter(committee=meeting.committee)
        .current(meeting.date)
        .select_related("institution")
    )
    for member in seats:
        if member.pk in present:
            continue
        Attendance.objects.create(
            meeting=meeting,
            member=member,
            position=position + added,
            civility=member.civility,
            name=member.name,
            institution=member.institution,
            capacity=member.capacity,
        )
        added += 1
    return added


def attendance_guest_add(
    *,
    meeting: Meeting,
    name: str,
    status: str,
    civility: str = "",
    institution: Institution | None = None,
    capacity: str = "",
) -> Attendance:
    """Someone who attended without a seat, after the members on the list."""
    attendance = Attendance(
        meeting=meeting,
        position=_next_position(meeting.attendances.all()),
        civility=civility,
        name=name,
        institution=institution,
        capacity=capacity,
        status=status,
    )
    if meeting.is_held:
        _record_organisation(attendance)
    attendance.save()
    return attendance


def agenda_follow_ups_sync(meeting: Meeting) -> int:
    """Put on a planned meeting's agenda every open decision of earlier meetings not there yet.
    Run whenever that set may grow: a meeting planned or moved, a decision taken or reopened."""
    if meeting.is_held:
        return 0
    listed = set(meeting.agenda_items.exclude(decision=None).values_list("decision_id", flat=True))
    added = 0
    for decision in open_decisions_before(meeting):
        if decision.pk in listed:
            continue
        agenda_item_add(
            meeting=meeting,
            kind=AgendaItem.Kind.FOLLOW_UP,
            title=_("Follow-up: %(decision)s") % {"decision": decision.text[:400]},
            decision=decision,
        )
        added += 1
    return added


def _lock_agenda(meeting: Meeting) -> None:
    """Hold the meeting's row until the transaction ends: two clicks at once on the same
    proposal add it once, the second is told it is already there (not a database error)."""
    list(Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk", flat=True))


@transaction.atomic
def agenda_item_add_blocked_activity(*, meeting: Meeting, activity: Activity) -> AgendaItem:
    if activity.status != Activity.Status.BLOCKED or activity.commitment.plan_id != meeting.plan_id:
        raise ValidationError(_("Only a blocked activity of the meeting's plan can be proposed."))
    _lock_agenda(meeting)
    if meeting.agenda_items.filter(activity=activity).exists():
        raise ValidationError(_("This activity is already on the agenda."))
    title = _("Blocked activity: %(activity)s (commitment %(number)s)") % {
        "activity": activity.title,
        "number": activity.commitment.number,
    }
    return agenda_item_add(
        meeting=meeting,
        kind=AgendaItem.Kind.BLOCKED_ACTIVITY,
        title=title[:500],
        notes=activity.blocked_reason,
        activity=activity,
    )


@transaction.atomic
def agenda_item_add_stale_commitment(
    *, meeting: Meeting, commitment: Commitment, today: datetime.date | None = None
) -> AgendaItem:
    """Put on the agenda a commitment of the meeting's plan that is stale or has a blocked
    activity, with why in the item's notes, as the meeting page proposes it."""
    commitment = Commitment.objects.with_progress_data().get(pk=commitment.pk)
    proposal = commitment_proposal(commitment, today or timezone.localdate())
    if (
        proposal is None
        or commitment.plan_id != meeting.plan_id
        or commitment.status != Commitment.Status.ACTIVE
    ):
        raise ValidationError(
            _(
                "Only a stale commitment, or one with a blocked activity, of the meeting's plan "
                "can be proposed."
            )
        )
    _lock_agenda(meeting)
    if meeting.agenda_items.filter(commitment=commitment).exists():
        raise ValidationError(_("This commitment is already on the agenda."))
    values = {"number": commitment.number, "title": commitment.title}
    if proposal.is_stale:
        title = _("Commitment %(number)s not updated: %(title)s") % values
    else:
        title = _("Commitment %(number)s blocked: %(title)s") % values
    return agenda_item_add(
        meeting=meeting,
        kind=AgendaItem.Kind.STALE_COMMITMENT,
        title=title[:500],
        notes="\n".join(proposal.reasons()),
        commitment=commitment,
    )


def snapshot_take(
    meeting: Meeting, *, taken_at: datetime.datetime | None = None
) -> ProgressSnapshot:
    """The plan's table frozen with its texts, in every language: what the meeting saw."""
    table = live_progress_table(meeting)
    snapshot = ProgressSnapshot.objects.create(
        meeting=meeting,
        taken_at=taken_at or timezone.now(),
        global_progress=table.global_progress,
        previous=table.previous,
    )
    for table_row in table.rows:
        commitment = table_row.commitment
        row = SnapshotRow.objects.create(
            snapshot=snapshot,
            commitment=commitment,
            number=commitment.number,
            progress=table_row.progress,
            previous_progress=table_row.previous_progress,
            no_progress=table_row.no_progress,
            **translations_of(commitment, "title"),
            **translations_of(commitment, "remarks", "remark"),
        )
        SnapshotActivity.objects.bulk_create(
            SnapshotActivity(
                row=row,
                activity=item.activity,
                position=item.activity.position,
                progress=item.progress,
                **translations_of(item.activity, "title"),
            )
            for item in table_row.unfinished
        )
    return snapshot


def record_keep(meeting: Meeting) -> None:
    """Copy into a meeting being held what its record shows of things that live on: the names
    of organisations, its decisions' owners and statuses, the statuses of the decisions it
    followed up, the steps of its timelines. Later changes to those leave its record alone."""
    for attendance in meeting.attendances.select_related("institution"):
        _record_organisation(attendance)
        attendance.save()
    for decision in meeting.decisions.select_related("owner"):
        _record_decision(decision)
        decision.save()
    for item in meeting.agenda_items.select_related("decision", "timeline"):
        if item.decision is not None:
            item.followed_status = item.decision.status
            _set_all(item, translations_of(item.decision, "status_note", "followed_status_note"))
            item.save()
        _record_steps(item)


def _set_all(obj: object, values: dict[str, str]) -> None:
    for name, value in values.items():
        setattr(obj, name, value)


def _record_organisation(attendance: Attendance) -> None:
    if attendance.institution is not None:
        _set_all(attendance, translations_of(attendance.institution, "name", "organisation"))


def _record_decision(decision: Decision) -> None:
    decision.status_at_meeting = decision.status
    _set_all(decision, translations_of(decision, "status_note", "status_note_at_meeting"))
    if decision.owner is not None:
        _set_all(decision, translations_of(decision.owner, "name", "owner_name"))


def _record_steps(item: AgendaItem) -> None:
    """The minutes' calendar under ``item``: its timeline's steps as they stand now."""
    item.recorded_steps.all().delete()
    if item.timeline is None:
        return
    AgendaStep.objects.bulk_create(
        AgendaStep(
            agenda_item=item,
            position=step.position,
            starts_on=step.starts_on,
            ends_on=step.ends_on,
            precision=step.precision,
            **translations_of(step, "title"),
        )
        for step in item.timeline.steps.all()
    )


# Holding a meeting ------------------------------------------------------------------------------


@transaction.atomic
def meeting_hold(*, meeting: Meeting, user: User | None) -> Meeting:
    """Mark the meeting held: its agenda keeps the follow-ups, its progress table is frozen."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # one hold at a time
    meeting.refresh_from_db()
    if meeting.is_held:
        raise ValidationError(_("This meeting is already marked as held."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("A meeting cannot be marked held before it starts."))
    agenda_follow_ups_sync(meeting)
    meeting.status, meeting.held_at = Meeting.Status.HELD, timezone.now()
    meeting.save(update_fields=["status", "held_at"])
    snapshot_take(meeting)
    record_keep(meeting)
    # After the record is kept: the timelines as the meeting saw them, then this meeting done.
    timeline_event(
        f"meeting:{meeting.committee.kind}",
        plan=meeting.plan,
        on=timezone.localdate(meeting.starts_at),
    )
    return meeting


def snapshot_remark_set(*, row: SnapshotRow, remark: str, language: str) -> None:
    """The secretariat's remark on a frozen row stays editable; the figures do not."""
    setattr(row, f"remark_{language}", remark.strip())
    row.save(update_fields=[f"remark_{language}"])


def meeting_progress_change(
    *,
    meeting: Meeting,
    activity: Activity,
    new_progress: int,
    user: User | None,
    narrative: Translatable = "",
    created_at: datetime.datetime | None = None,
) -> ProgressUpdate:
    """A change of progress decided in a meeting: a validated update whose source is the meeting,
    dated by the meeting (the history gives the date of the fact, not of its typing in)."""
    if activity.commitment.plan_id != meeting.plan_id:
        raise ValidationError(_("The activity is not part of the meeting's plan."))
    return progress_update_record(
        activity=activity,
        author=user,
        new_progress=new_progress,
        source=ProgressUpdate.Source.MEETING,
        # The same reference in every language: it names the meeting, in no language.
        source_reference=dict.fromkeys(CONTENT_LANGUAGES, meeting_reference(meeting)),
        narrative=narrative,
        created_at=created_at or min(meeting.starts_at, timezone.now()),
    )


# Decisions ------------------------------------------------------------------------------------


@transaction.atomic
def decision_add(
    *,
    meeting: Meeting,
    text: str,
    owner: Institution | None = None,
    owner_detail: str = "",
    due_date: datetime.date | None = None,
    commitments: list[Commitment] | None = None,
) -> Decision:
    decision = Decision(
        meeting=meeting,
        position=_next_position(meeting.decisions.all()),
        owner=owner,
        owner_detail=owner_detail,
        due_date=due_date,
    )
    set_translated(decision, "text", text)
    if meeting.is_held:
        _record_decision(decision)
    decision.full_clean()
    decision.save()
    if commitments:
        decision.commitments.set(commitments)
    _follow_ups_sync_after(decision)
    notices.decision_assigned(decision)
    return decision


@transaction.atomic
def decision_status_set(*, decision: Decision, status: str, note: str = "") -> Decision:
    """The follow-up of a decision: its status of today. What its meeting recorded stays."""
    decision.status = status
    if note:
        set_translated(decision, "status_note", note)
    decision.closed_at = None if decision.is_open else (decision.closed_at or timezone.now())
    decision.full_clean()
    notes = [f"status_note_{code}" for code in CONTENT_LANGUAGES]
    decision.save(update_fields=["status", "closed_at", *notes])
    if decision.is_open:
        _follow_ups_sync_after(decision)
    return decision


@transaction.atomic
def decision_reminders_send(*, today: datetime.date | None = None) -> list[Notification]:
    """Remind the owners and the secretariat of the open decisions due within
    ``DECISION_DUE_SOON_DAYS`` days, and of those past their due date: each once per due date
    (run daily by beat; a second run the same day tells nobody)."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=settings.DECISION_DUE_SOON_DAYS)
    decisions = Decision.objects.open().filter(due_date__isnull=False, due_date__lte=soon)
    told: list[Notification] = []
    for decision in decisions.select_related("meeting__committee", "owner"):
        kind = "decision_overdue" if decision.due_date < today else "decision_due_soon"
        told += notices.decision_reminder(decision, kind)
    return told


def _follow_ups_sync_after(decision: Decision) -> None:
    """An open decision goes on the agenda of the committee's later planned meetings."""
    later = Meeting.objects.filter(
        committee_id=decision.meeting.committee_id,
        status=Meeting.Status.PLANNED,
        starts_at__gt=decision.meeting.starts_at,
    )
    for meeting in later:
        agenda_follow_ups_sync(meeting)


def correction_add(*, meeting: Meeting, author: User | None, text: str) -> Correction:
    """A dated correction of a held meeting's record, shown with its page and its minutes; a
    planned meeting is corrected by editing it."""
    if not meeting.is_held:
        raise ValidationError(_("Only the record of a meeting marked held is corrected."))
    correction = Correction(meeting=meeting, author=author, made_on=timezone.localdate())
    set_translated(correction, "text", text.strip())
    correction.full_clean()
    correction.save()
    return correction


# Minutes (relevé des conclusions) ---------------------------------------------------------------


def minutes_generation_request(
    *, meeting: Meeting, language: str, user: User | None
) -> tuple[MinutesVersion, bool]:
    """The version of the minutes to follow and whether it is new: the one in ``language``
    already under way, else a new one, waiting; the worker is asked once the transaction
    commits."""
    return MINUTES.request(meeting, language, user, tasks.generate_minutes_version.delay)


def minutes_version_retry(*, version: MinutesVersion, user: User | None = None) -> MinutesVersion:
    """The version to follow: ``version`` waiting again, or a new one if its file is lost.
    Not inside a transaction of its own: the engine's commits, so that the version returned
    says whether the task could be sent."""
    return MINUTES.retry(version, user, tasks.generate_minutes_version.delay)


@transaction.atomic
def minutes_publish(*, meeting: Meeting, user: User | None) -> Meeting:
    """Show the minutes on the public site; a second call keeps the first date. The plan's
    followers hear of it once (not again after a withdrawal)."""
    if not meeting.is_held:
        raise ValidationError(_("Only the minutes of a meeting marked held can be published."))
    if meeting.minutes_published_at is None:
        meeting.minutes_published_at = timezone.now()
        meeting._history_user = user  # type: ignore[attr-defined]  # simple_history
        meeting.save(update_fields=["minutes_published_at"])
        notices.minutes_published(meeting)
    return meeting


def minutes_unpublish(*, meeting: Meeting, user: User | None) -> Meeting:
    if not meeting.is_held:
        raise ValidationError(_("Only the minutes of a meeting marked held can be withdrawn."))
    meeting.minutes_published_at = None
    meeting._history_user = user  # type: ignore[attr-defined]  # simple_history
    meeting.save(update_fields=["minutes_published_at"])
    return meeting
