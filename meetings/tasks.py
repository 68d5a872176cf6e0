from celery import shared_task

from documents.engine import TASK_OPTIONS

from .generation import MINUTES


@shared_task(name="meetings.generate_minutes_version", **TASK_OPTIONS)
def generate_minutes_version(version_id: int) -> str | None:
    """Generate one version of the minutes; a second delivery of the message does nothing."""
    version = MINUTES.generate(version_id)
    return version.pdf.name if version else None


@shared_task(name="meetings.recover_minutes_versions", ignore_result=True)
def recover_minutes_versions() -> list[int]:
    """Run by beat: send again the generations whose worker died or whose message was lost."""
    return MINUTES.recover(generate_minutes_version.delay)
