"""What the reports app generates: the self-assessment report of a plan, one PDF per language,
from ``contexts.build_report_context``."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from documents.engine import Built, Generation, fingerprint
from documents.pdf import render_pdf

from .contexts import build_report_context, report_charts
from .models import ReportVersion


def build_report(version: ReportVersion) -> Built:
    """The report from live data, in the active language (the version's)."""
    context = build_report_context(version.report, version.language, version.mark_progress)
    version.mark_progress(60, gettext_noop("Laying out the PDF"))
    pdf = render_pdf(
        "reports/report_pdf.html", {"report": context, "charts": report_charts(context)}
    )
    return Built(pdf=pdf, data_hash=fingerprint(context, leave_out=("generated_at",)))


REPORT = Generation(
    model=ReportVersion,
    parent="report",
    build=build_report,
    file_prefix="report",
    select_related=("report__plan",),
)
