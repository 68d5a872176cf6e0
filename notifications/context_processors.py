from django.http import HttpRequest

from .models import Notification


def unread(request: HttpRequest) -> dict:
    """The number of unread notifications, for the header; counted only when a page uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    return {"unread_notifications": count}
