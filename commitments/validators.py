"""Checks on evidence files: an allowed extension, and content that really is of that type."""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Extension → the kind of content it must have.
ALLOWED_EXTENSIONS = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "gif": "gif",
    "webp": "webp",
    "docx": "ooxml",
    "xlsx": "ooxml",
    "pptx": "ooxml",
    "odt": "odf",
    "ods": "odf",
    "odp": "odf",
    "doc": "ole",
    "xls": "ole",
    "ppt": "ole",
}

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "ole": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def sniff(file: UploadedFile) -> str | None:
    """The kind of content, read from the file's first bytes (and zip directory)."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    for kind, signatures in SIGNATURES.items():
        if head.startswith(signatures):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(file)
    return None


ODF_MIMETYPE = b"application/vnd.oasis.opendocument"
# What sniff() answers for an archive that declares more than the ceilings.
UNBOUNDED = "unbounded"


def zip_is_bounded(archive: zipfile.ZipFile) -> bool:
    """Whether the archive's directory stays within the ceilings (entries, declared sizes):
    read from the central directory only, before any entry is decompressed."""
    entries = archive.infolist()
    if len(entries) > settings.ZIP_MAX_ENTRIES:
        return False
    return sum(entry.file_size for entry in entries) <= settings.ZIP_MAX_DECLARED_BYTES


def _zip_kind(file: UploadedFile) -> str | None:
    """OOXML or ODF, from the archive's directory and at most the first bytes of ``mimetype``:
    a zip bomb is refused by its declared sizes, and nothing large is ever decompressed."""
    try:
        with zipfile.ZipFile(file) as archive:
            if not zip_is_bounded(archive):
                return UNBOUNDED
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                return "ooxml"
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    if entry.read(len(ODF_MIMETYPE)) == ODF_MIMETYPE:
                        return "odf"
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, ValueError):
        return None
    finally:
        file.seek(0)
    return None


def validate_evidence_file(file: UploadedFile) -> None:
    if file.size and file.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s."),
            code="too_large",
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES),
            },
        )
    extension = extension_of(file.name or "")
    expected = ALLOWED_EXTENSIONS.get(extension)
    if expected is None:
        raise ValidationError(
            _(
                "Files of type “.%(extension)s” are not accepted. "
                "Send a PDF, an image or an office document."
            ),
            code="bad_extension",
            params={"extension": extension or "?"},
        )
    kind = sniff(file)
    if kind == UNBOUNDED:
        raise ValidationError(
            _("“%(name)s” unpacks to more than %(limit)s or holds too many parts."),
            code="unbounded",
            params={
                "name": PurePath(file.name or "").name,
                "limit": filesizeformat(settings.ZIP_MAX_DECLARED_BYTES),
            },
        )
    if kind != expected:
        raise ValidationError(
            _("The content of “%(name)s” is not a real .%(extension)s file."),
            code="bad_content",
            params={"name": PurePath(file.name or "").name, "extension": extension},
        )
