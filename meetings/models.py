from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from commitments.models import Activity, Commitment, Institution, Plan, in_force
from commitments.permissions import User
from documents.models import GeneratedDocument, GeneratedDocumentQuerySet

GOVERNMENT_KINDS = {
    Institution.Kind.ADMINISTRATION,
    Institution.Kind.PUBLIC_BODY,
    Institution.Kind.INDEPENDENT_AUTHORITY,
}


class Committee(models.Model):
    """A committee that follows the plans: steering (government and civil society),
    implementation (the focal points), or another one."""

    class Kind(models.TextChoices):
        STEERING = "steering", _("Steering committee")
        IMPLEMENTATION = "implementation", _("Implementation committee")
        OTHER = "other", _("Other committee")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    history: Any  # django-simple-history, registered in translation.py

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")

    def __str__(self) -> str:
        return self.name

    def parity(self, on: datetime.date | None = None) -> dict[str, int]:
        """Seats held on ``on`` by government (administrations, public bodies, independent
        authorities) and by civil society; OGP asks steering committees for parity."""
        counts = {"government": 0, "civil_society": 0, "other": 0}
        for member in self.members.current(on).select_related("institution"):
            if member.institution is None:
                counts["other"] += 1
            elif member.institution.kind in GOVERNMENT_KINDS:
                counts["government"] += 1
            else:
                counts["civil_society"] += 1
        return counts


class CommitteeMemberQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> CommitteeMemberQuerySet:
        return self.filter(in_force(on))


class CommitteeMember(models.Model):
    """A seat on a committee held by a person for an organisation, for a period."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")
        SECRETARIAT = "secretariat", _("Secretariat")

    class Seat(models.TextChoices):
        TITULAR = "titular", _("Titular")
        ALTERNATE = "alternate", _("Alternate")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    civility = models.CharField(_("civility"), max_length=10, blank=True)
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("Empty for an unnamed representative.")
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committee_seats",
        verbose_name=_("organisation"),
    )
    capacity = models.CharField(
        _("capacity"),
        max_length=255,
        blank=True,
        help_text=_("For a member without an organisation, e.g. an independent expert."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="committee_seats",
        help_text=_("The portal account, if the member has one (to comment on reports)."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    seat = models.CharField(_("seat"), max_length=20, choices=Seat.choices, default=Seat.TITULAR)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = models.Manager.from_queryset(CommitteeMemberQuerySet)()
    history: Any

    class Meta:
        ordering = ["committee", "role", "institution__name", "name"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="committee_member_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(name="") | Q(institution__isnull=False),
                name="committee_member_named_or_represents_an_organisation",
            ),
        ]

    def __str__(self) -> str:
        who = f"{self.civility} {self.name}".strip() or _("Representative")
        where = self.institution.name if self.institution else self.capacity
        return f"{who}, {where}" if where else str(who)


class TimelineQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> TimelineQuerySet:
        """The public timelines; the secretariat's drafts too."""
        if user.has_perm("meetings.manage"):
            return self
        return self.filter(is_public=True)


