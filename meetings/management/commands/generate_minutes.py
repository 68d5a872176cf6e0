from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meetings.models import Meeting, MinutesVersion
from meetings.services import minutes_version_generate
from ogp_portal.documents import LANGUAGES


class Command(BaseCommand):
    help = (
        "Generate a meeting's minutes (relevé des conclusions) as a PDF, synchronously (the same "
        "PDF as the Celery task makes). The version is kept like any other."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--meeting", required=True, type=int, help="The meeting's id")
        parser.add_argument("--lang", default="fr", choices=[code for code, _label in LANGUAGES])
        parser.add_argument("--out", required=True, type=Path, help="Where to write the PDF")

    def handle(self, *args: object, meeting: int, lang: str, out: Path, **options: object) -> None:
        meeting_obj = Meeting.objects.filter(pk=meeting).first()
        if meeting_obj is None:
            raise CommandError(f"No meeting with the id {meeting}.")
        version = MinutesVersion.objects.create(meeting=meeting_obj, language=lang)
        try:
            minutes_version_generate(version_id=version.pk)
        except Exception as error:  # recorded on the version too
            raise CommandError(f"Generation failed: {type(error).__name__}: {error}") from error
        version.refresh_from_db()
        out.parent.mkdir(parents=True, exist_ok=True)
        with version.pdf.open("rb") as pdf:
            out.write_bytes(pdf.read())
        same = " (same data as an earlier version)" if version.same_data_as_id else ""
        self.stdout.write(
            self.style.SUCCESS(f"{out}: {version.pages} pages, data {version.data_hash[:12]}{same}")
        )
