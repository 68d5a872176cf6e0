from celery import shared_task

from .services import escalations_send, staleness_reminders_send


@shared_task(name="commitments.send_staleness_reminders")
def send_staleness_reminders() -> int:
    """Run daily by beat: remind the focal points of stale commitments (a notification)."""
    return len(staleness_reminders_send())


@shared_task(name="commitments.send_escalations")
def send_escalations() -> int:
    """Run weekly by beat: the digest of commitments still stale after their reminder."""
    return len(escalations_send())
