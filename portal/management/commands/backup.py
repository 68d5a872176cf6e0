import os
import sys

from django.core.management.base import BaseCommand, CommandParser

from portal.backup import backup_write


class Command(BaseCommand):
    help = (
        "Write one archive (.tar.gz) holding the database and the media files; PATH '-' writes "
        "it to the standard output. See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the archive to write, or - for the standard output")

    def handle(self, *args: object, path: str, **options: object) -> None:
        if path == "-":
            manifest, missing = backup_write(sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            partial = f"{path}.partial"
            with open(partial, "wb") as out:
                manifest, missing = backup_write(out)
            os.replace(partial, path)
        for name in missing:
            self.stderr.write(f"Missing from the file storage (not in the archive): {name}")
        # With "-" the archive is the standard output: the summary goes to the error output.
        report, where = (self.stderr, "the standard output") if path == "-" else (self.stdout, path)
        report.write(
            f"Backed up the database ({manifest.vendor}) and {len(manifest.media)} media "
            f"files to {where}."
        )
