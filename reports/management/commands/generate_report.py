from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commitments.models import Plan
from ogp_portal.documents import LANGUAGES
from reports.models import ReportVersion
from reports.services import report_default_for, report_version_generate


class Command(BaseCommand):
    help = (
        "Generate a plan's self-assessment report as a PDF, synchronously (the same PDF as the "
        "Celery task makes). The version is kept like any other."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help="Plan code, e.g. PAN-2021-2023")
        parser.add_argument("--lang", default="fr", choices=[code for code, _label in LANGUAGES])
        parser.add_argument("--out", required=True, type=Path, help="Where to write the PDF")

    def handle(self, *args: object, plan: str, lang: str, out: Path, **options: object) -> None:
        try:
            plan_obj = Plan.objects.get(code=plan)
        except Plan.DoesNotExist as error:
            raise CommandError(f"No plan with the code {plan!r}.") from error
        report = report_default_for(plan_obj)
        version = ReportVersion.objects.create(report=report, language=lang)
        report_version_generate(version_id=version.pk)
        version.refresh_from_db()
        if version.status != ReportVersion.Status.READY:
            raise CommandError(f"Generation failed: {version.error}")
        out.parent.mkdir(parents=True, exist_ok=True)
        with version.pdf.open("rb") as pdf:
            out.write_bytes(pdf.read())
        same = " (same data as an earlier version)" if version.same_data_as_id else ""
        self.stdout.write(
            self.style.SUCCESS(f"{out}: {version.pages} pages, data {version.data_hash[:12]}{same}")
        )
