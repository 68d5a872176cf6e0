"""What a held meeting keeps: its frozen progress table, the calendars of its agenda, its
corrections, and its generated minutes. Texts are copied here when the meeting is held, so that
nothing renamed or moved later changes what the meeting recorded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.models import Activity, Commitment
from commitments.permissions import User
from documents.models import GeneratedDocument, GeneratedDocumentQuerySet
from ogp_portal.grammar import label, percent

from .committees import TimelineStep
from .meetings import AgendaItem, Meeting


class ProgressSnapshot(models.Model):
    """The plan's progress table frozen when a meeting is marked held."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="snapshot", verbose_name=_("meeting")
    )
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

    snapshot = models.ForeignKey(
        ProgressSnapshot,
        on_delete=models.CASCADE,
        related_name="rows",
        verbose_name=_("progress snapshot"),
    )
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        related_name="snapshot_rows",
        verbose_name=_("commitment"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(
        _("title"),
        max_length=500,
        blank=True,
        help_text=_("As the table gave it; empty where the minutes name the commitment by number."),
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
        ordering = ["snapshot", "number"]
        verbose_name = _("progress table row")
        verbose_name_plural = _("progress table rows")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "commitment"], name="snapshot_row_one_per_commitment"
            )
        ]

    def __str__(self) -> str:
        return f"{label(self.number)} {percent(self.progress)}"

    @property
    def is_complete(self) -> bool:
        return self.progress >= 100


class SnapshotActivity(models.Model):
    """An activity not finished when the table was frozen, with its percentage then."""

    row = models.ForeignKey(
        SnapshotRow,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("progress table row"),
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        related_name="snapshot_entries",
        verbose_name=_("activity"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("activity"), max_length=500)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))

    class Meta:
        ordering = ["row", "position", "pk"]
        verbose_name = _("unfinished activity")
        verbose_name_plural = _("unfinished activities")

    def __str__(self) -> str:
        return f"{self.title} {self.progress} %"


class AgendaStep(models.Model):
    """A step of the timeline agreed under an agenda item, as it stood when the meeting was held:
    the calendar of the minutes. The timeline itself lives on."""

    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="recorded_steps",
        verbose_name=_("agenda item"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("step"), max_length=500)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    precision = models.CharField(
        _("dates shown as"),
        max_length=10,
        choices=TimelineStep.Precision.choices,
        default=TimelineStep.Precision.MONTH,
    )

    class Meta:
        ordering = ["agenda_item", "position", "starts_on"]
        verbose_name = _("step of the minutes' calendar")
        verbose_name_plural = _("steps of the minutes' calendar")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="agenda_step_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Correction(models.Model):
    """A correction of a held meeting's record by the secretariat: a new, dated fact that the
    page and the minutes show as such; nothing of the record is overwritten."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("meeting")
    )
    made_on = models.DateField(_("date"), default=timezone.localdate)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("correction"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["meeting", "made_on", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.meeting} – {self.made_on:%Y-%m-%d}"


class MinutesVersionQuerySet(GeneratedDocumentQuerySet):
    def visible_to(self, user: User) -> MinutesVersionQuerySet:
        """Every version for the secretariat; for everyone else, the ready versions of the
        meetings they may read."""
        if user.has_perm("meetings.manage"):
            return self
        return self.ready().filter(meeting__in=Meeting.objects.visible_to(user))


class MinutesVersion(GeneratedDocument):
    """One generated PDF of a meeting's minutes (relevé des conclusions), in one language."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="minutes", verbose_name=_("meeting")
    )
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
