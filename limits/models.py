from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class SenderBucket(models.Model):
    """How many messages of one kind one sender sent in the current window; the sender is known
    only by a salted hash of their address or account."""

    scope = models.CharField(_("kind of message"), max_length=50)
    sender_hash = models.CharField(_("sender (hashed)"), max_length=64)
    opened_at = models.DateTimeField(_("window opened at"))
    count = models.PositiveIntegerField(_("messages in the window"), default=0)

    class Meta:
        verbose_name = _("sender bucket")
        verbose_name_plural = _("sender buckets")
        constraints = [
            models.UniqueConstraint(fields=["scope", "sender_hash"], name="one_bucket_per_sender")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.sender_hash[:8]}: {self.count}"

    def take(self, *, limit: int, window: datetime.timedelta, now: datetime.datetime) -> bool:
        """Count one more message, unless ``limit`` were already sent in the window; a window
        opens with the first message after the previous one ended."""
        if self.opened_at <= now - window:
            self.opened_at, self.count = now, 0
        if self.count >= limit:
            return False
        self.count += 1
        self.save(update_fields=["opened_at", "count"])
        return True
