"""The progress series of the plans that existed before it was kept (commitments.ProgressDay)."""

from django.db import migrations

from commitments.progress_history import rebuild_all_series


def fill(apps, schema_editor):
    rebuild_all_series(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("commitments", "0010_progress_day")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
