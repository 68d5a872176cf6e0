from celery import shared_task

from . import services


@shared_task(name="notifications.deliver")
def deliver_notifications(ids: list[int]) -> int:
    """Send these notifications, if due and not sent yet: a retried task sends nothing twice."""
    return services.deliver(ids=ids)


@shared_task(name="notifications.deliver_due")
def deliver_due_notifications() -> int:
    """Run every minute by beat: the digests that are due, and anything a lost message left."""
    return services.deliver()
