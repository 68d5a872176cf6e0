"""The ICU collations names are sorted with on PostgreSQL (ogp_portal.collation); SQLite
registers the same names on each connection, so there is nothing to create there."""

from django.db import migrations

# As ogp_portal.collation.COLLATIONS names them when this migration was written.
COLLATIONS = {
    "ogp_fr": "fr-u-ka-shifted",
    "ogp_ar": "ar-u-ka-shifted",
    "ogp_en": "en-u-ka-shifted",
}


def create_collations(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, locale in COLLATIONS.items():
        schema_editor.execute(
            f"CREATE COLLATION IF NOT EXISTS {schema_editor.quote_name(name)} "
            f"(provider = icu, locale = '{locale}')"
        )


def drop_collations(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in COLLATIONS:
        schema_editor.execute(f"DROP COLLATION IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [("commitments", "0006_escalation")]

    operations = [migrations.RunPython(create_collations, drop_collations)]
