"""The files of the package: a CSV and a JSON file per resource, ``datapackage.json`` (a
Frictionless Tabular Data Package whose Table Schemas come from ``schema``) and the ZIP of them
all. Every file is made from the same rows, read once (``Tables``).

The CSV files are UTF-8 without a byte order mark (as RFC 4180 and Frictionless expect), quoted
where a value needs it, with exact values: they are data for programs, not spreadsheets (the
plan's own export, ``/<lang>/plans/<code>/export.csv``, is the file for spreadsheet programs).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation

from .rows import ROWS, Public, Row
from .schema import DESCRIPTION, KEYWORDS, RESOURCES, TITLE, Resource

NAME = "ogp-open-data"
ZIP_NAME = f"{NAME}.zip"
DESCRIPTOR_NAME = "datapackage.json"
FORMATS = {"csv": "text/csv", "json": "application/json"}


def data_path(resource: Resource, extension: str) -> str:
    """Where a resource's file is, relative to datapackage.json, online and in the ZIP."""
    return f"data/{resource.name}.{extension}"


def license_descriptor() -> dict[str, str]:
    return dict(settings.OPEN_DATA_LICENSE)


def descriptor() -> dict[str, Any]:
    """datapackage.json: the package, its licence, and each resource's Table Schema."""
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE["en"],
        "description": DESCRIPTION["en"],
        "title_fr": TITLE["fr"],
        "description_fr": DESCRIPTION["fr"],
        "licenses": [license_descriptor()],
        "keywords": list(KEYWORDS),
        "publisher": settings.OPEN_DATA_PUBLISHER,
        "resources": [_resource_descriptor(resource) for resource in RESOURCES],
    }


def _resource_descriptor(resource: Resource) -> dict[str, Any]:
    keys = []
    for key in resource.foreign_keys:
        described = key.descriptor()
        if key.resource == resource.name:
            described["reference"]["resource"] = ""  # Table Schema's word for "this table"
        keys.append(described)
    schema: dict[str, Any] = {
        "fields": [field.descriptor() for field in resource.fields],
        "primaryKey": list(resource.primary_key),
    }
    if keys:
        schema["foreignKeys"] = keys
    return {
        "profile": "tabular-data-resource",
        "name": resource.name,
        "path": data_path(resource, "csv"),
        "format": "csv",
        "mediatype": FORMATS["csv"],
        "encoding": "utf-8",
        "title": resource.title_en,
        "description": resource.description_en,
        "title_fr": resource.title_fr,
        "description_fr": resource.description_fr,
        "schema": schema,
        # The same rows as JSON, an array of objects with the same fields.
        "alternates": [{"path": data_path(resource, "json"), "mediatype": FORMATS["json"]}],
    }


class Tables:
    """The rows of the resources asked for, read once, in the default language (the pages'
    addresses in the files are the French ones, whatever the request's language)."""

    def __init__(self, link: Callable[[str], str], names: list[str] | None = None) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            public = Public(link)
            wanted = names or [resource.name for resource in RESOURCES]
            self.rows: dict[str, list[Row]] = {name: list(ROWS[name](public)) for name in wanted}


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def csv_bytes(resource: Resource, rows: list[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(resource.columns)
    for row in rows:
        writer.writerow([_csv_text(row[column]) for column in resource.columns])
    return buffer.getvalue().encode("utf-8")


class Encoder(DjangoJSONEncoder):
    """Django's, with decimals as JSON numbers (progress, weights), not strings."""

    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return float(o)
        return super().default(o)


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, cls=Encoder, ensure_ascii=False, indent=1).encode("utf-8")


def resource_file(resource: Resource, extension: str, tables: Tables) -> bytes:
    rows = tables.rows[resource.name]
    return csv_bytes(resource, rows) if extension == "csv" else json_bytes(rows)


def readme() -> str:
    """The ZIP's README: what it holds and under which licence."""
    licence = license_descriptor()
    return (
        f"# {TITLE['en']}\n\n{DESCRIPTION['en']}\n\n# {TITLE['fr']}\n\n{DESCRIPTION['fr']}\n\n"
        f"Licence: {licence.get('title', licence['name'])} ({licence.get('path', '')})\n\n"
        "datapackage.json describes every file of data/ (fields, types, descriptions in "
        "English and French, primary and foreign keys): https://datapackage.org/\n"
    )


def zip_bytes(tables: Tables) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DESCRIPTOR_NAME, json_bytes(descriptor()))
        archive.writestr("README.md", readme())
        for resource in RESOURCES:
            for extension in FORMATS:
                content = resource_file(resource, extension, tables)
                archive.writestr(data_path(resource, extension), content)
    return buffer.getvalue()
