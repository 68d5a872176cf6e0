"""What the reports app generates: the self-assessment report of a plan, one PDF per language,
from ``contexts.build_report_context``, laid out by parts (reports/layout.py).

The parts not kept from an earlier version are laid out by the workers in parallel: a Celery
chord of ``lay_out_report_parts`` tasks (``PARTS_PER_TASK`` each, and the front matter on a
guess when the report has none yet, to know its page count), whose callback,
``assemble_report_version``, hands the front matter and the footers (each needs the whole
body, neither the other) to two more tasks, whose callback assembles the PDF. A few missing
parts (one activity changed) are laid out by the task itself.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_noop

from documents.engine import Built, Generation, fingerprint
from documents.parts import PartStore, part_key

from .contexts import ReportContext, build_report_context
from .layout import (
    BodyPart,
    assembled_report,
    body_parts,
    guessed_front_html,
    last_parts_html,
    owner,
)
from .models import Report, ReportVersion

# The parts one task lays out (each of ten commitments, reports/layout.py): enough to make the
# message worth sending, few enough that two workers share a big report evenly (26 tasks for
# 500 commitments). More parts missing than this, and the workers share them.
PARTS_PER_TASK = 2


def build_report(version: ReportVersion) -> Built | None:
    """The report from live data, in the active language (the version's); None when its
    missing parts were handed to the workers (the chord's callback finishes it)."""
    context = build_report_context(version.report, version.language, version.mark_progress)
    store = PartStore(owner(version.report_id, version.language))
    body = body_parts(context)
    missing_keys = store.missing(part.key for part in body)
    missing = list({part.key: part for part in body if part.key in missing_keys}.values())
    if len(missing) > PARTS_PER_TASK:
        from .tasks import send_parts  # the tasks import this module

        version.start_parts(len(missing))
        front = None if store.last_pages("front") else guessed_front_html(context)
        send_parts(version, [part.html for part in missing], front)
        return None
    return _assembled(version, context, store, body, missing)


def finish_report(version: ReportVersion, share: bool = False) -> Built | None:
    """The chord's callback: the parts are laid out; the front matter and the PDF. The data
    are read again: a part whose data changed meanwhile is laid out by the assembly, the bar
    staying where the chord left it, so the PDF shows one state. With ``share`` (the callback
    of the parts' chord), when neither the front matter nor the footers are kept, they are
    handed to two tasks side by side, whose own callback assembles (None)."""
    context = build_report_context(version.report, version.language)
    store = PartStore(owner(version.report_id, version.language))
    body = body_parts(context)
    if share and not store.missing(part.key for part in body):
        front, footers = last_parts_html(context, store, body)
        if len(store.missing([part_key(front), part_key(footers)])) == 2:
            from .tasks import send_last_parts  # the tasks import this module

            send_last_parts(version, front, footers)
            return None
    return _assembled(version, context, store, body, [])


def _assembled(
    version: ReportVersion,
    context: ReportContext,
    store: PartStore,
    body: list[BodyPart],
    missing: list[BodyPart],
) -> Built:
    if missing:
        version.start_parts(len(missing))
        for part in missing:
            store.laid_out(part.html)
            version.part_done(version.attempts)
    version.mark_progress(90, gettext_noop("Assembling the PDF"))
    pdf = assembled_report(context, store, body)
    if version.started_at is not None:
        store.prune(keep=store.used, older_than=version.started_at)
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
