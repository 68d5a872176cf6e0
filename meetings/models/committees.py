"""Committees, their seats, and the timelines of the processes they follow."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.models import Institution, Plan, in_force
from commitments.permissions import User
from ogp_portal.constraints import ChecksInOneQuery
from ogp_portal.grammar import civility_in_language, gender_of_civility

GOVERNMENT_KINDS = {
    Institution.Kind.ADMINISTRATION,
    Institution.Kind.PUBLIC_BODY,
    Institution.Kind.INDEPENDENT_AUTHORITY,
}
# The organisations whose attendance makes a meeting one "with civil society" (OGP's rule).
CIVIL_SOCIETY_KINDS = {Institution.Kind.CIVIL_SOCIETY}


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
        for member in (
            CommitteeMember.objects.filter(committee=self).current(on).select_related("institution")
        ):
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


class CommitteeMember(ChecksInOneQuery, models.Model):
    """A seat on a committee held by a person for an organisation, for a period."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")
        SECRETARIAT = "secretariat", _("Secretariat")

    class Seat(models.TextChoices):
        TITULAR = "titular", _("Titular")
        ALTERNATE = "alternate", _("Alternate")

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="members", verbose_name=_("committee")
    )
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
        verbose_name=_("user"),
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
        who = f"{civility_in_language(self.civility)} {self.name}".strip() or _("Representative")
        where = self.institution.name if self.institution else self.capacity
        return f"{who}, {where}" if where else str(who)

    @property
    def written_civility(self) -> str:
        """The civility as the active language writes it ("السيدة" for "Mme.")."""
        return civility_in_language(self.civility)

    @property
    def gender(self) -> str:
        """The form the member is written in ("suppléante"), from the civility."""
        return gender_of_civility(self.civility)


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

    timeline = models.ForeignKey(
        Timeline, on_delete=models.CASCADE, related_name="steps", verbose_name=_("timeline")
    )
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
        ),
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
