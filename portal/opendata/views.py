"""The open-data page (in each language) and the package's files, at addresses that do not
depend on the language (``/open-data/...``): the same bytes for everyone, served from the page
cache until a write changes the data (portal.pagecache), open to other sites' scripts (CORS)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from . import dcat, package
from .schema import BY_NAME, RESOURCES, Field, Resource

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "jsonld": "application/ld+json",
    "zip": "application/zip",
}
TYPE_LABELS = {
    "integer": _("whole number"),
    "number": _("decimal number"),
    "string": _("text"),
    "boolean": _("true or false"),
    "date": _("date"),
    "datetime": _("date and time (UTC)"),
}


def _download(content: bytes, kind: str, filename: str = "") -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Access-Control-Allow-Origin"] = "*"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def files(request: HttpRequest) -> dict[str, str]:
    """The absolute addresses of the package's files; ``base`` is the folder of
    datapackage.json, which its resources' paths are relative to."""
    descriptor = request.build_absolute_uri(reverse("opendata:datapackage"))
    return {
        "descriptor": descriptor,
        "base": descriptor.removesuffix(package.DESCRIPTOR_NAME),
        "zip": request.build_absolute_uri(reverse("opendata:zip")),
        "catalog": request.build_absolute_uri(reverse("opendata:catalog")),
    }


@require_safe
def datapackage(request: HttpRequest) -> HttpResponse:
    return _download(package.json_bytes(package.descriptor()), "json")


@require_safe
def resource_file(request: HttpRequest, name: str, extension: str) -> HttpResponse:
    resource = BY_NAME.get(name)
    if resource is None:
        raise Http404
    tables = package.Tables(request.build_absolute_uri, [name])
    content = package.resource_file(resource, extension, tables)
    return _download(content, extension)


@require_safe
def package_zip(request: HttpRequest) -> HttpResponse:
    content = package.zip_bytes(package.Tables(request.build_absolute_uri))
    return _download(content, "zip", package.ZIP_NAME)


@require_safe
def catalog(request: HttpRequest) -> HttpResponse:
    page = request.build_absolute_uri(reverse("portal:open_data"))
    found = dcat.catalog(request.build_absolute_uri, files(request), page)
    return _download(package.json_bytes(found), "jsonld")


@dataclass(frozen=True)
class Column:
    """A line of the data dictionary."""

    field: Field
    type_label: str
    description: str
    notes: list[str]


def _columns(resource: Resource, language: str) -> list[Column]:
    found = []
    for field in resource.fields:
        notes = []
        if field.name in resource.primary_key:
            notes.append(str(_("Primary key")))
        if reference := resource.foreign_key_of(field.name):
            target = f"{reference.resource}.{reference.reference}"
            notes.append(str(_("References %(target)s") % {"target": target}))
        if field.required and field.name not in resource.primary_key:
            notes.append(str(_("Required")))
        found.append(
            Column(
                field=field,
                type_label=str(TYPE_LABELS[field.type]),
                description=field.description(language),
                notes=notes,
            )
        )
    return found


@require_safe
def page(request: HttpRequest) -> HttpResponse:
    """The open-data page: the downloads, the licence and the data dictionary, whose
    descriptions are written in English and French (French on the Arabic page)."""
    language = "en" if get_language() == "en" else "fr"
    resources = [
        {
            "resource": resource,
            "title": resource.title(language),
            "description": resource.description(language),
            "csv": reverse("opendata:resource", args=[resource.name, "csv"]),
            "json": reverse("opendata:resource", args=[resource.name, "json"]),
            "columns": _columns(resource, language),
        }
        for resource in RESOURCES
    ]
    context = {
        "resources": resources,
        # The descriptions' language where it is not the page's (French on the Arabic page).
        "other": "" if language == get_language() else language,
        "license": settings.OPEN_DATA_LICENSE,
        "publisher": settings.OPEN_DATA_PUBLISHER,
    }
    return render(request, "portal/open_data.html", context)
