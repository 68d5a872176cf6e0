"""Tasks that belong to the portal as a whole rather than to one app."""

from celery import shared_task


@shared_task(name="ogp_portal.ping")
def ping(payload: str = "pong") -> str:
    """Answer with the payload: proves a message went through the broker to a worker and back."""
    return payload
