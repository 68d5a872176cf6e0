"""What ``generate_report`` and ``generate_minutes`` share: generate one version synchronously,
as the worker would, and copy its PDF to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from ogp_portal.celery import app as celery_app

from .engine import Generation
from .models import GeneratedDocument


def generate_to_file(generation: Generation[Any], document: GeneratedDocument, out: Path) -> str:
    """Generate ``document`` (a new, pending version) and write its PDF to ``out``; the line to
    print. A failure is recorded on the version, like the worker's, and raised as CommandError."""
    # Synchronously whatever the settings: the tasks a generation hands its work to (the
    # report's chord of parts) run here, in this process, instead of going to the broker.
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        generation.generate(document.pk)
    except Exception as error:
        raise CommandError(f"Generation failed: {type(error).__name__}: {error}") from error
    finally:
        celery_app.conf.task_always_eager = eager
    document.refresh_from_db()
    if document.status != GeneratedDocument.Status.READY:
        raise CommandError(f"Generation failed: {document.error or document.get_status_display()}")
    out.parent.mkdir(parents=True, exist_ok=True)
    with document.pdf.open("rb") as pdf:
        out.write_bytes(pdf.read())
    same = " (same data as an earlier version)" if document.same_data_as_id else ""
    return f"{out}: {document.pages} pages, data {document.data_hash[:12]}{same}"
