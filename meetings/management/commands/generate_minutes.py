from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from documents.commands import generate_to_file
from meetings.generation import MINUTES
from meetings.models import Meeting, MinutesVersion
from ogp_portal.i18n import CONTENT_LANGUAGES


class Command(BaseCommand):
    help = (
        "Generate a meeting's minutes (relevé des conclusions) as a PDF, synchronously (the same "
        "PDF as the Celery task makes). The version is kept like any other."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--meeting", required=True, type=int, help="The meeting's id")
        parser.add_argument("--lang", default="fr", choices=CONTENT_LANGUAGES)
        parser.add_argument("--out", required=True, type=Path, help="Where to write the PDF")

    def handle(self, *args: object, meeting: int, lang: str, out: Path, **options: object) -> None:
        meeting_obj = Meeting.objects.filter(pk=meeting).first()
        if meeting_obj is None:
            raise CommandError(f"No meeting with the id {meeting}.")
        version = MinutesVersion.objects.create(meeting=meeting_obj, language=lang)
        self.stdout.write(self.style.SUCCESS(generate_to_file(MINUTES, version, out)))
