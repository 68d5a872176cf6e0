"""The page side of a generated document: the row a page polls until the version is done."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import GeneratedDocument

VERSION_ROW = "documents/_version_row.html"


def version_row(
    request: HttpRequest, version: GeneratedDocument, urls: dict[str, str]
) -> HttpResponse:
    """The version's row (status, progress, retry, download); it stops polling once done.
    ``urls`` names the app's ``status``, ``retry`` and ``download`` URL patterns."""
    return render(request, VERSION_ROW, {"version": version, "version_urls": urls})
