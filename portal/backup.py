"""Backup and restore of the whole portal: the database and the media files, in one archive.

The database is written by Django's dumpdata (JSON, foreign keys to content types and
permissions by natural key; times to the microsecond, portal/serialization.py), so an archive
moves between SQLite and PostgreSQL and needs no client program of the database server. It is
read in one transaction that sees a single moment (REPEATABLE READ on PostgreSQL). The
archive, a .tar.gz, holds::

    ogp-backup/manifest.json   format, date, engine, applied migrations, SHA-256 of each file
    ogp-backup/database.json   every row, less content types and permissions (migrate makes
                               them) and sessions (everyone logs in again)
    ogp-backup/media/…         the file storage: evidence, report and minutes PDFs

Files are read and written through Django's default storage, never a path on disk, so the same
commands back up and restore a deployment whose files live on an object store
(docs/deployment.md). A restore goes into an empty database and an empty storage, made by the
same version of the portal (the same migrations): it checks the whole archive first (in a
temporary folder), then migrates, and loads the rows and writes the files in one transaction.
Anything refused or failing leaves the database without rows and the storage empty.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management import CommandError, call_command
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
ROOT = "ogp-backup"
SERIALIZER = "portal-json"
# The page versions belong to the cache of the machine that wrote them (docs/caching.md).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "portal.pageversion"]
MADE_BY_MIGRATE = (ContentType, Permission)


@dataclass
class Manifest:
    format: int
    created_at: str
    vendor: str
    migrations: list[str]
    media: dict[str, str]  # name in the file storage → SHA-256


def backup_write(out: IO[bytes]) -> tuple[Manifest, list[str]]:
    """Write the archive to ``out``; returns its manifest and the files the database names but
    the storage lacks (they cannot be restored)."""
    serializers.register_serializer(SERIALIZER, "portal.serialization")
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "database.json"
        with one_moment():
            call_command(
                "dumpdata", format=SERIALIZER, natural_foreign=True, exclude=EXCLUDED,
                output=str(dump), verbosity=0,
            )  # fmt: skip
            migrations = applied_migrations()
            named = files_named_by_the_database()
        storage = default_storage
        media = {name: stored_sha256(storage, name) for name in stored_files(storage)}
        manifest = Manifest(
            format=FORMAT,
            created_at=timezone.now().isoformat(),
            vendor=connection.vendor,
            migrations=migrations,
            media=media,
        )
        with tarfile.open(fileobj=out, mode="w|gz") as tar:
            add_bytes(tar, f"{ROOT}/manifest.json", json.dumps(asdict(manifest), indent=1))
            tar.add(dump, arcname=f"{ROOT}/database.json")
            for name in media:
                add_stored(tar, storage, name)
    return manifest, sorted(named - media.keys())


def restore_read(source: IO[bytes]) -> Manifest:
    """Restore the archive read from ``source`` into the empty database and file storage."""
    storage = default_storage
    if stored_files(storage):
        raise CommandError(
            f"The file storage is not empty ({storage_name(storage)}): restore needs an empty one."
        )
    with tempfile.TemporaryDirectory(prefix="ogp-restore-") as folder:
        staging = Path(folder)
        manifest = unpack(source, staging)
        call_command("migrate", interactive=False, verbosity=0)
        check_empty_database()
        if sorted(manifest.migrations) != applied_migrations():
            raise CommandError(
                "The archive was made by another version of the portal (its migrations differ "
                "from this one's): restore it with that version, then upgrade."
            )
        load(staging / "database.json", staging / "media", sorted(manifest.media), storage)
    return manifest


def unpack(source: IO[bytes], staging: Path) -> Manifest:
    """Read the whole archive into ``staging`` (database.json, media/), checking every name,
    the manifest and each file's SHA-256 before anything is written elsewhere."""
    (staging / "media").mkdir()
    manifest: Manifest | None = None
    try:
        with tarfile.open(fileobj=source, mode="r|gz") as tar:
            for member in tar:
                target = staging_path(member, staging)
                if member.isdir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                content = tar.extractfile(member)
                assert content is not None  # a regular file (staging_path refuses the rest)
                if target.name == "manifest.json" and target.parent == staging:
                    manifest = Manifest(**json.load(content))
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("wb") as out:
                    shutil.copyfileobj(content, out)
    except (tarfile.TarError, OSError, EOFError, json.JSONDecodeError, TypeError) as error:
        raise CommandError(f"The archive cannot be read: {error}") from error
    if manifest is None or manifest.format != FORMAT or not (staging / "database.json").exists():
        raise CommandError(f"This is not a backup of the portal (format {FORMAT}).")
    check_media(manifest, staging / "media")
    return manifest


