"""The one write of the sending limits."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import SenderBucket

# The longest window a limit may count over. A bucket opened longer ago counts nothing whatever
# its window (``SenderBucket.take`` opens a new one), so the daily purge deletes it.
LONGEST_WINDOW = datetime.timedelta(days=1)


def sender_hash(sender: str) -> str:
    """A salted hash: the address itself is never stored."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{sender}".encode()).hexdigest()


@transaction.atomic
def sender_take(
    *,
    scope: str,
    sender: str,
    limit: int,
    window: datetime.timedelta = datetime.timedelta(hours=1),
    now: datetime.datetime | None = None,
) -> bool:
    """Count one message of ``scope`` from ``sender``; False when the limit is reached.

    The sender's bucket row stays locked until the caller's transaction ends, so simultaneous
    requests of one sender are counted one after the other, each seeing the ones before it
    (a count of the saved messages followed by an insert would let them all pass). Call it
    inside the transaction that saves the message: a message that fails is not counted."""
    if window > LONGEST_WINDOW:
        raise ValueError(f"A sending limit's window is at most {LONGEST_WINDOW}, not {window}.")
    now = now or timezone.now()
    bucket, _created = SenderBucket.objects.select_for_update().get_or_create(
        scope=scope, sender_hash=sender_hash(sender), defaults={"opened_at": now}
    )
    return bucket.take(limit=limit, window=window, now=now)


def purge_ended_buckets(now: datetime.datetime | None = None) -> int:
    """Delete the buckets opened more than LONGEST_WINDOW ago, whose windows have all ended: a
    sender's hash is kept only while it counts. The number deleted."""
    now = now or timezone.now()
    deleted, _by_model = SenderBucket.objects.filter(opened_at__lt=now - LONGEST_WINDOW).delete()
    return deleted
