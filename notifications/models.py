from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ogp_portal.grammar import Gender
from ogp_portal.i18n import LANGUAGE_CHOICES


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("By e-mail at once")
    DAILY = "daily", _("In a daily digest")
    WEEKLY = "weekly", _("In a weekly digest")
    NONE = "none", _("In the site only, no e-mail")


class Profile(models.Model):
    """What the portal knows of how a person wants to be addressed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_profile",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language of e-mails"),
        max_length=10,
        choices=LANGUAGE_CHOICES,
        default=settings.LANGUAGE_CODE,
    )
    gender = models.CharField(
        _("grammatical gender"),
        max_length=10,
        choices=Gender.choices,
        blank=True,
        help_text=_(
            "The form of the words that name the person's role (a titular, an alternate); "
            "empty: the neutral word."
        ),
    )

    class Meta:
        verbose_name = _("notification profile")
        verbose_name_plural = _("notification profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"


class Preference(models.Model):
    """How a person receives one kind of notification; without a row, the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind of notification"), max_length=50)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} → {self.frequency}"


class FollowQuerySet(models.QuerySet):
    def active(self) -> FollowQuerySet:
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Follow(models.Model):
    """Someone, known only by an e-mail address, follows a plan or a commitment; it counts once
    they confirmed it through the link mailed to them (double opt-in)."""

    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("type of what is followed")
    )
    target_id = models.PositiveBigIntegerField(verbose_name=_("id of what is followed"))
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    objects = models.Manager.from_queryset(FollowQuerySet)()

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "target_type", "target_id"], name="one_follow_per_address"
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.target_type.model} {self.target_id}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class OptOut(models.Model):
    """An address without an account (a proposal's author) that asked to receive no more mail
    of one kind."""

    email = models.EmailField(_("e-mail address"))
    kind = models.CharField(_("kind of notification"), max_length=50)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)

    class Meta:
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-outs")
        constraints = [models.UniqueConstraint(fields=["email", "kind"], name="one_opt_out")]

    def __str__(self) -> str:
        return f"{self.email}: {self.kind}"


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def unsent(self) -> NotificationQuerySet:
        return (
            self.filter(sent_at__isnull=True).exclude(frequency=Frequency.NONE).exclude(address="")
        )


class Notification(models.Model):
    """One event told to one recipient: a person with an account (``user``), a follower
    (``follow``) or a bare address (a proposal's author). It is written with the event, in the
    same transaction, and sent later, in the recipient's language at that time; ``sent_at``
    and ``subject`` record what was sent to whom. ``key`` names the event, so that the same
    event never makes two rows for one recipient."""

    kind = models.CharField(_("kind"), max_length=50)
    key = models.CharField(_("event"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
        verbose_name=_("user"),
    )
    follow = models.ForeignKey(
        Follow,
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
        verbose_name=_("follow"),
    )
    address = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, verbose_name=_("type of the subject")
    )
    target_id = models.PositiveBigIntegerField(null=True, verbose_name=_("id of the subject"))
    target = GenericForeignKey("target_type", "target_id")
    data = models.JSONField(_("details"), default=dict, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    due_at = models.DateTimeField(_("to send at"), default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(_("being sent since"), null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, db_index=True, verbose_name=_("claimed by"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    subject = models.CharField(_("subject as sent"), max_length=255, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = models.Manager.from_queryset(NotificationQuerySet)()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "user"],
                condition=Q(user__isnull=False),
                name="one_notification_per_user_and_event",
            ),
            models.UniqueConstraint(
                fields=["key", "address"],
                condition=Q(user__isnull=True),
                name="one_notification_per_address_and_event",
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.key} → {self.user or self.address}"
