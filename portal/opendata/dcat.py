"""The package as a DCAT-AP catalogue in JSON-LD, for national data portals to harvest: one
``dcat:Catalog`` holding one ``dcat:Dataset`` (the package) with a ``dcat:Distribution`` per
file (the ZIP, datapackage.json, each resource's CSV and JSON), each with its media type,
format, licence and download address."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import Max, Min
from django.utils import timezone

from commitments.models import Plan, ProgressUpdate
from meetings.models import Meeting
from ogp_portal.i18n import CONTENT_LANGUAGES

from .package import FORMATS, data_path
from .schema import DESCRIPTION, KEYWORDS, RESOURCES, TITLE

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA = "https://www.iana.org/assignments/media-types/"
LANGUAGE_CODES = {"fr": "FRA", "ar": "ARA", "en": "ENG"}
DATA_PACKAGE_SPEC = "https://specs.frictionlessdata.io/tabular-data-package/"


def _texts(texts: dict[str, str]) -> list[dict[str, str]]:
    return [{"@value": texts[code], "@language": code} for code in CONTENT_LANGUAGES]


def _date(value: datetime.date | datetime.datetime | None) -> dict[str, str]:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return {"@value": (value or timezone.localdate()).isoformat(), "@type": "xsd:date"}


def dates() -> dict[str, Any]:
    """When the data was first recorded and last changed (an update validated, minutes
    published), and the period the plans cover."""
    updates = ProgressUpdate.objects.validated().aggregate(first=Min("created_at"))
    last = [
        ProgressUpdate.objects.validated().aggregate(at=Max("created_at"))["at"],
        ProgressUpdate.objects.validated().aggregate(at=Max("reviewed_at"))["at"],
        Meeting.objects.aggregate(at=Max("minutes_published_at"))["at"],
    ]
    plans = Plan.objects.aggregate(start=Min("start_date"), end=Max("end_date"))
    return {
        "dct:issued": _date(updates["first"]),
        "dct:modified": _date(max((at for at in last if at), default=None)),
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": _date(plans["start"]),
            "dcat:endDate": _date(plans["end"]),
        },
    }


def _distribution(
    url: str, title: str, media_type: str, file_type: str, licence: dict[str, str], page: str
) -> dict[str, Any]:
    return {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": title,
        "dcat:accessURL": {"@id": page},
        "dcat:downloadURL": {"@id": url},
        "dcat:mediaType": {"@id": f"{IANA}{media_type}"},
        "dct:format": {"@id": f"{EU_FILE_TYPE}{file_type}"},
        "dct:license": licence,
    }


def distributions(files: dict[str, str], page: str) -> list[dict[str, Any]]:
    """``files``: the addresses of the ZIP and of datapackage.json, and the folder of the data
    files, from the URLs (``views``)."""
    licence = {"@id": settings.OPEN_DATA_LICENSE["path"]}
    found = [
        _distribution(files["zip"], "ogp-open-data.zip", "application/zip", "ZIP", licence, page),
        {
            **_distribution(
                files["descriptor"], "datapackage.json", "application/json", "JSON", licence, page
            ),
            "dct:conformsTo": {"@id": "https://specs.frictionlessdata.io/data-package/"},
        },
    ]
    for resource in RESOURCES:
        for extension, media_type in FORMATS.items():
            url = files["base"] + data_path(resource, extension)
            title = f"{resource.name}.{extension} – {resource.title_en}"
            found.append(_distribution(url, title, media_type, extension.upper(), licence, page))
    return found


def catalog(link: Callable[[str], str], files: dict[str, str], page: str) -> dict[str, Any]:
    publisher = {"@type": "foaf:Agent", "foaf:name": settings.OPEN_DATA_PUBLISHER}
    languages = [{"@id": EU_LANGUAGE + LANGUAGE_CODES[code]} for code in CONTENT_LANGUAGES]
    licence = {"@id": settings.OPEN_DATA_LICENSE["path"]}
    when = dates()
    dataset = {
        "@id": f"{page}#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": "ogp-open-data",
        "dct:title": _texts(TITLE),
        "dct:description": _texts(DESCRIPTION),
        "dcat:keyword": list(KEYWORDS),
        "dct:publisher": publisher,
        "dcat:contactPoint": {
            "@type": "vcard:Organization",
            "vcard:fn": settings.OPEN_DATA_PUBLISHER,
            "vcard:hasEmail": {"@id": f"mailto:{settings.CONTACT_EMAIL}"},
        },
        "dct:license": licence,
        "dct:language": languages,
        "dcat:landingPage": {"@id": page},
        "dct:conformsTo": {"@id": DATA_PACKAGE_SPEC},
        **when,
        "dcat:distribution": distributions(files, page),
    }
    return {
        "@context": CONTEXT,
        "@id": files["catalog"],
        "@type": "dcat:Catalog",
        "dct:title": _texts(TITLE),
        "dct:description": _texts(DESCRIPTION),
        "dct:publisher": publisher,
        "dct:language": languages,
        "dct:license": licence,
        "foaf:homepage": {"@id": link("/")},
        "dct:issued": when["dct:issued"],
        "dct:modified": when["dct:modified"],
        "dcat:dataset": [dataset],
    }
