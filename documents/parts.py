"""The laid-out parts of a document, kept by fingerprint (``LaidOutPart``) in Django's storage,
so that every worker machine finds those another laid out."""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Iterable

import weasyprint
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from . import pdf
from .assembly import Part
from .models import LaidOutPart

logger = logging.getLogger(__name__)


def part_key(html: str) -> str:
    """The fingerprint of a part: its HTML (its data, language and template) and the version
    of the engine that lays it out."""
    digest = hashlib.sha256(f"weasyprint {weasyprint.__version__} {pdf.LAYOUT_OPTIONS}\n".encode())
    digest.update(html.encode("utf-8"))
    return digest.hexdigest()


class PartStore:
    """The parts kept for ``owner`` (a document in one language)."""

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.used: set[str] = set()  # the keys this store gave or kept

    def get(self, key: str) -> Part | None:
        row = LaidOutPart.objects.filter(owner=self.owner, key=key).first()
        if row is None:
            return None
        try:
            with row.pdf.open("rb") as file:
                data = file.read()
        except FileNotFoundError:  # the file was lost: laid out again
            row.delete()
            return None
        return Part(pdf=data, layout=row.layout)

    def missing(self, keys: Iterable[str]) -> set[str]:
        keys = set(keys)
        kept = LaidOutPart.objects.filter(owner=self.owner, key__in=keys)
        return keys - set(kept.values_list("key", flat=True))

    def put(self, key: str, part: Part) -> None:
        """Keep ``part``; another worker keeping the same part at the same time is no error."""
        row = LaidOutPart(owner=self.owner, key=key, layout=part.layout)
        row.pdf.save(f"{self.owner}-{key[:16]}.pdf", ContentFile(part.pdf), save=False)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            row.pdf.delete(save=False)

    def laid_out(self, html: str, role: str = "") -> Part:
        """The part ``html`` lays out: the one kept, or laid out now and kept (with its
        ``role`` in the document, see ``last_pages``)."""
        key = part_key(html)
        self.used.add(key)
        part = self.get(key)
        if part is None:
            part = pdf.lay_out(html)
            if role:
                part.layout["role"] = role
            self.put(key, part)
        return part

    def last_pages(self, role: str) -> int | None:
        """How many pages the newest part of ``role`` had: the best guess for the next."""
        newest = (
            LaidOutPart.objects.filter(owner=self.owner, layout__role=role)
            .order_by("-created_at", "-pk")
            .values_list("layout", flat=True)
            .first()
        )
        return len(newest["pages"]) if newest else None

    def prune(self, keep: set[str], older_than: datetime.datetime) -> int:
        """Forget the parts no longer used (not in ``keep``) made before ``older_than`` (so
        not by a generation still running); how many."""
        stale = LaidOutPart.objects.filter(owner=self.owner, created_at__lt=older_than).exclude(
            key__in=keep
        )
        count = 0
        for row in stale:
            row.pdf.delete(save=False)
            row.delete()
            count += 1
        return count
