from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from commitments.models import Institution, in_force

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
