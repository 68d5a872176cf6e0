"""The life of a PDF made by a Celery task (report versions, minutes), whatever it is about.

A service creates the row PENDING and sends the task on commit; when the broker cannot be
reached the row stays PENDING, unsent, and says so. The task claims the row with a conditional
UPDATE, so a second delivery of the same message does nothing; builds the PDF inside the
document's language, its heartbeat written all along by a thread of its own; ends READY, or
FAILED with the error kept, and re-raises. A database hiccup puts the row back in the queue for
the task's retry; a row whose heartbeat stopped for longer than the lease (its worker was
killed) is stalled: the secretariat may retry it, and beat, every minute, puts it back in the
queue and sends the rows never sent and those whose message was lost.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import io
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, OperationalError, connections, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from kombu.exceptions import OperationalError as BrokerUnreachable
from pypdf import PdfReader

from .models import GeneratedDocument, heartbeat_interval, stalled_q

# A version handed to the broker and still waiting this long after is taken to have lost its
# message (a broker restarted without its data) and is sent again; a duplicate does nothing.
LOST_AFTER = datetime.timedelta(minutes=15)

logger = logging.getLogger(__name__)

Document = TypeVar("Document", bound=GeneratedDocument)

# The options of every generation task: acknowledged once done, so a worker that dies mid-way
# leaves the message for another; bounded in time; retried when the database hiccups. Its
# result is the row, so none is stored: sending never waits for a result backend.
TASK_OPTIONS: dict[str, Any] = {
    "ignore_result": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": 10 * 60,
    "time_limit": 11 * 60,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 3,
}


def fingerprint(content: Any, *, leave_out: tuple[str, ...] = ()) -> str:
    """The SHA-256 of a document's content (a dataclass), less the fields in ``leave_out`` (such
    as the generation time): two versions made from the same data have the same fingerprint."""
    data = dataclasses.asdict(content)
    for name in leave_out:
        data.pop(name)
    canonical = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Built:
    """What a build function returns: the PDF and the fingerprint of the data it shows."""

    pdf: bytes
    data_hash: str


@dataclass(frozen=True)
class Generation(Generic[Document]):
    """The generation of one kind of document: ``model`` rows, each a version of its ``parent``
    (the foreign key's name), made by ``build`` inside the row's language; a ``build`` that
    hands its work on to other tasks returns None, and the last of them calls ``finish``."""

    model: type[Document]
    parent: str
    build: Callable[[Document], Built | None]
    file_prefix: str
    select_related: tuple[str, ...] = ()

    def claim(self, document_id: int) -> bool:
        now = timezone.now()
        return bool(
            self.model.objects.filter(pk=document_id)
            .claimable()
            .update(
                status=GeneratedDocument.Status.RUNNING,
                started_at=now,
                heartbeat_at=now,
                attempts=F("attempts") + 1,
                progress=0,
                step="",
                error="",
            )
        )

    def generate(self, document_id: int) -> Document | None:
        """The document, finished unless its build went on in other tasks (it returned None:
        those finish it, see ``finish``); None when there was nothing to do (unknown id, or
        already claimed by another delivery)."""
        if not self.claim(document_id):
            return None
        document = self.model.objects.select_related(*self.select_related).get(pk=document_id)
        self._run(document, self.build, first_step=True)
        document.refresh_from_db()
        return document

    def finish(
        self, document_id: int, attempt: int, build: Callable[[Document], Built | None]
    ) -> Document | None:
        """Finish, with ``build``, a generation whose first task handed its work on (parts
        laid out by other tasks, say), unless ``build`` hands it on again (None); None when
        that attempt is over (done, failed, or claimed again after its worker died)."""
        document = (
            self.model.objects.select_related(*self.select_related)
            .filter(pk=document_id, status=GeneratedDocument.Status.RUNNING, attempts=attempt)
            .first()
        )
        if document is None:
            return None
        self._run(document, build)
        return document

    def _run(
        self,
        document: Document,
        build: Callable[[Document], Built | None],
        first_step: bool = False,
    ) -> None:
        try:
            with translation.override(document.language), Heartbeat(document):
                if first_step:
                    document.mark_progress(5, gettext_noop("Collecting the data"))
                built = build(document)
                if built is None:
                    return  # handed on
                document.mark_progress(95, gettext_noop("Saving the file"))
                self._save(document, built)
        except OperationalError:
            self.release(document)
            raise
        except BaseException as error:
            document.mark_failed(f"{type(error).__name__}: {error}")
            raise

    def _save(self, document: Document, built: Built) -> None:
        document.data_hash = built.data_hash
        document.save(update_fields=["data_hash"])
        parent_id = getattr(document, f"{self.parent}_id")
        name = f"{self.file_prefix}-{parent_id}-{document.language}-{document.pk}.pdf"
        document.pdf.save(name, ContentFile(built.pdf), save=False)
        pages = len(PdfReader(io.BytesIO(built.pdf)).pages)
        document.mark_ready(document.pdf.name, pages, self.same_data(document))

    def release(self, document: Document) -> None:
        """Back in the queue after a database hiccup, for the task's retry. If even this
        fails, the lease lets recover() send it again later."""
        with contextlib.suppress(OperationalError):
            self.model.objects.filter(pk=document.pk).update(
                status=GeneratedDocument.Status.PENDING
            )

    def same_data(self, document: Document) -> Document | None:
        """The earliest ready version of the same thing, in the same language, made from
        exactly the same data."""
        parent_id = getattr(document, f"{self.parent}_id")
        return (
            self.model.objects.filter(
                **{f"{self.parent}_id": parent_id},
                language=document.language,
                status=GeneratedDocument.Status.READY,
                data_hash=document.data_hash,
            )
            .exclude(pk=document.pk)
            .order_by("requested_at")
            .first()
        )

    def request(
        self, parent: Any, language: str, user: Any, send: Callable[[int], Any]
    ) -> tuple[Document, bool]:
        """The version of ``parent`` in ``language`` to follow, and whether it is new: the one
        already waiting or running, if any (sent again if it never was, put back in the queue
        if stalled), else a new one. ``send`` (the task's delay) runs on commit. The parent's
        row is locked meanwhile, so that two requests at once make one version."""
        with transaction.atomic():
            parents = type(parent)._default_manager.select_for_update()
            list(parents.filter(pk=parent.pk).values_list("pk", flat=True))
            document = self.under_way(parent, language)
            created = document is None
            if document is None:
                document = self.model.objects.create(
                    **{self.parent: parent}, language=language, requested_by=user
                )
                self.send_on_commit(document, send)
            elif self.requeue_if_stalled(document) or document.sent_at is None:
                self.send_on_commit(document, send)
        document.refresh_from_db()  # sent, unless the broker was down
        return document, created

    def requeue_if_stalled(self, document: Document) -> bool:
        return bool(requeue(self.model.objects.filter(stalled_q(), pk=document.pk)))

    def under_way(self, parent: Any, language: str) -> Document | None:
        """The oldest version of ``parent`` in ``language`` waiting or running, if any."""
        status = GeneratedDocument.Status
        return (
            self.model.objects.filter(
                **{self.parent: parent},
                language=language,
                status__in=[status.PENDING, status.RUNNING],
            )
            .order_by("requested_at", "pk")
            .first()
        )

    def retry(self, document: Document, user: Any, send: Callable[[int], Any]) -> Document:
        """The version to follow once the secretariat asked for ``document`` again: a failed
        or stalled one waits again; one whose file is missing is made again as a new version
        (its own record stays as it was). ``send`` (the task's delay) runs on commit."""
        if document.file_missing:
            parent = getattr(document, self.parent)
            return self.request(parent, document.language, user, send)[0]
        failed = Q(status=GeneratedDocument.Status.FAILED)
        with transaction.atomic():
            if not requeue(self.model.objects.filter(failed | stalled_q(), pk=document.pk)):
                raise ValidationError(_("Only a failed or stalled generation can be retried."))
            self.send_on_commit(document, send)
        document.refresh_from_db()  # sent, unless the broker was down
        return document

    def send_on_commit(self, document: Document, send: Callable[[int], Any]) -> None:
        transaction.on_commit(lambda: self.send(document.pk, send))

    def send(self, document_id: int, send: Callable[[int], Any]) -> bool:
        """Hand the generation to the broker (``send``, the task's delay), and record it. When
        the broker cannot be reached (the publish retry policy keeps this short) the version
        keeps waiting, unsent, and beat's recovery sends it once the broker answers."""
        try:
            send(document_id)
        except BrokerUnreachable as error:
            logger.warning(
                "%s %s not sent, the broker cannot be reached: %s",
                self.model.__name__, document_id, error,
            )  # fmt: skip
            return False
        with contextlib.suppress(OperationalError):
            self.model.objects.filter(pk=document_id).update(sent_at=timezone.now())
        return True

    def recover(self, send: Callable[[int], Any]) -> list[int]:
        """Run by beat: put the stalled generations back in the queue (their worker died), then
        send those never sent (the broker was down, or they were just put back) and those sent
        so long ago that their message was lost. Stops at the first that cannot be sent: the
        broker is still down."""
        requeue(self.model.objects.stalled())
        lost = Q(sent_at__lt=timezone.now() - LOST_AFTER)
        due = self.model.objects.filter(
            Q(sent_at__isnull=True) | lost, status=GeneratedDocument.Status.PENDING
        )
        sent = []
        for document_id in due.order_by("requested_at", "pk").values_list("pk", flat=True):
            if not self.send(document_id, send):
                break
            sent.append(document_id)
        return sent


def requeue(rows: QuerySet[Any]) -> int:
    """Put ``rows`` back in the queue, unsent, as if just asked for; how many there were."""
    return rows.update(
        status=GeneratedDocument.Status.PENDING,
        progress=0,
        step="",
        error="",
        finished_at=None,
        sent_at=None,
    )


class Heartbeat:
    """Writes a running generation's heartbeat every ``heartbeat_interval()`` from a thread of
    its own, so that one long call (WeasyPrint lays a big report out for minutes, reporting
    nothing) still shows the worker alive, and a killed worker's beats stop with it. The beats
    belong to this attempt: once the row is claimed again or done, they change nothing.

    The thread has its own database connection, which cannot see a row written in a
    transaction still open: inside one (the tests) it does not start."""

    def __init__(self, document: GeneratedDocument) -> None:
        self.rows = type(document).objects.filter(
            pk=document.pk, status=GeneratedDocument.Status.RUNNING, attempts=document.attempts
        )
        self.stopped = threading.Event()
        name = f"heartbeat-{type(document).__name__}-{document.pk}"
        self.thread = threading.Thread(target=self._beat, name=name, daemon=True)

    def __enter__(self) -> Heartbeat:
        if not transaction.get_connection().in_atomic_block:
            self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)

    def _beat(self) -> None:
        try:
            while not self.stopped.wait(heartbeat_interval().total_seconds()):
                try:
                    self.rows.update(heartbeat_at=timezone.now())
                except DatabaseError as error:  # the lease allows a few missed beats
                    logger.warning("Heartbeat not written: %s", error)
        finally:
            connections.close_all()  # this thread's connection