def staging_path(member: tarfile.TarInfo, staging: Path) -> Path:
    """Where a member goes in ``staging``: only files and folders under ogp-backup/, none
    outside it (no absolute path, no "..", no link)."""
    path = PurePosixPath(member.name)
    parts = path.parts
    if (
        path.is_absolute()
        or ".." in parts
        or not parts
        or parts[0] != ROOT
        or not (member.isfile() or member.isdir())
    ):
        raise CommandError(f"The archive holds an entry that cannot be restored: {member.name}")
    return staging.joinpath(*parts[1:])


def check_media(manifest: Manifest, folder: Path) -> None:
    found = {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}
    if found != manifest.media.keys():
        names = ", ".join(sorted(found ^ manifest.media.keys()))
        raise CommandError(f"The media files differ from the archive's manifest: {names}")
    for name, digest in manifest.media.items():
        if sha256(folder / name) != digest:
            raise CommandError(f"A media file is damaged (its SHA-256 differs): {name}")


def check_empty_database() -> None:
    filled = [
        model._meta.label
        for model in apps.get_models()
        if model not in MADE_BY_MIGRATE
        and model._meta.managed
        and model._base_manager.using(connection.alias).exists()
    ]
    if filled:
        raise CommandError(
            f"The database is not empty (rows in {', '.join(filled[:5])}): restore needs a new "
            "database."
        )


def load(dump: Path, media: Path, names: list[str], storage: Storage) -> None:
    """The rows and the files in one go: the rows in a transaction that commits only once
    every file is written; on any failure the files written so far are deleted."""
    written: list[str] = []
    step = "The database could not be loaded"
    try:
        with transaction.atomic():
            call_command("loaddata", str(dump), verbosity=0)
            step = "The files could not be written"
            for name in names:
                with (media / name).open("rb") as content:
                    saved = storage.save(name, File(content, name=name))
                written.append(saved)
                if saved != name:
                    raise CommandError(f"The file storage renamed {name} to {saved}.")
    except Exception as error:  # a database error, loaddata's DeserializationError, the storage's
        for name in written:
            storage.delete(name)
        message = f"{step}, nothing was kept: {error}"
        raise CommandError(message) from error


@contextmanager
def one_moment() -> Iterator[None]:
    """A transaction that reads the whole database as it was at one moment (inside another
    transaction, as in tests, that transaction's view)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def applied_migrations() -> list[str]:
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


def files_named_by_the_database() -> set[str]:
    named: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                values = model._base_manager.exclude(**{field.name: ""}).values_list(
                    field.name, flat=True
                )
                named.update(value for value in values.iterator() if value)
    return named


def storage_name(storage: Storage) -> str:
    """How a message names the storage: its folder when it has one, else its class."""
    location = getattr(storage, "location", None)
    return str(location) if location else type(storage).__name__


def stored_files(storage: Storage, folder: str = "") -> list[str]:
    """Every file in ``storage`` (under ``folder``), as names relative to its root."""
    try:
        folders, names = storage.listdir(folder)
    except FileNotFoundError:  # a local storage whose folder was never made
        return []
    prefix = f"{folder}/" if folder else ""
    found = [f"{prefix}{name}" for name in names]
    for sub in folders:
        found.extend(stored_files(storage, f"{prefix}{sub}"))
    return sorted(found)


def stored_sha256(storage: Storage, name: str) -> str:
    with storage.open(name, "rb") as file:
        return sha256_of(file)


def sha256(path: Path) -> str:
    with path.open("rb") as file:
        return sha256_of(file)


def sha256_of(file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: file.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


def add_stored(tar: tarfile.TarFile, storage: Storage, name: str) -> None:
    info = tarfile.TarInfo(f"{ROOT}/media/{name}")
    info.size = storage.size(name)
    try:
        info.mtime = int(storage.get_modified_time(name).timestamp())
    except NotImplementedError:
        info.mtime = int(timezone.now().timestamp())
    with storage.open(name, "rb") as file:
        tar.addfile(info, file)


def add_bytes(tar: tarfile.TarFile, name: str, text: str) -> None:
    data = text.encode()
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))
