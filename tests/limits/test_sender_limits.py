"""One bucket row per sender and kind of message: a window opened by the first message, a
count that a failed message does not raise, and the address never stored."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from limits.models import SenderBucket
from limits.services import sender_take

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def take(sender="192.0.2.1", scope="cocreation.proposal", limit=2, now=None):
    return sender_take(scope=scope, sender=sender, limit=limit, now=now)


def test_a_sender_gets_the_limit_per_window_then_a_new_window():
    start = timezone.now()
    assert [take(now=start), take(now=start), take(now=start)] == [True, True, False]
    assert take(now=start + HOUR - datetime.timedelta(seconds=1)) is False
    assert take(now=start + HOUR) is True  # the window opened by the first one is over
    assert SenderBucket.objects.get().count == 1


def test_senders_and_kinds_of_message_are_counted_apart():
    assert take(limit=1) is True
    assert take(limit=1) is False
    assert take(sender="198.51.100.7", limit=1) is True
    assert take(scope="reports.comment", limit=1) is True
    assert SenderBucket.objects.count() == 3


def test_a_message_that_fails_is_not_counted():
    with pytest.raises(RuntimeError), transaction.atomic():
        assert take(limit=1) is True
        raise RuntimeError("the message did not validate")
    assert take(limit=1) is True


def test_the_address_is_never_stored():
    take()
    bucket = SenderBucket.objects.get()
    assert "192.0.2.1" not in bucket.sender_hash and len(bucket.sender_hash) == 64
    assert "192.0.2.1" not in str(bucket)


def test_buckets_whose_window_has_ended_are_purged_daily(settings):
    """A bucket opened more than LONGEST_WINDOW ago counts nothing (its window has ended
    whatever its length), so it goes: the senders' hashes are not kept for ever."""
    from celery import current_app

    from limits.services import LONGEST_WINDOW
    from limits.tasks import purge_sender_buckets

    now = timezone.now()
    take(sender="192.0.2.1", now=now - LONGEST_WINDOW - datetime.timedelta(seconds=1))
    take(sender="192.0.2.2", now=now - LONGEST_WINDOW + datetime.timedelta(minutes=1))
    take(sender="192.0.2.3", now=now)
    assert purge_sender_buckets.delay().get() == 1
    assert SenderBucket.objects.count() == 2
    assert take(sender="192.0.2.1", limit=1, now=now) is True  # a new window, as before
    entry = settings.CELERY_BEAT_SCHEDULE["purge-sender-buckets"]
    assert entry["task"] == purge_sender_buckets.name and entry["task"] in current_app.tasks


def test_a_window_longer_than_the_purge_keeps_is_refused():
    from limits.services import LONGEST_WINDOW

    with pytest.raises(ValueError, match="window"):
        sender_take(
            scope="x", sender="192.0.2.1", limit=1, window=LONGEST_WINDOW + datetime.timedelta(1)
        )
