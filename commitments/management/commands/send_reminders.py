from django.core.management.base import BaseCommand

from commitments.services import staleness_reminders_send


class Command(BaseCommand):
    help = (
        "Remind the focal points (titular and alternates) of stale commitments now, as the daily "
        "task does (a notification); a commitment is reminded at most once per staleness period."
    )

    def handle(self, *args: object, **options: object) -> None:
        reminders = staleness_reminders_send()
        for reminder in reminders:
            self.stdout.write(f"{reminder.commitment}: {reminder.recipients}")
        self.stdout.write(self.style.SUCCESS(f"{len(reminders)} reminder(s) sent."))
