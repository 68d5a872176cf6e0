from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Least
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from commitments.models import Activity, Commitment, Plan
from commitments.progress import CompletionLevel
from commitments.roles import User
from documents.models import GeneratedDocument, GeneratedDocumentQuerySet
from ogp_portal.constraints import ChecksInOneQuery
from ogp_portal.grammar import label
from ogp_portal.i18n import LANGUAGE_CHOICES


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ReportQuerySet:
        """The secretariat sees every report; committee members, those their committee has
        reviewed or is reviewing (every stage but the draft); the public, those under public
        consultation, published or transmitted. Pages and API both use this one rule."""
        if user.has_perm("reports.manage"):
            return self
        if user.has_perm("reports.comment_as_committee"):
            return self.exclude(stage=Report.Stage.DRAFT)
        return self.filter(stage__in=PUBLIC_STAGES)


class Report(ChecksInOneQuery, models.Model):
    """The self-assessment report (rapport d'auto-évaluation) of a plan for a period."""

    class Stage(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("Committee review")
        CONSULTATION = "consultation", _("Public consultation")
        VALIDATED = "validated", pgettext_lazy("report stage", "Validated")
        PUBLISHED = "published", pgettext_lazy("report stage", "Published")
        TRANSMITTED = "transmitted", _("Transmitted to the OGP")

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="reports", verbose_name=_("action plan")
    )
    title = models.CharField(_("title"), max_length=255)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.DRAFT)
    sheet_deadline = models.DateField(
        _("deadline for the self-assessment sheets"), null=True, blank=True
    )
    consultation_opens_on = models.DateField(
        _("public consultation opens on"), null=True, blank=True
    )
    consultation_closes_on = models.DateField(
        _("public consultation closes on"),
        null=True,
        blank=True,
        help_text=_("The last day on which the public may comment."),
    )
    # The version the secretariat validated: what publication makes public, byte for byte.
    validated_version = models.ForeignKey(
        "ReportVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validated version"),
    )
    transmitted_on = models.DateField(_("transmitted to the OGP on"), null=True, blank=True)
    transmitted_how = models.CharField(_("how it was transmitted"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = models.Manager.from_queryset(ReportQuerySet)()
    history: Any  # django-simple-history, registered in translation.py

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("self-assessment report")
        verbose_name_plural = _("self-assessment reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="report_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(consultation_opens_on__isnull=True, consultation_closes_on__isnull=True)
                | Q(consultation_closes_on__gte=F("consultation_opens_on")),
                name="report_consultation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})
        opens, closes = self.consultation_opens_on, self.consultation_closes_on
        if (opens is None) != (closes is None):
            raise ValidationError(
                _("Give both the opening and the closing day of the consultation.")
            )
        if opens and closes and closes < opens:
            raise ValidationError(
                {"consultation_closes_on": _("The consultation cannot close before it opens.")}
            )

    @property
    def consultation_days(self) -> int | None:
        """How long the public consultation lasts, from its opening to its closing day."""
        opens, closes = self.consultation_opens_on, self.consultation_closes_on
        return (closes - opens).days + 1 if opens and closes else None

    def takes_public_comments(self, today: datetime.date) -> bool:
        opens, closes = self.consultation_opens_on, self.consultation_closes_on
        return (
            self.stage == Report.Stage.CONSULTATION
            and (opens is None or opens <= today)
            and (closes is None or today <= closes)
        )

    @property
    def is_public(self) -> bool:
        return self.stage in PUBLIC_STAGES

    @property
    def next_stage(self) -> Report.Stage | None:
        """The stage the workflow moves to next, if any."""
        return self._stage_at(+1)

    @property
    def previous_stage(self) -> Report.Stage | None:
        """The stage a report may step back to (e.g. from review to draft), if any."""
        return self._stage_at(-1)

    def _stage_at(self, offset: int) -> Report.Stage | None:
        stages = list(Report.Stage)
        index = stages.index(Report.Stage(self.stage)) + offset
        return stages[index] if 0 <= index < len(stages) else None


# The draft is public during the consultation; the final report once published.
PUBLIC_STAGES = (Report.Stage.CONSULTATION, Report.Stage.PUBLISHED, Report.Stage.TRANSMITTED)


class ReportStageChange(models.Model):
    """A dated step of the report's workflow, for its timeline."""

    report = models.ForeignKey(
        Report,
        on_delete=models.CASCADE,
        related_name="stage_changes",
        verbose_name=_("self-assessment report"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Report.Stage.choices)
    changed_at = models.DateTimeField(_("date"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("changed by"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("report stage change")
        verbose_name_plural = _("report stage changes")

    def __str__(self) -> str:
        return f"{self.report} → {self.get_stage_display()}"


class ReportVersionQuerySet(GeneratedDocumentQuerySet):
    def visible_to(self, user: User) -> ReportVersionQuerySet:
        """Every version for the secretariat; for everyone else, of the reports they may see
        (``Report.objects.visible_to``), the versions the report's page offers and no other:
        the validated one once there is one, before that the newest ready one per language."""
        if user.has_perm("reports.manage"):
            return self
        newest = (
            ReportVersion.objects.ready()
            .filter(report=OuterRef("report"), language=OuterRef("language"))
            .order_by("-requested_at", "-pk")
            .values("pk")[:1]
        )
        offered = Q(report__validated_version__isnull=False, pk=F("report__validated_version"))
        offered |= Q(report__validated_version__isnull=True, pk=Subquery(newest))
        return self.ready().filter(offered, report__in=Report.objects.visible_to(user))

    def offered(self, report: Report, language: str) -> ReportVersion | None:
        """The version of ``report`` its page offers in ``language``: once the report is
        validated, the validated version and no other; before, the newest ready one."""
        if report.validated_version_id is not None:
            return self.ready().filter(pk=report.validated_version_id, language=language).first()
        return self.latest_ready(language)


# The part of the progress bar the laying out of the parts fills.
PARTS_FROM, PARTS_TO = 20, 90


class ReportVersion(GeneratedDocument):
    """One generated PDF of a report, in one language; every version is kept."""

    report = models.ForeignKey(
        Report,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("self-assessment report"),
    )
    pdf = models.FileField(_("PDF"), upload_to="reports/%Y/", blank=True)
    # The parts being laid out by the workers, and how many are done (reports/generation.py).
    parts_total = models.PositiveIntegerField(_("parts to lay out"), default=0)
    parts_done = models.PositiveIntegerField(_("parts laid out"), default=0)

    # The base's manager, with this model's access scope added.
    objects = models.Manager.from_queryset(ReportVersionQuerySet)()  # type: ignore[misc]

    class Meta(GeneratedDocument.Meta):
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="report_version_progress_percent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} ({self.language}, {self.requested_at:%Y-%m-%d %H:%M})"

    def start_parts(self, total: int) -> None:
        """``total`` parts are about to be laid out, by several workers perhaps."""
        self.parts_total, self.parts_done = total, 0
        self.mark_progress(PARTS_FROM, gettext_noop("Laying out the commitments"))
        ReportVersion.objects.filter(pk=self.pk).update(parts_total=total, parts_done=0)

    def part_done(self, attempt: int) -> bool:
        """One more part laid out, by whichever worker: the progress bar follows the parts.
        False when this attempt is over (failed, or claimed again): stop."""
        done = F("parts_done") + 1
        return bool(
            ReportVersion.objects.filter(
                pk=self.pk, status=self.Status.RUNNING, attempts=attempt, parts_total__gt=0
            ).update(
                parts_done=done,
                progress=Least(
                    PARTS_TO, PARTS_FROM + (PARTS_TO - PARTS_FROM) * done / F("parts_total")
                ),
                heartbeat_at=timezone.now(),
            )
        )

    def number(self) -> int:
        """1 for the report's first version in this language, and so on."""
        return ReportVersion.objects.filter(
            report_id=self.report_id, language=self.language, pk__lte=self.pk
        ).count()


class ReportCommentQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ReportCommentQuerySet:
        """The secretariat sees every comment; committee members, their committee's comments
        and the published public ones; everyone else, the published public comments. Only on
        reports ``user`` may see."""
        if user.has_perm("reports.manage"):
            return self
        published = Q(kind=ReportComment.Kind.PUBLIC, moderation=ReportComment.Moderation.APPROVED)
        if user.has_perm("reports.comment_as_committee"):
            published |= Q(kind=ReportComment.Kind.COMMITTEE)
        return self.filter(published, report__in=Report.objects.visible_to(user))


class ReportComment(models.Model):
    """A comment on a report: by a committee member during the review, or by anyone during the
    public consultation (published once moderated)."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Committee review")
        PUBLIC = "public", _("Public consultation")

    class Moderation(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Published")
        REJECTED = "rejected", _("Not published")

    report = models.ForeignKey(
        Report,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("self-assessment report"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("author"),
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # The language the comment was written in: its author is answered in it.
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES, blank=True)
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("commitment concerned"),
    )
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    moderation = models.CharField(
        _("moderation"), max_length=20, choices=Moderation.choices, default=Moderation.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(null=True, blank=True, verbose_name=_("moderated at"))
    response = models.TextField(
        _("secretariat's response"),
        blank=True,
        help_text=_("The answer to a published comment, or why it is not published."),
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responded by"),
    )
    responded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("responded at"))

    objects = models.Manager.from_queryset(ReportCommentQuerySet)()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report comment")
        verbose_name_plural = _("report comments")

    def __str__(self) -> str:
        return f"{label(self.get_kind_display())} {self.body[:60]}"

    @property
    def author_label(self) -> str:
        if self.author is not None:
            return self.author.get_full_name() or self.author.get_username()
        return self.name

    @property
    def is_settled(self) -> bool:
        """Moderated and answered (or, when not published, with the reason recorded)."""
        return self.moderation != self.Moderation.PENDING and bool(self.response.strip())


class AssessmentSheet(models.Model):
    """A commitment's self-assessment sheet (fiche d'auto-évaluation) for a report."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Being filled")
        SUBMITTED = "submitted", _("Submitted")
        REVIEWED = "reviewed", _("Reviewed by the secretariat")
        RETURNED = "returned", _("Returned to the focal point")

    class Effect(models.TextChoices):
        """OGP's "did it open government?" scale."""

        NOT_APPLICABLE = "not_applicable", _("Not applicable")
        WORSENED = "worsened", _("Worsened")
        DID_NOT_CHANGE = "did_not_change", _("Did not change")
        MARGINAL = "marginal", _("Marginal")
        MAJOR = "major", _("Major")
        OUTSTANDING = "outstanding", _("Outstanding")

    report = models.ForeignKey(
        Report,
        on_delete=models.CASCADE,
        related_name="sheets",
        verbose_name=_("self-assessment report"),
    )
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="assessment_sheets",
        verbose_name=_("commitment"),
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    completion_override = models.CharField(
        _("completion level (if not the computed one)"),
        max_length=20,
        choices=CompletionLevel.choices,
        blank=True,
    )
    completion_justification = models.TextField(_("justification of that level"), blank=True)
    results = models.TextField(_("results achieved"), blank=True)
    effect_access_to_information = models.CharField(
        _("access to information"), max_length=20, choices=Effect.choices, blank=True
    )
    effect_civic_participation = models.CharField(
        _("civic participation"), max_length=20, choices=Effect.choices, blank=True
    )
    effect_public_accountability = models.CharField(
        _("public accountability"), max_length=20, choices=Effect.choices, blank=True
    )
    effect_explanation = models.TextField(_("how it opened government"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("last saved"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("secretariat's note"), blank=True)

    history: Any  # django-simple-history, registered in translation.py

    EFFECT_FIELDS = (
        "effect_access_to_information",
        "effect_civic_participation",
        "effect_public_accountability",
    )

    class Meta:
        ordering = ["report", "commitment__number"]
        verbose_name = _("self-assessment sheet")
        verbose_name_plural = _("self-assessment sheets")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "commitment"], name="one_sheet_per_commitment_and_report"
            ),
            models.CheckConstraint(
                condition=Q(completion_override="") | ~Q(completion_justification=""),
                name="sheet_override_needs_justification",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} – {self.commitment}"

    def clean(self) -> None:
        if self.completion_override and not self.completion_justification.strip():
            raise ValidationError(
                {
                    "completion_justification": _(
                        "Explain why the level differs from the computed one."
                    )
                }
            )

    @property
    def is_filled(self) -> bool:
        return self.state in FILLED_STATES

    @property
    def lock_reason(self) -> str:
        """Why the sheet can no longer be changed, or "" while it can: once accepted, or once
        the report has left the draft stage, until the secretariat returns it."""
        if self.state == self.State.REVIEWED:
            return gettext(
                "The secretariat accepted this sheet: it can no longer be changed unless the "
                "secretariat returns it."
            )
        if self.report.stage != Report.Stage.DRAFT and self.state != self.State.RETURNED:
            return gettext(
                "The report has left the draft stage (now: %(stage)s): the sheet can no longer "
                "be changed unless the secretariat returns it."
            ) % {"stage": self.report.get_stage_display()}
        return ""

    @property
    def can_be_returned(self) -> bool:
        return self.state in FILLED_STATES


class SheetActivityNote(models.Model):
    """What a sheet says of one activity: its status for the report and a comment."""

    sheet = models.ForeignKey(
        AssessmentSheet,
        on_delete=models.CASCADE,
        related_name="activity_notes",
        verbose_name=_("self-assessment sheet"),
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="+", verbose_name=_("activity")
    )
    status = models.CharField(_("status"), max_length=20, choices=Activity.Status.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["activity__position"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "activity"], name="one_note_per_activity")
        ]
        verbose_name = _("activity in a sheet")
        verbose_name_plural = _("activities in a sheet")

    def __str__(self) -> str:
        return f"{label(self.sheet)} {self.activity}"


# A sheet counts as filled once submitted, and stays so once the secretariat accepted it.
FILLED_STATES = (AssessmentSheet.State.SUBMITTED, AssessmentSheet.State.REVIEWED)


class SheetExemption(models.Model):
    """The secretariat's recorded decision that a commitment's sheet is not awaited for a
    report (who, when and why): the public consultation may open without it."""

    report = models.ForeignKey(
        Report,
        on_delete=models.CASCADE,
        related_name="sheet_exemptions",
        verbose_name=_("self-assessment report"),
    )
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="+", verbose_name=_("commitment")
    )
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["report", "commitment__number"]
        verbose_name = _("exception for a missing sheet")
        verbose_name_plural = _("exceptions for missing sheets")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "commitment"], name="one_exemption_per_commitment_and_report"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="exemption_has_a_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.report} – {self.commitment}"
