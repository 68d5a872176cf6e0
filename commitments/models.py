from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from concurrency.fields import IntegerVersionField
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.expressions import BaseExpression
from django.db.models.functions import Cast, Coalesce, Collate, NullIf, Round
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ogp_portal import search as text_search
from ogp_portal.collation import collation_for
from ogp_portal.constraints import ChecksInOneQuery
from ogp_portal.grammar import join_list, label, percent
from ogp_portal.i18n import FALLBACK, LANGUAGE_CHOICES, active_content_language, translations_of
from ogp_portal.viewutils import positive_int

from . import progress as progress_method
from . import wording
from .roles import is_secretariat
from .search import ACTIVITY_FIELDS, COMMITMENT_FIELDS

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


def in_force(on: datetime.date | None = None) -> Q:
    """Rows with a start_date and an optional end_date that cover the day ``on`` (today)."""
    on = on or timezone.localdate()
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def verbose_name(model: models.Model | type[models.Model], field_name: str) -> str:
    """A field's label in the active language."""
    return str(getattr(model._meta.get_field(field_name), "verbose_name", field_name))


class InstitutionQuerySet(models.QuerySet):
    def by_name(self) -> InstitutionQuerySet:
        """In the alphabetical order of the active language ("l'Éducation" before
        "Transition"), the French name standing in for a missing translation."""
        language = active_content_language()
        name = Coalesce(NullIf(F(f"name_{language}"), Value("")), F(f"name_{FALLBACK}"))
        return self.order_by(Collate(name, collation_for(language)), "pk")


class Institution(models.Model):
    """A public administration, public body, independent authority or civil-society organisation."""

    history: Any  # django-simple-history, registered in translation.py

    class Kind(models.TextChoices):
        ADMINISTRATION = "administration", _("Administration")
        PUBLIC_BODY = "public_body", _("Public body")
        INDEPENDENT_AUTHORITY = "independent_authority", _("Independent authority")
        CIVIL_SOCIETY = "civil_society", _("Civil society")

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9_-]+$", _("Use capital letters, digits, - and _."))],
    )
    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(
        _("contact person"),
        max_length=255,
        blank=True,
        help_text=_("Who follows the institution's commitments; not shown publicly."),
    )
    contact_email = models.EmailField(
        _("contact e-mail address"),
        blank=True,
        help_text=_(
            "Receives the escalations of its commitments: those still not updated some days "
            "after their focal points were reminded. Not shown publicly; empty: none."
        ),
    )
    contact_language = models.CharField(
        _("language of the contact's e-mails"),
        max_length=10,
        choices=LANGUAGE_CHOICES,
        default=settings.LANGUAGE_CODE,
    )

    objects = models.Manager.from_queryset(InstitutionQuerySet)()

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.name


class PlanQuerySet(models.QuerySet):
    def current(self) -> Plan | None:
        return current_plan(list(self.order_by("-start_date")))


def current_plan(plans: list[Plan]) -> Plan | None:
    """The plan marked current, else the one that started last: of ``plans``, every plan
    newest first (a page listing them all finds the current one without a query)."""
    return next((plan for plan in plans if plan.is_current), plans[0] if plans else None)