class Timeline(models.Model):
    """The dated steps of a process ("calendrier / étapes"): the self-assessment report or the
    co-creation of the next plan."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Self-assessment report")
        CO_CREATION = "co_creation", _("Co-creation of the next plan")
        OTHER = "other", _("Other process")

    kind = models.CharField(_("process"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="timelines",
        verbose_name=_("plan"),
        help_text=_(
            "The plan the process concerns (the plan reported on, or the plan co-created)."
        ),
    )
    is_public = models.BooleanField(_("public"), default=True)

    objects = models.Manager.from_queryset(TimelineQuerySet)()
    history: Any

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("timeline")
        verbose_name_plural = _("timelines")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:timeline", args=[self.pk])


class TimelineStep(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    class Precision(models.TextChoices):
        MONTH = "month", _("Month")
        DAY = "day", _("Day")

    timeline = models.ForeignKey(Timeline, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("step"), max_length=500)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    precision = models.CharField(
        _("dates shown as"), max_length=10, choices=Precision.choices, default=Precision.MONTH
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    note = models.TextField(_("note"), blank=True)
    event = models.CharField(
        _("done when"),
        max_length=60,
        blank=True,
        help_text=_(
            "The event that completes this step (meetings/events.py); leave empty to "
            "mark it done by hand."
        ),  # fmt: skip
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history: Any

    class Meta:
        ordering = ["timeline", "position", "starts_on"]
        verbose_name = _("timeline step")
        verbose_name_plural = _("timeline steps")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="timeline_step_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_late(self) -> bool:
        end = self.ends_on or self.starts_on
        return self.status != self.Status.DONE and end < timezone.localdate()


class MeetingQuerySet(models.QuerySet):
    def held(self) -> MeetingQuerySet:
        return self.filter(status=Meeting.Status.HELD)

    def with_published_minutes(self) -> MeetingQuerySet:
        return self.filter(minutes_published_at__isnull=False)

    def visible_to(self, user: User) -> MeetingQuerySet:
        """Every meeting for the secretariat and committee members; for everyone else, those
        whose minutes are published (the others do not exist for the public)."""
        if user.has_perm("meetings.see_all_meetings"):
            return self
        return self.with_published_minutes()


class Meeting(models.Model):
    """A meeting of a committee about a plan."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        REMOTE = "remote", _("Remote")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("committee")
    )
    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("plan"),
        help_text=_("The plan whose progress the meeting reviews."),
    )
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    opening = models.TextField(
        _("opening remarks"), blank=True, help_text=_("The opening address (mot d'ouverture).")
    )
    held_at = models.DateTimeField(_("marked held at"), null=True, blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = models.Manager.from_queryset(MeetingQuerySet)()
    history: Any

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_published_at__isnull=True) | Q(status="held"),
                name="meeting_minutes_published_once_held",
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee} – {timezone.localtime(self.starts_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def minutes_are_public(self) -> bool:
        return self.minutes_published_at is not None

    @property
    def date(self) -> datetime.date:
        return timezone.localtime(self.starts_at).date()

    def previous(self) -> Meeting | None:
        """The latest held meeting of the same plan before this one (any committee)."""
        return (
            Meeting.objects.held()
            .filter(plan_id=self.plan_id, starts_at__lt=self.starts_at)
            .exclude(pk=self.pk)
            .order_by("-starts_at")
            .first()
        )


class AgendaItem(models.Model):
    """A point of the agenda (ordre du jour) and what was said about it (points discutés)."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("General")
        PROGRESS = "progress", _("Progress of the commitments")
        FOLLOW_UP = "follow_up", _("Follow-up of a decision")
        BLOCKED_ACTIVITY = "blocked_activity", _("Blocked activity")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(_("title"), max_length=500)
    notes = models.TextField(_("discussion notes"), blank=True)
    timeline = models.ForeignKey(
        Timeline,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("timeline"),
        help_text=_("A timeline agreed under this point, shown in the minutes."),
    )
    decision = models.ForeignKey(
        "Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("decision followed up"),
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("activity"),
    )

    history: Any

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "decision"],
                condition=Q(decision__isnull=False),
                name="agenda_item_follows_a_decision_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "activity"],
                condition=Q(activity__isnull=False),
                name="agenda_item_raises_an_activity_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """Who was at a meeting, pre-filled from the committee's members; names are copied so the
    minutes stay as they were when a seat later changes."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        REMOTE = "remote", _("Remote")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")
        REPRESENTED = "represented", _("Represented")

    ATTENDED = (Status.PRESENT, Status.REMOTE, Status.REPRESENTED)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(
        CommitteeMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("committee member"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    civility = models.CharField(_("civility"), max_length=10, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    capacity = models.CharField(_("capacity"), max_length=255, blank=True)
    status = models.CharField(
        _("attendance"), max_length=20, choices=Status.choices, default=Status.PRESENT
    )
    represented_by = models.CharField(
        _("represented by"),
        max_length=255,
        blank=True,
        help_text=_("Name and function of the person who attended instead."),
    )

    history: Any

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=Q(member__isnull=False),
                name="attendance_one_row_per_member",
            ),
            models.CheckConstraint(
                condition=~Q(status="represented") | ~Q(represented_by=""),
                name="attendance_represented_names_who",
            ),
        ]

    def __str__(self) -> str:
        who = f"{self.civility} {self.name}".strip() or str(_("Representative"))
        where = self.institution.name if self.institution else self.capacity
        return f"{who}, {where}" if where else who

    @property
    def attended(self) -> bool:
        return self.status in self.ATTENDED


class DecisionQuerySet(models.QuerySet):
    def open(self) -> DecisionQuerySet:
        return self.filter(status__in=Decision.OPEN)


class Decision(models.Model):
    """A decision (point arrêté): an action with an owner and a due date, followed up at the
    next meetings until closed."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("decision status", "Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN = (Status.OPEN, Status.IN_PROGRESS)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text = models.TextField(_("decision"))
    owner = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("owner"),
    )
    owner_detail = models.CharField(
        _("owner (person or body)"),
        max_length=255,
        blank=True,
        help_text=_("Who exactly carries the action, if not a whole organisation."),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    status_note = models.TextField(_("follow-up note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    commitments = models.ManyToManyField(
        Commitment, blank=True, related_name="decisions", verbose_name=_("commitments concerned")
    )

    objects = models.Manager.from_queryset(DecisionQuerySet)()
    history: Any

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()


class ProgressSnapshot(models.Model):
    """The plan's progress table frozen when a meeting is marked held."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="snapshot")
    taken_at = models.DateTimeField(_("frozen at"), default=timezone.now)
    global_progress = models.DecimalField(_("global progress (%)"), max_digits=5, decimal_places=2)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compared with"),
    )
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("Where a figure comes from the minutes rather than the portal, say so here."),
    )

    class Meta:
        verbose_name = _("progress snapshot")
        verbose_name_plural = _("progress snapshots")

    def __str__(self) -> str:
        return str(self.meeting)


