"""A meeting: its agenda, attendance and decisions."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from commitments.models import Activity, Commitment, Institution, Plan
from commitments.permissions import User
from ogp_portal import search as text_search
from ogp_portal.grammar import civility_in_language, gender_of_civility

from .committees import CIVIL_SOCIETY_KINDS, Committee, CommitteeMember, Timeline


class MeetingQuerySet(models.QuerySet):
    def search(self, query: str) -> MeetingQuerySet:
        """The meetings where ``query`` is found, in any language, best matches first."""
        found = text_search.search(self, query, meeting_search_fields())
        return found.order_by("search_rank", "-starts_at")

    def held(self) -> MeetingQuerySet:
        return self.filter(status=Meeting.Status.HELD)

    def with_published_minutes(self) -> MeetingQuerySet:
        return self.filter(minutes_published_at__isnull=False)

    def with_civil_society_attendance(self) -> MeetingQuerySet:
        """``civil_society_attended``: someone of a civil-society organisation attended (OGP's
        meetings with civil society, meetings.summaries)."""
        attended = Attendance.objects.filter(
            meeting=OuterRef("pk"),
            institution__kind__in=CIVIL_SOCIETY_KINDS,
            status__in=Attendance.ATTENDED,
        )
        return self.annotate(civil_society_attended=Exists(attended))

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

    def is_visible_to(self, user: User) -> bool:
        """What ``MeetingQuerySet.visible_to`` keeps, for meetings already loaded."""
        return user.has_perm("meetings.see_all_meetings") or self.minutes_are_public

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


class DecisionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("decision status", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class AgendaItem(models.Model):
    """A point of the agenda (ordre du jour) and what was said about it (points discutés)."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("General")
        PROGRESS = "progress", _("Progress of the commitments")
        FOLLOW_UP = "follow_up", _("Follow-up of a decision")
        BLOCKED_ACTIVITY = "blocked_activity", _("Blocked activity")
        STALE_COMMITMENT = "stale_commitment", _("Stale or blocked commitment")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
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
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("commitment"),
        help_text=_("A stale commitment, or one with a blocked activity, raised under this point."),
    )
    # What the meeting recorded of the decision it followed up, copied when it is held.
    followed_status = models.CharField(
        _("status of the decision at this meeting"),
        max_length=20,
        choices=DecisionStatus.choices,
        blank=True,
    )
    followed_status_note = models.TextField(_("follow-up note at this meeting"), blank=True)

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
            models.UniqueConstraint(
                fields=["meeting", "commitment"],
                condition=Q(commitment__isnull=False),
                name="agenda_item_raises_a_commitment_once",
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

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
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
    organisation = models.CharField(
        _("organisation as the minutes name it"),
        max_length=255,
        blank=True,
        help_text=_("Copied from the organisation when the meeting is held."),
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
        who = f"{civility_in_language(self.civility)} {self.name}".strip() or str(
            _("Representative")
        )
        where = self.institution.name if self.institution else self.capacity
        return f"{who}, {where}" if where else who

    @property
    def written_civility(self) -> str:
        """The civility as the active language writes it ("السيدة" for "Mme.")."""
        return civility_in_language(self.civility)

    @property
    def gender(self) -> str:
        return gender_of_civility(self.civility)

    @property
    def attended(self) -> bool:
        return self.status in self.ATTENDED

    @property
    def written_organisation(self) -> str:
        """The organisation as the record names it: copied when the meeting was held, the
        organisation's name until then."""
        if self.meeting.is_held:
            return self.organisation
        return self.institution.name if self.institution else ""


class DecisionQuerySet(models.QuerySet):
    def open(self) -> DecisionQuerySet:
        return self.filter(status__in=Decision.OPEN)


class Decision(models.Model):
    """A decision (point arrêté): an action with an owner and a due date, followed up at the
    next meetings until closed."""

    Status = DecisionStatus
    OPEN = (Status.OPEN, Status.IN_PROGRESS)

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
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
    in_minutes = models.BooleanField(
        _("listed under the decisions of the minutes"),
        default=True,
        help_text=_(
            "Off for an action the secretariat follows up from what the minutes say elsewhere "
            "(a deadline in the discussion notes, for instance)."
        ),
    )
    # What the meeting recorded, copied when it is held: later follow-up changes ``status``,
    # ``status_note`` and the owner's name, never these.
    status_at_meeting = models.CharField(
        _("status at the meeting"), max_length=20, choices=Status.choices, blank=True
    )
    status_note_at_meeting = models.TextField(_("note at the meeting"), blank=True)
    owner_name = models.CharField(_("owner as the minutes name it"), max_length=255, blank=True)

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


def meeting_search_fields() -> list[text_search.Field]:
    """What the search looks at in a meeting, best places first."""
    Field = text_search.Field
    return [
        Field("committee", _("committee"), "committee__name"),
        Field("agenda", _("agenda"), "title", related=(AgendaItem, "meeting")),
        Field("decisions", _("decisions"), "text", related=(Decision, "meeting")),
        Field("opening", _("opening"), "opening"),
        Field("place", _("place"), "place"),
        Field("notes", _("discussion notes"), "notes", related=(AgendaItem, "meeting")),
    ]