class Plan(ChecksInOneQuery, models.Model):
    """A national action plan (plan d'action national) for open government."""

    history: Any  # django-simple-history, registered in translation.py

    class Status(models.TextChoices):
        CO_CREATION = "co_creation", _("Co-creation")
        IMPLEMENTATION = "implementation", _("Implementation")
        CLOSED = "closed", _("Closed")

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9-]+$", _("Use letters, digits and dashes."))],
        help_text=_("Short identifier used in URLs and commands, e.g. PAN-2021-2023."),
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IMPLEMENTATION
    )
    is_current = models.BooleanField(
        _("current plan"),
        default=False,
        help_text=_("The plan shown by default on the public site."),
    )
    updates_need_validation = models.BooleanField(
        _("updates need validation"),
        default=True,
        help_text=_(
            "When on, a focal point's update counts only once the secretariat has validated it."
        ),
    )
    staleness_threshold_days = models.PositiveIntegerField(
        _("staleness threshold (days)"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("A commitment not updated for longer than this is flagged as stale."),
    )
    escalation_days = models.PositiveSmallIntegerField(
        _("escalation after a reminder (days)"),
        default=14,
        help_text=_(
            "A commitment still not updated this many days after its focal points were "
            "reminded goes into the secretariat's weekly escalation digest, and to its lead "
            "institution's contact if it has one. 0: never escalate."
        ),
    )
    consultation_min_days = models.PositiveSmallIntegerField(
        _("minimum length of a public consultation (days)"),
        default=14,
        validators=[MinValueValidator(1)],
        help_text=_(
            "A self-assessment report's public consultation lasts at least this long, from its "
            "opening to its closing day (OGP asks for at least two weeks)."
        ),
    )
    limited_threshold = models.PositiveSmallIntegerField(
        _("limited completion from (%)"), default=1, validators=PERCENT_VALIDATORS
    )
    substantial_threshold = models.PositiveSmallIntegerField(
        _("substantial completion from (%)"), default=50, validators=PERCENT_VALIDATORS
    )
    complete_threshold = models.PositiveSmallIntegerField(
        _("complete from (%)"), default=100, validators=PERCENT_VALIDATORS
    )

    objects = models.Manager.from_queryset(PlanQuerySet)()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="plan_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_plan"
            ),
            models.CheckConstraint(
                condition=Q(limited_threshold__gte=1)
                & Q(limited_threshold__lte=models.F("substantial_threshold"))
                & Q(substantial_threshold__lte=models.F("complete_threshold"))
                & Q(complete_threshold__lte=100),
                name="plan_completion_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commitments:plan_detail", args=[self.code])

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The plan cannot end before it starts.")
        if not (
            1
            <= self.limited_threshold
            <= self.substantial_threshold
            <= self.complete_threshold
            <= 100
        ):
            errors["substantial_threshold"] = _(
                "Thresholds must satisfy 1 ≤ limited ≤ substantial ≤ complete ≤ 100."
            )
        if errors:
            raise ValidationError(errors)

    def progress(self, commitments: Iterable[Commitment] | None = None) -> Decimal:
        """Mean progress of the plan's active commitments (pass them in to reuse a queryset)."""
        if commitments is None:
            commitments = Commitment.objects.filter(plan=self).active().with_progress_data()
        return progress_method.mean_progress(c.progress for c in commitments)

    @property
    def thresholds(self) -> progress_method.Thresholds:
        return progress_method.Thresholds(
            limited=self.limited_threshold,
            substantial=self.substantial_threshold,
            complete=self.complete_threshold,
        )


class Axis(models.Model):
    """A thematic axis (axe) grouping commitments of a plan."""

    history: Any  # django-simple-history, registered in translation.py

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="axes", verbose_name=_("action plan")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("axis")
        verbose_name_plural = _("axes")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="axis_number_unique_in_plan")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def progress(self, commitments: Iterable[Commitment] | None = None) -> Decimal:
        """Mean progress of the axis's active commitments."""
        if commitments is None:
            commitments = Commitment.objects.filter(axis=self).active().with_progress_data()
        return progress_method.mean_progress(c.progress for c in commitments)


class CommitmentQuerySet(models.QuerySet):
    def held_by(
        self, user: AbstractBaseUser | AnonymousUser, on: datetime.date | None = None
    ) -> CommitmentQuerySet:
        """Commitments of which ``user`` is a focal point (titular or alternate) on ``on``."""
        if not user.is_authenticated:
            return self.none()
        assignments = FocalPointAssignment.objects.current(on).filter(user=user)
        return self.filter(pk__in=assignments.values("commitment"))

    def active(self) -> CommitmentQuerySet:
        """Commitments that count in a plan's figures (not drafts, not withdrawn)."""
        return self.filter(status=Commitment.Status.ACTIVE)

    def with_progress_data(self) -> CommitmentQuerySet:
        """Everything the progress method needs, in a constant number of queries."""
        return self.select_related("plan", "axis", "lead_institution").prefetch_related(
            models.Prefetch("activities", queryset=Activity.objects.with_update_data())
        )

    def with_figures(self) -> CommitmentQuerySet:
        """Annotate what the progress method needs, computed by the database without loading
        the activities (summaries.plan_figures reads them); see ``_figure_annotations``."""
        return self.annotate(**_figure_annotations())

    def search(self, query: str) -> CommitmentQuerySet:
        """The commitments where ``query`` is found, in any language, best matches first
        (``ogp_portal.search``; ``text_search.match_of(c, COMMITMENT_FIELDS)`` says where)."""
        found = text_search.search(self, query, COMMITMENT_FIELDS)
        return found.order_by("search_rank", "plan__start_date", "plan_id", "number")


