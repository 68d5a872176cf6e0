from django.db import migrations, models


def supersede_older_waiting_updates(apps, schema_editor):
    """Before the constraint: where two updates of one activity wait at once (a race the code
    allowed until now), the newest waits and the older ones are marked superseded, as a later
    submission always did to them."""
    ProgressUpdate = apps.get_model("commitments", "ProgressUpdate")
    waiting = ProgressUpdate.objects.filter(state="submitted").order_by(
        "activity_id", "-created_at", "-pk"
    )
    seen = set()
    older = []
    for pk, activity_id in waiting.values_list("pk", "activity_id"):
        if activity_id in seen:
            older.append(pk)
        seen.add(activity_id)
    ProgressUpdate.objects.filter(pk__in=older).update(state="superseded")


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0003_update_state_validated"),
    ]

    operations = [
        migrations.RunPython(supersede_older_waiting_updates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state", "submitted")),
                fields=("activity",),
                name="update_one_waiting_per_activity",
            ),
        ),
    ]
