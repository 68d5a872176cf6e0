"""Writes that span several rows of the commitments domain.

The web pages and the API call these same functions, so a rule holds on both roads.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_portal.i18n import FALLBACK, Translatable, translated_values

from . import notices
from . import progress as progress_method
from .models import (
    Activity,
    Commitment,
    Escalation,
    Evidence,
    FocalPointAssignment,
    Institution,
    ProgressUpdate,
    StalenessReminder,
)
from .permissions import is_secretariat
from .progress_history import refresh_plan_series
from .validators import validate_evidence_file

if TYPE_CHECKING:
    from django.contrib.auth.models import User

M = TypeVar("M", bound=models.Model)


def apply_changes(obj: Any, values: dict[str, Any]) -> list[str]:
    """Set the attributes whose value differs; return their names, so callers save (and add a
    history row) only when something really changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


def upsert(
    model: type[M],
    lookup: dict[str, Any],
    values: dict[str, Any],
    *,
    clean: bool = True,
    recorded_at: datetime.datetime | None = None,
) -> tuple[M, bool, bool]:
    """Get or create by ``lookup``, saving only when a value differs: ``(obj, created,
    changed)``. Used by the demo loader and the spreadsheet import, so running either twice
    writes nothing the second time (not even a history row).

    ``clean=False`` skips the model validation (one query per constraint) for trusted data, the
    demo's: the database still enforces every constraint, and a test validates the demo's rows.
    ``recorded_at`` dates the history row to the source the values come from (a plan's
    adoption, a meeting) rather than to the moment they were typed in.
    """
    obj = model._default_manager.filter(**lookup).first()
    created = obj is None
    if obj is None:
        obj = model(**lookup, **values)
        changed = True
    else:
        changed = bool(apply_changes(obj, values))
    if changed:
        if clean:
            obj.full_clean()
        if recorded_at is not None:
            obj._history_date = recorded_at  # type: ignore[attr-defined]  # django-simple-history
        obj.save()
    return obj, created, changed and not created


class ActivityChanged(Exception):
    """Someone else recorded an update of the activity since the form was opened."""

    def __init__(self, activity: Activity) -> None:
        super().__init__(f"Activity {activity.pk} changed (version {activity.version}).")
        self.activity = activity


@dataclass(frozen=True)
class EvidenceInput:
    """A link or a file to attach to an update."""

    title: str = ""
    url: str = ""
    file: UploadedFile | None = None


@dataclass(frozen=True)
class UpdateEntry:
    """What a focal point submits for one activity."""

    activity: Activity
    progress: int
    narrative: str = ""
    status: str | None = None
    blocked_reason: str = ""
    evidence: Sequence[EvidenceInput] = ()
    expected_version: int | None = None