@functools.cache
def _figure_annotations() -> dict[str, BaseExpression]:
    """The sums for ``progress.weighted_progress_of_sums``, with the weights in whole
    thousandths so that they are exact integers on SQLite (which keeps decimals as floats) as
    on PostgreSQL; the time of the last update of any activity; whether a validated update is
    evidenced (as ``ActivityQuerySet.with_update_data`` counts them). Each is a subquery of its
    own: grouping the commitments' rows instead costs more on SQLite, which groups by every
    column. Built once: a query copies the expressions it is given, and building them took
    half the time of a small plan's figures."""
    scale = 10 ** Activity._meta.get_field("weight").decimal_places  # type: ignore[union-attr]
    weight = Cast(Round(F("weight") * scale), models.BigIntegerField())
    activities = Activity.objects.filter(commitment=models.OuterRef("pk")).order_by()
    updates = ProgressUpdate.objects.filter(activity__commitment=models.OuterRef("pk"))

    def total(aggregate: models.Aggregate) -> Coalesce:
        by_commitment = activities.values("commitment").annotate(total=aggregate)
        subquery = models.Subquery(
            by_commitment.values("total"), output_field=models.BigIntegerField()
        )
        return Coalesce(Cast(subquery, models.BigIntegerField()), 0)

    return {
        "figure_activities": total(models.Count("pk")),
        "figure_weights": total(models.Sum(weight)),
        "figure_weighted": total(models.Sum(weight * F("progress"))),
        "figure_progress": total(models.Sum("progress")),
        "figure_last_update_at": models.Subquery(
            updates.order_by("-created_at").values("created_at")[:1]
        ),
        "figure_evidenced": models.Exists(updates.evidenced()),
    }


