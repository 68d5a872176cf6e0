"""What the meetings app generates: the minutes (relevé des conclusions) of a meeting, one PDF
per language, from ``contexts.build_minutes_context``."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from documents.engine import Built, Generation, fingerprint
from documents.pdf import render_pdf

from .contexts import build_minutes_context
from .models import MinutesVersion


def build_minutes(version: MinutesVersion) -> Built:
    context = build_minutes_context(version.meeting, version.language)
    version.mark_progress(50, gettext_noop("Laying out the PDF"))
    pdf = render_pdf("meetings/minutes_pdf.html", {"minutes": context})
    return Built(pdf=pdf, data_hash=fingerprint(context))


MINUTES = Generation(
    model=MinutesVersion,
    parent="meeting",
    build=build_minutes,
    file_prefix="minutes",
    select_related=("meeting__committee", "meeting__plan"),
)
