"""What the reports app generates: the self-assessment report of a plan, one PDF per language,
from ``contexts.build_report_context``."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_noop

from documents.engine import Built, Generation, fingerprint
from documents.pdf import render_pdf

from .contexts import ReportContext, build_report_context, report_charts
from .models import Report, ReportVersion


def build_report(version: ReportVersion) -> Built:
    """The report from live data, in the active language (the version's)."""
    context = build_report_context(version.report, version.language, version.mark_progress)
    version.mark_progress(60, gettext_noop("Laying out the PDF"))
    pdf = render_pdf(
        "reports/report_pdf.html", {"report": context, "charts": report_charts(context)}
    )
    return Built(pdf=pdf, data_hash=content_fingerprint(context))


def content_fingerprint(context: ReportContext) -> str:
    """What a version records as its data: the content, less the generation time."""
    return fingerprint(context, leave_out=("generated_at",))


def current_fingerprint(report: Report, language: str) -> str:
    """The fingerprint a version of ``report`` in ``language`` generated now would have."""
    with translation.override(language):
        return content_fingerprint(build_report_context(report, language))


def ready_from_current_data(report: Report) -> list[ReportVersion]:
    """The report's ready versions that show the data as it is now, newest first: their
    fingerprint is that of the current content in their language, and their file is there
    (the validation pins one of them for publication)."""
    ready = list(report.versions.ready().order_by("-requested_at", "-pk"))
    current = {code: current_fingerprint(report, code) for code in {v.language for v in ready}}
    return [
        version
        for version in ready
        if version.data_hash == current[version.language] and not version.file_missing
    ]


REPORT = Generation(
    model=ReportVersion,
    parent="report",
    build=build_report,
    file_prefix="report",
    select_related=("report__plan",),
)
