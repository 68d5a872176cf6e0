import sys

from django.core.management.base import BaseCommand, CommandParser

from portal.backup import restore_read


class Command(BaseCommand):
    help = (
        "Restore an archive written by the backup command into an empty database and an empty "
        "file storage (MEDIA_ROOT, or the object store); PATH '-' reads it from the standard "
        "input. See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the archive to read, or - for the standard input")

    def handle(self, *args: object, path: str, **options: object) -> None:
        if path == "-":
            manifest = restore_read(sys.stdin.buffer)
        else:
            with open(path, "rb") as source:
                manifest = restore_read(source)
        self.stdout.write(
            f"Restored the database and {len(manifest.media)} media files of "
            f"{manifest.created_at} ({manifest.vendor})."
        )
