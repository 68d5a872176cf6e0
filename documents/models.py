"""What every PDF made by a Celery task shares (report versions, minutes): the status a page
follows, the progress and heartbeat the task writes, and the lease that lets a lost generation be
sent again. The engine that drives them is in ``documents/engine.py``."""

from __future__ import annotations

import datetime
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ogp_portal.i18n import LANGUAGE_CHOICES

# A running generation missing this many heartbeats in a row is taken to be dead.
LEASE_HEARTBEATS = 4


def heartbeat_interval() -> datetime.timedelta:
    """How often a running generation writes that it is alive (GENERATION_HEARTBEAT_SECONDS)."""
    return datetime.timedelta(seconds=settings.GENERATION_HEARTBEAT_SECONDS)


def lease() -> datetime.timedelta:
    """How long a running generation may stay silent before it is taken to be dead (its worker
    was killed) and may be claimed again: a few heartbeats, so that one late beat on a busy
    machine is not a death."""
    return heartbeat_interval() * LEASE_HEARTBEATS


class GeneratedDocumentQuerySet(models.QuerySet):
    def ready(self) -> Self:
        return self.filter(status=GeneratedDocument.Status.READY)

    def latest_ready(self, language: str) -> Any:
        """The newest ready version in ``language`` (the one asked for last, so made from the
        latest data), or None."""
        return self.ready().filter(language=language).order_by("-requested_at", "-pk").first()

    def stalled(self) -> Self:
        """Running, but silent for longer than the lease: their worker died."""
        return self.filter(stalled_q())

    def claimable(self) -> Self:
        """Waiting, or stalled."""
        return self.filter(Q(status=GeneratedDocument.Status.PENDING) | stalled_q())


def stalled_q() -> Q:
    silent_since = timezone.now() - lease()
    return Q(status=GeneratedDocument.Status.RUNNING, heartbeat_at__lt=silent_since)


class GeneratedDocument(models.Model):
    """One generated PDF in one language. Subclasses add what it is about and ``pdf``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a worker")
        RUNNING = "running", _("Generating")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class Problem(models.TextChoices):
        """What is wrong with a version beside its status, as its row and the API tell it."""

        STALLED = (
            "stalled",
            _(
                "The worker stopped answering: the generation will be started again within a "
                "minute, or retry it now."
            ),
        )
        QUEUED = (
            "queued",
            _(
                "Queued: the worker cannot be reached now; the generation will be sent as soon as "
                "it is back."
            ),
        )
        FILE_MISSING = "file_missing", _("The PDF of this version is missing from the server.")

    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # The step's English text; pages translate it when they show it
    # (see documents/_version_row.html).
    step = models.CharField(_("current step"), max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    # When the task was handed to the broker; empty while the broker could not be reached.
    sent_at = models.DateTimeField(_("sent to the worker at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last heartbeat"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    data_hash = models.CharField(_("data fingerprint"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    same_data_as = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("An earlier version made from exactly the same data."),
        verbose_name=_("same data as"),
    )

    pdf: Any  # a FileField, declared by each subclass with its own upload_to
    same_data_as_id: int | None

    objects = models.Manager.from_queryset(GeneratedDocumentQuerySet)()

    class Meta:
        abstract = True
        ordering = ["-requested_at", "-pk"]

    @property
    def is_done(self) -> bool:
        return self.status in {self.Status.READY, self.Status.FAILED}

    @property
    def file_missing(self) -> bool:
        """Ready, but its PDF is not in the storage (a lost volume, a restore without the
        media): downloads answer 404 and the secretariat may generate it again."""
        if self.status != self.Status.READY:
            return False
        return not self.pdf.name or not self.pdf.storage.exists(self.pdf.name)

    @property
    def is_stalled(self) -> bool:
        """Running, but silent for longer than the lease: its worker died."""
        if self.status != self.Status.RUNNING or self.heartbeat_at is None:
            return False
        return self.heartbeat_at < timezone.now() - lease()

    @property
    def problem(self) -> GeneratedDocument.Problem | None:
        if self.is_stalled:
            return self.Problem.STALLED
        if self.status == self.Status.PENDING and self.sent_at is None:
            return self.Problem.QUEUED
        if self.file_missing:
            return self.Problem.FILE_MISSING
        return None

    @property
    def can_retry(self) -> bool:
        """Whether the secretariat may ask for it again (``Generation.retry``); a queued one
        is sent by beat once the broker answers."""
        if self.status == self.Status.FAILED:
            return True
        return self.problem in {self.Problem.STALLED, self.Problem.FILE_MISSING}

    def mark_progress(self, percent: int, step: str) -> None:
        """Called by the task as it goes; also a heartbeat."""
        self.progress, self.step, self.heartbeat_at = percent, step, timezone.now()
        type(self).objects.filter(pk=self.pk, status=self.Status.RUNNING).update(
            progress=percent, step=step, heartbeat_at=self.heartbeat_at
        )

    def mark_ready(self, pdf_name: str, pages: int, same_data_as: Any) -> None:
        self.status, self.progress, self.finished_at = self.Status.READY, 100, timezone.now()
        self.pdf.name, self.pages, self.same_data_as, self.error = pdf_name, pages, same_data_as, ""
        self.save(
            update_fields=[
                "status", "progress", "finished_at", "pdf", "pages", "same_data_as", "error"
            ]
        )  # fmt: skip

    def mark_failed(self, error: str) -> None:
        self.status, self.finished_at, self.error = self.Status.FAILED, timezone.now(), error
        self.save(update_fields=["status", "finished_at", "error"])


class LaidOutPart(models.Model):
    """A part of a long PDF as WeasyPrint laid it out (documents/assembly.py), kept while its
    HTML stays the same: a report made again after one activity changed lays out that
    commitment's part alone. ``owner`` is the document (say, a report in one language) whose
    generations use it; ``key``, the SHA-256 of its HTML and of the layout engine's version, is
    the fingerprint of its data, its language and its template."""

    owner = models.CharField(_("owner"), max_length=100)
    key = models.CharField(_("fingerprint"), max_length=64)
    pdf = models.FileField(_("PDF"), upload_to="parts/", max_length=200)
    layout = models.JSONField(_("layout"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("laid-out part")
        verbose_name_plural = _("laid-out parts")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="laid_out_part_once"),
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.key[:12]}"
