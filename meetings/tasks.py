from celery import shared_task

from documents.engine import TASK_OPTIONS

from . import services
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


@shared_task(name="meetings.send_decision_reminders", ignore_result=True)
def send_decision_reminders() -> int:
    """Run daily by beat: remind the decisions due soon or overdue, each once per due date."""
    return len(services.decision_reminders_send())
