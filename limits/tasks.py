from celery import shared_task

from . import services


@shared_task(name="limits.purge_sender_buckets")
def purge_sender_buckets() -> int:
    """Daily (settings.CELERY_BEAT_SCHEDULE): the buckets that count nothing any more."""
    return services.purge_ended_buckets()
