from celery import shared_task

from documents.engine import TASK_OPTIONS

from . import services
from .generation import REPORT


@shared_task(name="reports.generate_report_version", **TASK_OPTIONS)
def generate_report_version(version_id: int) -> str | None:
    """Generate one version of a report; a second delivery of the same message does nothing."""
    version = REPORT.generate(version_id)
    return version.pdf.name if version else None


@shared_task(name="reports.recover_report_versions", ignore_result=True)
def recover_report_versions() -> list[int]:
    """Run by beat: send again the generations whose worker died or whose message was lost."""
    return REPORT.recover(generate_report_version.delay)


@shared_task(name="reports.send_sheet_reminders", ignore_result=True)
def send_sheet_reminders() -> int:
    """Run daily by beat: remind the sheets near their deadline, each once per deadline."""
    return len(services.sheet_reminders_send())


@shared_task(name="reports.announce_consultations", ignore_result=True)
def announce_consultations() -> int:
    """Run by beat: tell the followers of the consultations that opened, each once."""
    return len(services.consultation_announcements_send())
