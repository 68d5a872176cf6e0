from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.models import Commitment, Institution, Plan
from commitments.roles import User
from meetings.models import Timeline
from ogp_portal import search as text_search
from ogp_portal.constraints import ChecksInOneQuery
from ogp_portal.grammar import label
from ogp_portal.i18n import LANGUAGE_CHOICES

PROPOSAL_SEARCH_FIELDS = [
    text_search.Field("title", _("title"), "title", translated=False, exact_first=True),
    text_search.Field("description", _("description"), "description", translated=False),
    text_search.Field("response", _("reasoned response"), "response"),
]


class ProcessQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ProcessQuerySet:
        """The public processes; the secretariat's unpublished ones too."""
        if user.has_perm("cocreation.manage"):
            return self
        return self.filter(is_public=True)


class Process(models.Model):
    """The co-creation of one national action plan."""

    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="co_creation_processes",
        verbose_name=_("plan co-created"),
        help_text=_("The draft plan whose commitments come out of this co-creation."),
    )
    timeline = models.ForeignKey(
        Timeline,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="co_creation_processes",
        verbose_name=_("timeline"),
    )
    accepts_proposals = models.BooleanField(_("accepts proposals online"), default=False)
    is_public = models.BooleanField(_("public"), default=True)
    # Earlier co-creations known only by their totals (the 2020 minutes: 804 participants, 10
    # events, 232 proposals), without the individual proposals.
    reported_participants = models.PositiveIntegerField(
        _("participants reported"), null=True, blank=True
    )
    reported_events = models.PositiveIntegerField(_("events reported"), null=True, blank=True)
    reported_proposals = models.PositiveIntegerField(_("proposals reported"), null=True, blank=True)
    reported_source = models.CharField(
        _("source of the reported figures"), max_length=255, blank=True
    )

    history: Any

    objects = models.Manager.from_queryset(ProcessQuerySet)()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("co-creation process")
        verbose_name_plural = _("co-creation processes")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cocreation:process", args=[self.pk])

    @property
    def has_reported_figures(self) -> bool:
        """Whether any total is reported; 0 is a reported figure, None is not."""
        return any(
            value is not None
            for value in (
                self.reported_participants,
                self.reported_proposals,
                self.reported_events,
            )
        )


class Theme(models.Model):
    """A theme (or axis) proposed for the new plan, under which proposals are filed."""

    process = models.ForeignKey(
        Process,
        on_delete=models.CASCADE,
        related_name="themes",
        verbose_name=_("co-creation process"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("title"), max_length=255)

    class Meta:
        ordering = ["process", "position", "pk"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.title


class Event(models.Model):
    """A co-creation event (workshop, consultation), in person or online."""

    process = models.ForeignKey(
        Process,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("co-creation process"),
    )
    title = models.CharField(_("title"), max_length=255)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    online = models.BooleanField(_("online"), default=False)
    participants = models.PositiveIntegerField(_("number of participants"), default=0)
    notes = models.TextField(_("notes"), blank=True)

    history: Any

    class Meta:
        ordering = ["process", "date", "pk"]
        verbose_name = _("co-creation event")
        verbose_name_plural = _("co-creation events")

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"


class ProposalQuerySet(models.QuerySet):
    def search(self, query: str) -> ProposalQuerySet:
        """The proposals where ``query`` is found, best matches first."""
        found = text_search.search(self, query, PROPOSAL_SEARCH_FIELDS)
        return found.order_by("search_rank", "-submitted_at")

    def published(self) -> ProposalQuerySet:
        return self.filter(moderation=Proposal.Moderation.PUBLISHED)

    def visible_to(self, user: User) -> ProposalQuerySet:
        """Every proposal for the secretariat; for everyone else, the published proposals of
        public processes."""
        if user.has_perm("cocreation.manage"):
            return self
        return self.published().filter(process__is_public=True)


class Proposal(ChecksInOneQuery, models.Model):
    """An idea for the new plan, sent online or collected at an event."""

    class Source(models.TextChoices):
        ONLINE = "online", _("Online form")
        EVENT = "event", _("Co-creation event")
        OTHER = "other", _("Other (mail, e-mail, meeting)")

    class Moderation(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Not published")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        RETAINED = "retained", _("Retained")
        MERGED = "merged", _("Merged into another proposal")
        OUT_OF_SCOPE = "out_of_scope", _("Out of scope")

    process = models.ForeignKey(
        Process,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("co-creation process"),
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.ONLINE
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("event"),
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"))
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("theme or axis"),
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="co_creation_proposals",
        verbose_name=_("institution concerned"),
    )
    author_name = models.CharField(_("name"), max_length=200, blank=True)
    author_organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail for follow-up"), blank=True)
    consent = models.BooleanField(_("consent"), default=False)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=LANGUAGE_CHOICES,
        blank=True,
        help_text=_("The language of the page it was sent from: its author's e-mails use it."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    # SHA-256 of the sender's address and the secret key: enough to limit the rate, not to
    # identify anyone.
    sender_hash = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name=_("sender's fingerprint")
    )
    moderation = models.CharField(
        _("moderation"), max_length=20, choices=Moderation.choices, default=Moderation.PENDING
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_proposals",
        verbose_name=_("merged into"),
    )
    response = models.TextField(
        _("reasoned response"),
        blank=True,
        help_text=_("Published with the proposal: why it was retained, merged or set aside."),
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responded by"),
    )
    draft_commitment = models.ForeignKey(
        Commitment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("draft commitment"),
    )

    objects = models.Manager.from_queryset(ProposalQuerySet)()
    history: Any

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="proposal_merged_says_into_which",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=F("pk")),
                name="proposal_not_merged_into_itself",
            ),
            models.CheckConstraint(
                condition=~Q(source="online") | Q(consent=True),
                name="proposal_online_has_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cocreation:proposal", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.moderation == self.Moderation.PUBLISHED


class InstitutionAnswer(models.Model):
    """What an institution answers about a proposal addressed to it."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="answers", verbose_name=_("proposal")
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="co_creation_answers",
        verbose_name=_("institution"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("answer"))
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    history: Any

    class Meta:
        ordering = ["proposal", "answered_at"]
        verbose_name = _("institution's answer")
        verbose_name_plural = _("institutions' answers")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "institution"], name="one_answer_per_institution"
            )
        ]

    def __str__(self) -> str:
        return f"{label(self.institution)} {self.text[:60]}"


class Score(models.Model):
    """A committee member's priority score for a retained proposal (1 low – 5 high)."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="scores", verbose_name=_("proposal")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    scored_at = models.DateTimeField(_("scored at"), default=timezone.now)

    class Meta:
        verbose_name = _("priority score")
        verbose_name_plural = _("priority scores")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_score_per_member"),
            models.CheckConstraint(
                condition=Q(value__gte=1) & Q(value__lte=5), name="score_between_1_and_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{label(self.proposal)} {self.value}"
