"""Rebuild every plan's stored progress series from its validated updates."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from commitments.progress_history import rebuild_all_series


class Command(BaseCommand):
    help = "Rebuild the progress series of every plan (the dashboard's chart) from its updates."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            rows = rebuild_all_series()
        self.stdout.write(f"{rows} days of progress written.")