@transaction.atomic
def progress_update_record(
    *,
    activity: Activity,
    author: User | None,
    new_progress: int,
    source: str,
    narrative: Translatable = "",
    new_status: str | None = None,
    blocked_reason: Translatable = "",
    state: str = ProgressUpdate.State.VALIDATED,
    source_reference: Translatable = "",
    created_at: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> ProgressUpdate:
    """Record a change of an activity's progress; a validated update becomes the current figure.

    The status follows the progress unless given: 100 % is completed, more than 0 % in progress;
    a status that contradicts the progress is refused (Activity.status_errors). The activity's
    row is locked first, and any update still waiting for validation is superseded by this one
    in the same transaction: an activity never has two waiting updates, and an older figure
    can never be validated over a newer one.
    """
    # Its commitment and plan come with it (the series and the notices read them); only the
    # activity's row is locked.
    locked = Activity.objects.select_for_update(of=("self",)).select_related("commitment__plan")
    activity = locked.get(pk=activity.pk)
    if expected_version is not None and expected_version != activity.version:
        raise ActivityChanged(activity)
    if new_status is None:
        new_status = status_for_progress(new_progress)
    reason = translated_values("blocked_reason", blocked_reason)
    if new_status != Activity.Status.BLOCKED:
        reason = dict.fromkeys(reason, "")
    if errors := Activity.status_errors(
        new_progress, new_status, reason[f"blocked_reason_{FALLBACK}"]
    ):
        raise ValidationError(errors)
    ProgressUpdate.objects.filter(activity=activity).pending().update(
        state=ProgressUpdate.State.SUPERSEDED
    )
    update = ProgressUpdate(
        activity=activity,
        author=author,
        created_at=created_at or timezone.now(),
        old_progress=activity.progress,
        new_progress=new_progress,
        old_status=activity.status,
        new_status=new_status,
        state=state,
        source=source,
        **{key: value.strip() for key, value in reason.items()},
        **translated_values("narrative", narrative),
        **translated_values("source_reference", source_reference),
    )
    update.full_clean()
    update.save()
    if state == ProgressUpdate.State.VALIDATED:
        activity.apply_validated_update(update)
        refresh_plan_series(activity.commitment.plan_id)
        notices.update_counted(update)
    else:
        activity.save(update_fields=["version"])
    return update


def status_for_progress(progress: int) -> str:
    if progress >= 100:
        return Activity.Status.COMPLETED
    return Activity.Status.IN_PROGRESS if progress > 0 else Activity.Status.NOT_STARTED


@transaction.atomic
def progress_update_submit(
    *, entry: UpdateEntry, author: User, source: str = ProgressUpdate.Source.WEB
) -> ProgressUpdate:
    """A focal point's (or the secretariat's) update of one activity, with its evidence.

    It counts at once when the plan does not require validation or when the secretariat
    submits it; otherwise it waits for validation, replacing any update still waiting.
    """
    activity = entry.activity
    status = entry.status or status_for_progress(entry.progress)
    if errors := Activity.status_errors(entry.progress, status, entry.blocked_reason):
        raise ValidationError(errors)
    for item in entry.evidence:
        if item.file is not None:
            validate_evidence_file(item.file)
    if not entry.evidence and activity.needs_evidence_for(entry.progress, status):
        raise ValidationError(
            {"evidence": _("Attach evidence (a link or a file) to mark the activity complete.")}
        )
    needs_validation = activity.commitment.plan.updates_need_validation
    state = (
        ProgressUpdate.State.SUBMITTED
        if needs_validation and not is_secretariat(author)
        else ProgressUpdate.State.VALIDATED
    )
    update = progress_update_record(
        activity=activity,
        author=author,
        new_progress=entry.progress,
        new_status=status,
        blocked_reason=entry.blocked_reason,
        narrative=entry.narrative,
        source=source,
        state=state,
        expected_version=entry.expected_version,
    )
    for item in entry.evidence:
        evidence_attach(update=update, item=item)
    if update.state == ProgressUpdate.State.SUBMITTED:
        notices.update_submitted(update)
    return update


@transaction.atomic
def progress_updates_submit(
    *, entries: Iterable[UpdateEntry], author: User, source: str = ProgressUpdate.Source.WEB
) -> list[ProgressUpdate]:
    """Several activities of one commitment in one submission: all are recorded, or none.

    A refused entry's error carries its activity (``error.activity``) so a page can show it
    next to the right form."""
    updates = []
    for entry in entries:
        try:
            updates.append(progress_update_submit(entry=entry, author=author, source=source))
        except ValidationError as error:
            error.activity = entry.activity  # type: ignore[attr-defined]
            raise
    return updates


def evidence_attach(*, update: ProgressUpdate, item: EvidenceInput) -> Evidence:
    title = item.title.strip() or (item.file.name if item.file else item.url) or ""
    evidence = Evidence(update=update, title=title[:255], url=item.url)
    if item.file is not None:
        evidence.file.save(item.file.name or "evidence", item.file, save=False)
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def progress_update_validate(*, update: ProgressUpdate, reviewer: User, note: str = "") -> None:
    """The secretariat accepts the update waiting for an activity: it becomes the public figure.

    Only a waiting update can be validated (a newer one supersedes it), and one whose status
    contradicts its progress, recorded before that rule, is refused with the reason."""
    activity = Activity.objects.select_for_update().get(pk=update.activity_id)
    errors = Activity.status_errors(update.new_progress, update.new_status, update.blocked_reason)
    if errors:
        raise ValidationError(
            _("This update cannot be validated: %(reason)s Return it to the focal point.")
            % {"reason": " ".join(str(message) for message in errors.values())}
        )
    _decide(update, reviewer, ProgressUpdate.State.VALIDATED, note)
    activity.apply_validated_update(update)
    refresh_plan_series(activity.commitment.plan_id)
    notices.update_decided(update)
    notices.update_counted(update)


@dataclass(frozen=True)
class ReviewOutcome:
    """What became of one update of a bulk validation: validated, or refused with the reason."""

    update_id: int
    update: ProgressUpdate | None
    reason: str = ""

    @property
    def validated(self) -> bool:
        return not self.reason


def progress_updates_validate(
    *, update_ids: Sequence[int], reviewer: User, note: str = ""
) -> list[ReviewOutcome]:
    """Validate several updates, in the order given (each once): every one is checked and
    recorded by ``progress_update_validate`` in its own transaction (a savepoint when called
    inside one), so one refused (already decided, contradicting, unknown) leaves the others
    validated. Deliberately not atomic as a whole."""
    ids = list(dict.fromkeys(update_ids))
    updates = ProgressUpdate.objects.select_related("activity__commitment").in_bulk(ids)
    outcomes = []
    for pk in ids:
        update = updates.get(pk)
        if update is None:
            outcomes.append(ReviewOutcome(pk, None, _("This update does not exist.")))
            continue
        try:
            progress_update_validate(update=update, reviewer=reviewer, note=note)
        except ValidationError as error:
            outcomes.append(ReviewOutcome(pk, update, " ".join(error.messages)))
        else:
            outcomes.append(ReviewOutcome(pk, update))
    return outcomes


@transaction.atomic
def progress_update_return(*, update: ProgressUpdate, reviewer: User, note: str) -> None:
    """The secretariat sends an update back to its focal point, saying why."""
    if not note.strip():
        raise ValidationError({"note": _("Tell the focal point why the update is returned.")})
    _decide(update, reviewer, ProgressUpdate.State.RETURNED, note.strip())
    notices.update_decided(update)


def _decide(update: ProgressUpdate, reviewer: User, state: str, note: str) -> None:
    now = timezone.now()
    claimed = ProgressUpdate.objects.filter(
        pk=update.pk, state=ProgressUpdate.State.SUBMITTED
    ).update(state=state, reviewed_by=reviewer, reviewed_at=now, review_note=note)
    if not claimed:
        raise ValidationError(_("This update is no longer awaiting validation."))
    update.refresh_from_db()


@transaction.atomic
def focal_point_hand_over(
    *,
    commitment: Commitment,
    user: User,
    role: str = FocalPointAssignment.Role.TITULAR,
    start_date: datetime.date | None = None,
    institution: Institution | None = None,
) -> FocalPointAssignment:
    """Give a commitment to a new focal point; the previous holder of the role keeps their
    (now ended) assignment in the history."""
    start_date = start_date or timezone.localdate()
    holders = (
        FocalPointAssignment.objects.filter(commitment=commitment, role=role)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
        .exclude(user=user)
    )
    previous = list(holders)
    for assignment in previous:
        if assignment.start_date >= start_date:
            raise ValidationError(
                {"start_date": _("The new assignment must start after the current one began.")}
            )
        assignment.end_date = start_date - datetime.timedelta(days=1)
        assignment.save(update_fields=["end_date"])
    assignment = FocalPointAssignment(
        commitment=commitment,
        user=user,
        role=role,
        start_date=start_date,
        institution=institution or commitment.lead_institution,
    )
    assignment.full_clean()
    assignment.save()
    notices.hand_over(assignment, previous)
    return assignment


def staleness_reminders_send(*, today: datetime.date | None = None) -> list[StalenessReminder]:
    """E-mail the focal points of every stale commitment of plans under implementation, at most
    once per staleness period per commitment."""
    today = today or timezone.localdate()
    sent = []
    commitments = (
        Commitment.objects.active()
        .filter(plan__status="implementation")
        .with_progress_data()
        .prefetch_related("reminders")
    )
    for commitment in commitments:
        if commitment.is_stale(today) and not _reminded_recently(commitment, today):
            reminder = _remind(commitment, today)
            if reminder is not None:
                sent.append(reminder)
    return sent


def _reminded_recently(commitment: Commitment, today: datetime.date) -> bool:
    last = max((r.sent_at for r in commitment.reminders.all()), default=None)
    days = progress_method.days_since(last, today=today)
    return days is not None and days < commitment.plan.staleness_threshold_days


@transaction.atomic
def _remind(commitment: Commitment, today: datetime.date) -> StalenessReminder | None:
    """Tell the commitment's current focal points (notification ``staleness_reminder``, each in
    the language of their e-mails), and record that they were reminded."""
    assignments = commitment.focal_point_assignments.current(today).select_related("user")
    users = [a.user for a in assignments if a.user.is_active]
    if not users:
        return None
    reminder = StalenessReminder.objects.create(
        commitment=commitment,
        recipients=", ".join(sorted({user.email for user in users if user.email})),
        days_since_update=commitment.days_since_update(today),
    )
    notices.staleness_reminded(reminder, users)
    return reminder


def iso_week(day: datetime.date) -> str:
    """``2024-W05``: the week an escalation digest covers."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@transaction.atomic
def escalations_send(*, today: datetime.date | None = None) -> list[Escalation]:
    """The week's escalation digest: every commitment still stale its plan's
    ``escalation_days`` after its focal points were reminded, and not updated since, told to
    the secretariat in one notification, and to each lead institution's contact (where one is
    set) for its own commitments. A reminder escalates once. Once a week's digest is told the
    week escalates nothing more: what comes up later waits for the next week's digest."""
    today = today or timezone.localdate()
    week = iso_week(today)
    if Escalation.objects.filter(week=week).exists():
        return []
    commitments = (
        Commitment.objects.active()
        .filter(plan__status="implementation", plan__escalation_days__gt=0)
        .with_progress_data()
        .prefetch_related("reminders", "escalations")
    )
    escalations = []
    for commitment in commitments:
        reminder = _reminder_to_escalate(commitment, today)
        if reminder is not None:
            escalations.append(
                Escalation.objects.create(
                    commitment=commitment,
                    reminder=reminder,
                    sent_on=today,
                    week=week,
                    days_since_update=commitment.days_since_update(today),
                    institution_contact=commitment.lead_institution.contact_email,
                )
            )
    if escalations:
        notices.escalated(escalations, week)
    return escalations


def _reminder_to_escalate(commitment: Commitment, today: datetime.date) -> StalenessReminder | None:
    """The latest reminder sent at least ``escalation_days`` before ``today``, when the
    commitment is still stale, nothing was updated since that reminder and it has not
    escalated yet."""
    if not commitment.is_stale(today):
        return None
    days = commitment.plan.escalation_days
    old_enough = [
        reminder
        for reminder in commitment.reminders.all()
        if (today - timezone.localdate(reminder.sent_at)).days >= days
    ]
    reminder = max(old_enough, key=lambda r: r.sent_at, default=None)
    if reminder is None:
        return None
    last_update = commitment.last_update_at
    if last_update is not None and last_update > reminder.sent_at:
        return None
    if any(escalation.reminder_id == reminder.pk for escalation in commitment.escalations.all()):
        return None
    return reminder
