"""Operations that migrations share."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import F, Q


def fill_french_from_original(app_label: str, fields: dict[str, tuple[str, ...]]) -> Any:
    """When a field becomes translatable, its existing text is French (the portal's first
    language): copy the original column into ``<field>_fr`` where that is still empty, so no
    page loses the text. ``fields`` maps model names to field names."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        for model_name, names in fields.items():
            model = apps.get_model(app_label, model_name)
            for name in names:
                empty = Q(**{f"{name}_fr": ""}) | Q(**{f"{name}_fr__isnull": True})
                model.objects.filter(empty).update(**{f"{name}_fr": F(name)})

    return migrations.RunPython(forwards, migrations.RunPython.noop)
