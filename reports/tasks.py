from celery import shared_task

from ogp_portal.generation import TASK_OPTIONS

from . import services


@shared_task(name="reports.generate_report_version", **TASK_OPTIONS)
def generate_report_version(version_id: int) -> str | None:
    """Generate one version of a report; a second delivery of the same message does nothing."""
    version = services.report_version_generate(version_id=version_id)
    return version.pdf.name if version else None


@shared_task(name="reports.recover_report_versions")
def recover_report_versions() -> list[int]:
    """Run by beat: send again the generations whose worker died or whose message was lost."""
    return services.report_versions_recover()
