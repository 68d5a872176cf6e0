"""The one write of the sending limits."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import SenderBucket


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
    now = now or timezone.now()
    bucket, _created = SenderBucket.objects.select_for_update().get_or_create(
        scope=scope, sender_hash=sender_hash(sender), defaults={"opened_at": now}
    )
    return bucket.take(limit=limit, window=window, now=now)
