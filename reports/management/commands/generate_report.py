from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commitments.models import Plan
from documents.commands import generate_to_file
from ogp_portal.i18n import CONTENT_LANGUAGES
from reports.generation import REPORT
from reports.models import ReportVersion
from reports.services import report_default_for


class Command(BaseCommand):
    help = (
        "Generate a plan's self-assessment report as a PDF, synchronously (the same PDF as the "
        "Celery task makes). The version is kept like any other."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help="Plan code, e.g. PAN-2021-2023")
        parser.add_argument("--lang", default="fr", choices=CONTENT_LANGUAGES)
        parser.add_argument("--out", required=True, type=Path, help="Where to write the PDF")

    def handle(self, *args: object, plan: str, lang: str, out: Path, **options: object) -> None:
        plan_obj = Plan.objects.filter(code=plan).first()
        if plan_obj is None:
            raise CommandError(f"No plan with the code {plan!r}.")
        report = report_default_for(plan_obj)
        version = ReportVersion.objects.create(report=report, language=lang)
        self.stdout.write(self.style.SUCCESS(generate_to_file(REPORT, version, out)))