class SnapshotRow(models.Model):
    """One commitment in a frozen progress table."""

    snapshot = models.ForeignKey(ProgressSnapshot, on_delete=models.CASCADE, related_name="rows")
    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="snapshot_rows"
    )
    progress = models.DecimalField(_("progress (%)"), max_digits=5, decimal_places=2)
    previous_progress = models.DecimalField(
        _("progress at the previous meeting (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    no_progress = models.BooleanField(_("no progress since the previous meeting"), default=False)
    remark = models.TextField(_("remarks"), blank=True)

    class Meta:
        ordering = ["snapshot", "commitment__number"]
        verbose_name = _("progress table row")
        verbose_name_plural = _("progress table rows")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "commitment"], name="snapshot_row_one_per_commitment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commitment.number}: {self.progress} %"

    @property
    def is_complete(self) -> bool:
        return self.progress >= 100


class SnapshotActivity(models.Model):
    """An activity not finished when the table was frozen, with its percentage then."""

    row = models.ForeignKey(SnapshotRow, on_delete=models.CASCADE, related_name="activities")
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="snapshot_entries"
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"))

    class Meta:
        ordering = ["row", "activity__position", "pk"]
        verbose_name = _("unfinished activity")
        verbose_name_plural = _("unfinished activities")

    def __str__(self) -> str:
        return f"{self.activity} {self.progress} %"


class MinutesVersionQuerySet(GeneratedDocumentQuerySet):
    def visible_to(self, user: User) -> MinutesVersionQuerySet:
        """Every version for the secretariat; for everyone else, the ready versions of the
        meetings they may read."""
        if user.has_perm("meetings.manage"):
            return self
        return self.ready().filter(meeting__in=Meeting.objects.visible_to(user))


class MinutesVersion(GeneratedDocument):
    """One generated PDF of a meeting's minutes (relevé des conclusions), in one language."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes")
    pdf = models.FileField(_("PDF"), upload_to="minutes/%Y/", blank=True)

    # The base's manager, with this model's access scope added.
    objects = models.Manager.from_queryset(MinutesVersionQuerySet)()  # type: ignore[misc]

    class Meta(GeneratedDocument.Meta):
        verbose_name = _("minutes version")
        verbose_name_plural = _("minutes versions")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="minutes_version_progress_percent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} ({self.language}, {self.requested_at:%Y-%m-%d %H:%M})"
