import functools

from celery import chord, shared_task
from django.utils import timezone

from documents.engine import TASK_OPTIONS, Heartbeat
from documents.models import GeneratedDocument
from documents.parts import PartStore

from . import services
from .generation import PARTS_PER_TASK, REPORT, finish_report
from .layout import owner
from .models import ReportVersion


@shared_task(name="reports.generate_report_version", **TASK_OPTIONS)
def generate_report_version(version_id: int) -> str | None:
    """Generate one version of a report; a second delivery of the same message does nothing."""
    version = REPORT.generate(version_id)
    return version.pdf.name if version else None


def send_parts(version: ReportVersion, htmls: list[str], front: str | None = None) -> None:
    """Hand the parts to the workers, ``PARTS_PER_TASK`` a task, and ``front``, the front
    matter on a guess, first, to a task of its own (while the others lay out the parts, it
    learns the front matter's page count); the last one done calls
    ``assemble_report_version``. Tied to this attempt: a version claimed again after its
    worker died starts another chord, and the tasks of this one stop."""
    attempt = version.attempts
    chunks = [htmls[i : i + PARTS_PER_TASK] for i in range(0, len(htmls), PARTS_PER_TASK)]
    header = [lay_out_report_parts.s(version.pk, attempt, chunk) for chunk in chunks]
    if front is not None:
        header.insert(0, lay_out_report_parts.s(version.pk, attempt, [front], role="front"))
    chord(header)(assemble_report_version.si(version.pk, attempt))


# Its result (how many parts it laid out) is what the chord waits for: stored, unlike the others.
@shared_task(name="reports.lay_out_report_parts", **{**TASK_OPTIONS, "ignore_result": False})
def lay_out_report_parts(version_id: int, attempt: int, htmls: list[str], role: str = "") -> int:
    """Lay out and keep some parts of a report version being generated; how many. The parts
    of a ``role`` (the front matter) are not among those the bar counts. A failure fails the
    version (the chord's callback then never runs)."""
    running = ReportVersion.objects.filter(
        pk=version_id, status=GeneratedDocument.Status.RUNNING, attempts=attempt
    )
    version = running.first()
    if version is None:
        return 0  # that attempt is over
    store = PartStore(owner(version.report_id, version.language))
    done = 0
    try:
        with Heartbeat(version):
            for html in htmls:
                store.laid_out(html, role=role)
                done += 1
                if not role and not version.part_done(attempt):
                    break
    except BaseException as error:
        running.update(
            status=GeneratedDocument.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}",
        )
        raise
    return done


def send_last_parts(version: ReportVersion, front: str, footers: str) -> None:
    """The front matter and the footers, to two tasks side by side; the last one done calls
    ``assemble_report_version`` again, to assemble."""
    attempt = version.attempts
    header = [
        lay_out_report_parts.s(version.pk, attempt, [front], role="front"),
        lay_out_report_parts.s(version.pk, attempt, [footers], role="footers"),
    ]
    chord(header)(assemble_report_version.si(version.pk, attempt, last=True))


@shared_task(name="reports.assemble_report_version", **TASK_OPTIONS)
def assemble_report_version(version_id: int, attempt: int, last: bool = False) -> str | None:
    """The chord's callback: the front matter and the footers (handed on to two tasks, unless
    ``last``: their chord's callback), the assembly, the file."""
    version = REPORT.finish(version_id, attempt, functools.partial(finish_report, share=not last))
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
