from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    name="meetings.generate_minutes_version",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=10 * 60,
    time_limit=11 * 60,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def generate_minutes_version(version_id: int) -> str | None:
    """Generate one version of the minutes; a second delivery of the message does nothing."""
    version = services.minutes_version_generate(version_id=version_id)
    return version.pdf.name if version else None


@shared_task(name="meetings.recover_minutes_versions")
def recover_minutes_versions() -> list[int]:
    """Run by beat: send again the generations whose worker died or whose message was lost."""
    return services.minutes_versions_recover()