class Commitment(models.Model):
    """A commitment (engagement) of a national action plan."""

    history: Any  # django-simple-history, registered in translation.py

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("action plan")
    )
    axis = models.ForeignKey(
        Axis,
        on_delete=models.PROTECT,
        related_name="commitments",
        null=True,
        blank=True,
        verbose_name=_("axis"),
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    ogp_id = models.CharField(
        _("OGP id"),
        max_length=16,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{2,3}\d{4}$", _("An OGP id looks like MO0025."))],
    )
    title = models.CharField(_("title"), max_length=500)
    challenge = models.TextField(_("challenge addressed"), blank=True)
    solution = models.TextField(_("proposed solution"), blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
    remarks = models.TextField(
        _("secretariat remarks"),
        blank=True,
        help_text=_("The secretariat's current remark, as reported to the committees."),
    )
    lead_institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="led_commitments",
        verbose_name=_("lead institution"),
    )
    supporting_institutions = models.ManyToManyField(
        Institution,
        blank=True,
        related_name="supported_commitments",
        verbose_name=_("supporting institutions"),
    )
    value_access_to_information = models.BooleanField(_("access to information"), default=False)
    value_civic_participation = models.BooleanField(_("civic participation"), default=False)
    value_public_accountability = models.BooleanField(_("public accountability"), default=False)
    value_technology_innovation = models.BooleanField(
        _("technology and innovation for transparency and accountability"), default=False
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    completion_override = models.CharField(
        _("completion level override"),
        max_length=20,
        choices=progress_method.CompletionLevel.choices,
        blank=True,
    )
    completion_override_justification = models.TextField(
        _("justification of the override"), blank=True
    )

    objects = models.Manager.from_queryset(CommitmentQuerySet)()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="commitment_number_unique_in_plan"
            ),
            models.UniqueConstraint(
                fields=["ogp_id"], condition=~Q(ogp_id=""), name="commitment_ogp_id_unique"
            ),
            models.CheckConstraint(
                condition=Q(completion_override="") | ~Q(completion_override_justification=""),
                name="commitment_override_needs_justification",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("commitments:detail", args=[self.plan.code, self.number])

    def clean(self) -> None:
        errors = {}
        if self.axis is not None and self.plan_id and self.axis.plan_id != self.plan_id:
            errors["axis"] = _("The axis belongs to another plan.")
        if self.completion_override and not self.completion_override_justification.strip():
            errors["completion_override_justification"] = _(
                "Explain why the completion level is overridden."
            )
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The commitment cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    OGP_VALUE_FIELDS = (
        "value_access_to_information",
        "value_civic_participation",
        "value_public_accountability",
        "value_technology_innovation",
    )

    @property
    def ogp_values(self) -> list[str]:
        """Stable keys of the commitment's OGP values, e.g. ["access_to_information"]."""
        return [
            name.removeprefix("value_") for name in self.OGP_VALUE_FIELDS if getattr(self, name)
        ]

    @property
    def ogp_value_labels(self) -> list[str]:
        return [verbose_name(self, f"value_{key}") for key in self.ogp_values]

    # The progress method (commitments/progress.py) applied to this commitment. These read the
    # prefetched activities when the queryset used with_progress_data(), and query otherwise.

    def _activities(self) -> Iterable[Activity]:
        if "activities" in getattr(self, "_prefetched_objects_cache", {}):
            return self.activities.all()
        return Activity.objects.filter(commitment=self).with_update_data()

    @property
    def progress(self) -> Decimal:
        return progress_method.weighted_progress(
            (activity.weight, activity.progress) for activity in self._activities()
        )

    @property
    def has_evidence(self) -> bool:
        return any(activity.has_evidence for activity in self._activities())

    @property
    def computed_completion_level(self) -> str:
        return progress_method.completion_level(
            self.progress, has_evidence=self.has_evidence, thresholds=self.plan.thresholds
        )

    @property
    def completion_level(self) -> str:
        return self.completion_override or self.computed_completion_level

    def get_completion_level_display(self) -> str:
        return str(progress_method.CompletionLevel(self.completion_level).label)

    @property
    def last_update_at(self) -> datetime.datetime | None:
        times = [a.last_update_at for a in self._activities() if a.last_update_at]
        return max(times, default=None)

    def days_since_update(self, today: datetime.date | None = None) -> int | None:
        return progress_method.days_since(self.last_update_at, today=today)

    def is_stale(self, today: datetime.date | None = None) -> bool:
        return progress_method.is_stale(
            self.last_update_at, threshold_days=self.plan.staleness_threshold_days, today=today
        )


def evidenced_update(prefix: str = "") -> Q:
    """What gives an activity evidence: a validated update with evidence attached, or recorded
    from committee minutes (which evidence it); ``prefix`` is the path to the update, e.g.
    ``"updates__"`` from an activity."""
    return Q(**{f"{prefix}state": ProgressUpdate.State.VALIDATED}) & (
        Q(**{f"{prefix}evidence__isnull": False})
        | Q(**{f"{prefix}source": ProgressUpdate.Source.MEETING})
    )


class ActivityQuerySet(models.QuerySet):
    def search(self, query: str) -> ActivityQuerySet:
        """The activities where ``query`` is found, in any language, best matches first."""
        found = text_search.search(self, query, ACTIVITY_FIELDS)
        return found.order_by("search_rank", "commitment_id", "position")

    def incoherent(self) -> ActivityQuerySet:
        """Activities whose status and progress contradict each other (Activity.status_errors),
        recorded before the rule held: listed for the secretariat, never changed silently."""
        status = Activity.Status
        return self.filter(
            Q(status=status.NOT_STARTED, progress__gt=0)
            | Q(status=status.IN_PROGRESS, progress=0)
            | (Q(status=status.COMPLETED) & ~Q(progress=100))
            | (Q(progress=100) & ~Q(status=status.COMPLETED))
        )

    def with_update_data(self) -> ActivityQuerySet:
        """Annotate the last update's time and the count of validated updates with evidence;
        a figure recorded from committee minutes is evidenced by those minutes."""
        return self.annotate(
            last_update_at=models.Max("updates__created_at"),
            evidenced_updates=models.Count("updates", filter=evidenced_update("updates__")),
        )

    def with_reported_progress(self) -> ActivityQuerySet:
        """Annotate what the focal points report (their latest update, validated or not) and
        how many updates await validation."""
        latest = ProgressUpdate.objects.filter(
            activity=models.OuterRef("pk"),
            state__in=[ProgressUpdate.State.SUBMITTED, ProgressUpdate.State.VALIDATED],
        ).order_by("-created_at", "-pk")
        return self.annotate(
            reported_progress=models.Subquery(latest.values("new_progress")[:1]),
            pending_updates=models.Count(
                "updates", filter=Q(updates__state=ProgressUpdate.State.SUBMITTED), distinct=True
            ),
        )


class Activity(ChecksInOneQuery, models.Model):
    """An activity or milestone (activité, jalon) of a commitment, with its own progress."""

    history: Any  # django-simple-history, registered in translation.py

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        BLOCKED = "blocked", _("Blocked")
        COMPLETED = "completed", _("Completed")

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("commitment"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=8,
        decimal_places=3,
        default=Decimal(1),
        validators=[MinValueValidator(0)],
        help_text=_("Relative weight in the commitment's progress; weights are normalised."),
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    blocked_reason = models.TextField(_("reason for the blockage"), blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        default=0,
        validators=PERCENT_VALIDATORS,
        help_text=_("The latest validated update; change it by recording an update."),
    )
    # Optimistic locking: bumped by every recorded update, so two people editing the same
    # activity at once cannot overwrite each other silently.
    version = IntegerVersionField(verbose_name=_("version"), help_text=_("record revision number"))

    objects = models.Manager.from_queryset(ActivityQuerySet)()

    # Set by ActivityQuerySet.with_update_data() and .with_reported_progress().
    last_update_at: datetime.datetime | None
    evidenced_updates: int
    reported_progress: int | None
    pending_updates: int

    class Meta:
        ordering = ["commitment", "position", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="activity_progress_between_0_and_100",
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="activity_weight_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="blocked") | ~Q(blocked_reason=""),
                name="activity_blocked_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        commitment = self.commitment
        return reverse(
            "commitments:activity_detail", args=[commitment.plan.code, commitment.number, self.pk]
        )

    @classmethod
    def status_errors(
        cls, progress: int, status: str, blocked_reason: str = ""
    ) -> dict[str, StrOrPromise]:
        """What is wrong when a status and a progress are recorded together, by field; empty
        when they agree. One rule for every road (page, API, import, meeting, admin): not
        started is 0 %, 0 % is not under way, completed is 100 % and 100 % is completed, and a
        blocked activity says why."""
        errors: dict[str, StrOrPromise] = {}
        if status == cls.Status.NOT_STARTED and progress > 0:
            errors["status"] = _(
                "An activity that has not started is at 0 %: choose another status or set the "
                "progress to 0 %."
            )
        elif status == cls.Status.IN_PROGRESS and progress == 0:
            errors["status"] = _(
                "At 0 % the activity has not started: choose “Not started” or give its progress."
            )
        elif status == cls.Status.COMPLETED and progress < 100:
            errors["status"] = _("A completed activity is at 100 %.")
        elif progress >= 100 and status != cls.Status.COMPLETED:
            errors["status"] = _(
                "At 100 % the activity is completed: choose “Completed” or lower the progress."
            )
        if status == cls.Status.BLOCKED and not blocked_reason.strip():
            errors["blocked_reason"] = _("Say why the activity is blocked.")
        return errors

    def clean(self) -> None:
        errors = self.status_errors(self.progress, self.status, self.blocked_reason)
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned end is before the planned start.")
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("The actual end is before the actual start.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_evidence(self) -> bool:
        """An validated update carries evidence (see ActivityQuerySet.with_update_data)."""
        annotated = self
        if not hasattr(self, "evidenced_updates"):
            annotated = Activity.objects.with_update_data().get(pk=self.pk)
        return annotated.evidenced_updates > 0

    def apply_validated_update(self, update: ProgressUpdate) -> None:
        """Make a validated update the activity's current state."""
        self.progress = update.new_progress
        self.status = update.new_status
        reason = translations_of(update, "blocked_reason")
        for name, value in reason.items():
            setattr(self, name, value)
        self.save(update_fields=["progress", "status", "blocked_reason", *reason, "version"])

    def needs_evidence_for(self, new_progress: int, new_status: str) -> bool:
        """Marking an activity complete needs evidence attached to that update; an activity
        already complete needs none to be updated again."""
        completing = new_progress >= 100 or new_status == self.Status.COMPLETED
        already_complete = self.status == self.Status.COMPLETED and self.progress >= 100
        return completing and not already_complete


class FocalPointAssignmentQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> FocalPointAssignmentQuerySet:
        return self.filter(in_force(on))

    def ended(self, on: datetime.date | None = None) -> FocalPointAssignmentQuerySet:
        """Terms that ended before the day ``on`` (today)."""
        return self.filter(end_date__lt=on or timezone.localdate())


class FocalPointAssignment(models.Model):
    """A person's term as focal point (point focal) of a commitment, titular or alternate."""

    history: Any  # django-simple-history, registered in translation.py

    class Role(models.TextChoices):
        TITULAR = "titular", _("Titular")
        ALTERNATE = "alternate", _("Alternate")

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="focal_point_assignments",
        verbose_name=_("commitment"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="focal_point_assignments",
        verbose_name=_("user"),
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="focal_point_assignments",
        null=True,
        blank=True,
        help_text=_("The institution the focal point represents; shown publicly."),
        verbose_name=_("institution"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.TITULAR)
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    name_published = models.BooleanField(
        _("name shown publicly"),
        default=False,
        help_text=_(
            "Show the person's name, with their role, on the commitment's public page, as "
            "published minutes name them. Off: only the role and the institution are shown."
        ),
    )

    objects = models.Manager.from_queryset(FocalPointAssignmentQuerySet)()

    class Meta:
        ordering = ["commitment", "role", "-start_date"]
        verbose_name = _("focal point assignment")
        verbose_name_plural = _("focal point assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="assignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.commitment} ({self.get_role_display()})"

    @property
    def role_label(self) -> str:
        """ "Titulaire", "Suppléante": the role in the focal point's form, which the person's
        profile (notifications.Profile.gender) gives."""
        profile = getattr(self.user, "notification_profile", None)
        return wording.seat(self.role, getattr(profile, "gender", ""))

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The assignment cannot end before it starts.")})

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)

    @property
    def public_name(self) -> str:
        """The person's name, when it may be shown publicly (``name_published``); else ""."""
        return self.user.get_full_name() if self.name_published else ""

    @property
    def public_label(self) -> str:
        """ "Houda BOUIHI, Titulaire" where the name is published, else "Titulaire"."""
        return join_list(part for part in (self.public_name, self.role_label) if part)


class ProgressUpdateQuerySet(models.QuerySet):
    def validated(self) -> ProgressUpdateQuerySet:
        return self.filter(state=ProgressUpdate.State.VALIDATED)

    def pending(self) -> ProgressUpdateQuerySet:
        return self.filter(state=ProgressUpdate.State.SUBMITTED)

    def evidenced(self) -> ProgressUpdateQuerySet:
        """The updates that give an activity evidence (``evidenced_update``)."""
        return self.filter(evidenced_update())

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> ProgressUpdateQuerySet:
        """Validated updates are public; the others are seen by the commitment's current focal
        points and by the secretariat."""
        if is_secretariat(user):
            return self
        if not user.is_authenticated:
            return self.validated()
        held = Commitment.objects.held_by(user).values("pk")
        return self.filter(
            Q(state=ProgressUpdate.State.VALIDATED) | Q(activity__commitment__in=held)
        )


class ProgressUpdate(ChecksInOneQuery, models.Model):
    """One recorded change of an activity's progress; append-only, nothing is overwritten."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting validation")
        VALIDATED = "validated", _("Validated")
        RETURNED = "returned", _("Returned")
        SUPERSEDED = "superseded", _("Replaced by a later update")

    class Source(models.TextChoices):
        WEB = "web", _("Web form")
        API = "api", _("API")
        MEETING = "meeting", _("Committee meeting")
        IMPORT = "import", _("Import")

    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="updates", verbose_name=_("activity")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="progress_updates",
        null=True,
        blank=True,
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, db_index=True)
    old_progress = models.PositiveSmallIntegerField(
        _("previous progress (%)"), validators=PERCENT_VALIDATORS
    )
    new_progress = models.PositiveSmallIntegerField(
        _("new progress (%)"), validators=PERCENT_VALIDATORS
    )
    old_status = models.CharField(_("previous status"), max_length=20, choices=Activity.Status)
    new_status = models.CharField(_("new status"), max_length=20, choices=Activity.Status)
    blocked_reason = models.TextField(_("reason for the blockage"), blank=True)
    narrative = models.TextField(
        _("narrative"), blank=True, help_text=_("What was done, difficulties, next steps.")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SUBMITTED
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_reference = models.CharField(
        _("source reference"),
        max_length=255,
        blank=True,
        help_text=_("E.g. the meeting whose minutes record this figure."),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reviewed_updates",
        null=True,
        blank=True,
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    objects = models.Manager.from_queryset(ProgressUpdateQuerySet)()

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        # What a plan's figures read of an activity's updates (CommitmentQuerySet.with_figures),
        # from the index alone: the last one's time, and whether a validated one is evidenced.
        indexes = [
            models.Index(
                fields=["activity", "state", "source", "created_at"], name="update_figures"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(old_progress__gte=0)
                & Q(old_progress__lte=100)
                & Q(new_progress__gte=0)
                & Q(new_progress__lte=100),
                name="update_progress_between_0_and_100",
            ),
            models.CheckConstraint(
                condition=~Q(new_status="blocked") | ~Q(blocked_reason=""),
                name="update_blocked_needs_reason",
            ),
            # At most one update waits for validation per activity (see progress_update_record).
            models.UniqueConstraint(
                fields=["activity"],
                condition=Q(state="submitted"),
                name="update_one_waiting_per_activity",
            ),
        ]

    def __str__(self) -> str:
        old, new = percent(self.old_progress), percent(self.new_progress)
        return f"{label(self.activity)} {old} → {new}"

    # A figure decided in a meeting names the meeting as ``meeting:<pk>``, in no language.
    MEETING_REFERENCE = "meeting:{pk}"

    @classmethod
    def meeting_reference(cls, meeting_pk: int) -> str:
        return cls.MEETING_REFERENCE.format(pk=meeting_pk)

    @staticmethod
    def meeting_pk_from_reference(reference: str) -> int | None:
        kind, _sep, pk = reference.partition(":")
        return positive_int(pk) if kind == "meeting" else None

    @property
    def source_meeting_id(self) -> int | None:
        """The meeting whose decision this update records, when its reference names one."""
        return self.meeting_pk_from_reference(getattr(self, "source_reference_fr", "") or "")

    @property
    def changes_figure(self) -> bool:
        """Whether the update moved the activity's progress or status; one that did not (a
        meeting that found 0 % again) confirms the figure and is shown as such."""
        return (self.old_progress, self.old_status) != (self.new_progress, self.new_status)

    @property
    def figure_changed_since_submission(self) -> bool:
        """Whether the activity's current figure is no longer the one the update started from:
        validating it would replace a figure its author did not see."""
        return (self.activity.progress, self.activity.status) != (
            self.old_progress,
            self.old_status,
        )

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Progress updates are never deleted."))


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> EvidenceQuerySet:
        """The evidence of the updates ``user`` may see."""
        return self.filter(update__in=ProgressUpdate.objects.visible_to(user))


class Evidence(models.Model):
    """A link or document supporting a progress update."""

    update = models.ForeignKey(
        ProgressUpdate,
        on_delete=models.PROTECT,
        related_name="evidence",
        verbose_name=_("progress update"),
    )
    title = models.CharField(_("title"), max_length=255)
    url = models.URLField(_("link"), blank=True, max_length=1000)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", blank=True)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    objects = models.Manager.from_queryset(EvidenceQuerySet)()

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file=""), name="evidence_has_link_or_file"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class StalenessReminder(models.Model):
    """A reminder told to a stale commitment's focal points (a notification), so that it is not
    repeated within the staleness period."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("commitment")
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    recipients = models.TextField(_("recipients"))
    days_since_update = models.PositiveIntegerField(_("days since the last update"), null=True)

    class Meta:
        ordering = ["-sent_at"]
        get_latest_by = "sent_at"
        verbose_name = _("staleness reminder")
        verbose_name_plural = _("staleness reminders")

    def __str__(self) -> str:
        return f"{self.commitment} – {self.sent_at:%Y-%m-%d}"


class Escalation(models.Model):
    """A commitment still stale some days after its focal points were reminded, told to the
    secretariat (and to its lead institution's contact) in the week's digest; once per
    reminder."""

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="escalations",
        verbose_name=_("commitment"),
    )
    reminder = models.OneToOneField(
        StalenessReminder,
        on_delete=models.CASCADE,
        related_name="escalation",
        verbose_name=_("reminder"),
    )
    sent_on = models.DateField(_("escalated on"), db_index=True)
    week = models.CharField(_("week"), max_length=8, help_text=_("ISO week, e.g. 2024-W05."))
    days_since_update = models.PositiveIntegerField(_("days since the last update"), null=True)
    institution_contact = models.EmailField(
        _("lead institution's contact told"), blank=True, help_text=_("Empty: none.")
    )

    class Meta:
        ordering = ["-sent_on", "-pk"]
        get_latest_by = "sent_on"
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")

    def __str__(self) -> str:
        return f"{self.commitment} – {self.week}"


class ProgressDay(models.Model):
    """A plan's (or one of its axes') progress at the end of a day on which a validated update
    took effect: the series the progress chart reads, kept by commitments.progress_history."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="progress_days", verbose_name=_("action plan")
    )
    axis = models.ForeignKey(
        Axis,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="progress_days",
        verbose_name=_("axis"),
    )
    day = models.DateField(_("day"))
    progress = models.DecimalField(_("progress (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["plan", "axis", "day"]
        verbose_name = _("day of progress")
        verbose_name_plural = _("days of progress")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "day"],
                condition=Q(axis__isnull=True),
                name="progress_day_unique_for_plan",
            ),
            models.UniqueConstraint(
                fields=["plan", "axis", "day"],
                condition=Q(axis__isnull=False),
                name="progress_day_unique_for_axis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.progress} %"


# What the IRM (Independent Reporting Mechanism) says of a commitment: OGP's own scales.
IRM_COMPLETION_CHOICES = [
    (value, label)
    for value, label in progress_method.CompletionLevel.choices
    if value != progress_method.CompletionLevel.NO_EVIDENCE
]
STAR_COMPLETION = (
    progress_method.CompletionLevel.SUBSTANTIAL,
    progress_method.CompletionLevel.COMPLETE,
)


class IrmAssessment(models.Model):
    """The IRM's assessment of a commitment, which its self-assessment is read against."""

    history: Any  # django-simple-history, registered in translation.py

    class PotentialImpact(models.TextChoices):
        NONE = "none", pgettext_lazy("potential impact", "None")
        MINOR = "minor", _("Minor")
        MODERATE = "moderate", _("Moderate")
        TRANSFORMATIVE = "transformative", _("Transformative")

    class OpenedGovernment(models.TextChoices):
        """OGP's "did it open government?" scale."""

        WORSENED = "worsened", _("Worsened")
        DID_NOT_CHANGE = "did_not_change", _("Did not change")
        MARGINAL = "marginal", _("Marginal")
        MAJOR = "major", _("Major")
        OUTSTANDING = "outstanding", _("Outstanding")

    commitment = models.OneToOneField(
        Commitment,
        on_delete=models.CASCADE,
        related_name="irm_assessment",
        verbose_name=_("commitment"),
    )
    report_title = models.CharField(
        _("IRM report"), max_length=255, help_text=_("E.g. IRM Results Report 2021-2023.")
    )
    report_url = models.URLField(_("link to the IRM report"), max_length=1000, blank=True)
    report_date = models.DateField(_("date of the IRM report"))
    verifiable = models.BooleanField(_("verifiable"), default=False)
    relevant_access_to_information = models.BooleanField(_("access to information"), default=False)
    relevant_civic_participation = models.BooleanField(_("civic participation"), default=False)
    relevant_public_accountability = models.BooleanField(_("public accountability"), default=False)
    relevant_technology_innovation = models.BooleanField(
        _("technology and innovation for transparency and accountability"), default=False
    )
    potential_impact = models.CharField(
        _("potential impact"),
        max_length=20,
        choices=PotentialImpact.choices,
        blank=True,
        help_text=_("Empty: not assessed."),
    )
    completion = models.CharField(
        _("completion"),
        max_length=20,
        choices=IRM_COMPLETION_CHOICES,
        blank=True,
        help_text=_("Empty: not assessed yet (a design report gives none)."),
    )
    opened_government = models.CharField(
        _("did it open government?"),
        max_length=20,
        choices=OpenedGovernment.choices,
        blank=True,
        help_text=_("Empty: not assessed yet."),
    )
    starred = models.BooleanField(
        _("starred commitment"),
        default=False,
        help_text=_(
            "OGP stars a commitment that is verifiable, relevant to an OGP value, of "
            "transformative potential impact and substantially or fully completed."
        ),
    )
    note = models.TextField(_("note"), blank=True)

    RELEVANT_FIELDS = (
        "relevant_access_to_information",
        "relevant_civic_participation",
        "relevant_public_accountability",
        "relevant_technology_innovation",
    )

    class Meta:
        ordering = ["commitment"]
        verbose_name = _("IRM assessment")
        verbose_name_plural = _("IRM assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(starred=False)
                | (
                    Q(verifiable=True)
                    & Q(potential_impact="transformative")
                    & Q(completion__in=STAR_COMPLETION)
                    & (
                        Q(relevant_access_to_information=True)
                        | Q(relevant_civic_participation=True)
                        | Q(relevant_public_accountability=True)
                        | Q(relevant_technology_innovation=True)
                    )
                ),
                name="irm_star_meets_ogp_criteria",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} – {self.report_title}"

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.report_date and self.report_date > timezone.localdate():
            errors["report_date"] = _("The IRM report cannot be dated in the future.")
        if self.starred and not self.meets_star_criteria:
            errors["starred"] = _(
                "Only a verifiable commitment, relevant to an OGP value, of transformative "
                "potential impact and with substantial or complete completion can be starred."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def meets_star_criteria(self) -> bool:
        return (
            self.verifiable
            and bool(self.relevant_values)
            and self.potential_impact == self.PotentialImpact.TRANSFORMATIVE
            and self.completion in STAR_COMPLETION
        )

    @property
    def relevant_values(self) -> list[str]:
        """Stable keys of the OGP values the IRM finds relevant, as ``Commitment.ogp_values``."""
        return [
            name.removeprefix("relevant_") for name in self.RELEVANT_FIELDS if getattr(self, name)
        ]

    @property
    def relevant_value_labels(self) -> list[str]:
        return [verbose_name(self, f"relevant_{key}") for key in self.relevant_values]
