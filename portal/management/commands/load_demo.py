from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import translation

from portal.demo.cocreation import load_cocreation
from portal.demo.loader import DEMO_PASSWORD, load_demo
from portal.demo.meetings import load_committees, load_meetings
from portal.demo.reports import load_reports


class Command(BaseCommand):
    help = (
        "Load the demo built from the seed minutes: PAN 2018-2020 and PAN 2021-2023, their "
        "commitments, activities, figures, focal points and demo users. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--demo-users",
            action="store_true",
            help="Create the demo users (password known to all) even when DEBUG is off.",
        )

    def handle(self, *args: object, demo_users: bool = False, **options: object) -> None:
        create_users = settings.DEBUG or demo_users
        if not create_users:
            self.stderr.write(
                self.style.WARNING(
                    "DEBUG is off: demo users were NOT created (their password is public). "
                    "Pass --demo-users to create them anyway."
                )
            )
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            report = load_demo(create_users=create_users)
            reports_created = load_reports()
            members_created = load_committees()
            load_meetings(report)
            load_cocreation(report)
        if reports_created:
            report.created["self-assessment reports"] = reports_created
        if members_created:
            report.created["committee members"] = members_created
        if options.get("verbosity", 1) == 0:
            return
        if not report.created and not report.updated:
            self.stdout.write("Demo data already loaded: nothing changed.")
        for label, counts in (("created", report.created), ("updated", report.updated)):
            for name, count in sorted(counts.items()):
                self.stdout.write(f"{label}: {count} {name}")
        if create_users:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo users: secretariat, focal1 … focal22 (password: {DEMO_PASSWORD})."
                )
            )
