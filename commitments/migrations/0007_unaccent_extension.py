"""PostgreSQL's unaccent, for the accent-insensitive search (ogp_portal.search); nothing on SQLite."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("commitments", "0006_escalation")]

    operations = [UnaccentExtension()]
