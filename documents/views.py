"""The page side of a generated document: the row a page polls until the version is done, and
the download of its PDF."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from .models import GeneratedDocument

VERSION_ROW = "documents/_version_row.html"

logger = logging.getLogger(__name__)


def version_row(
    request: HttpRequest, version: GeneratedDocument, urls: dict[str, str]
) -> HttpResponse:
    """The version's row (status, progress, retry, download); it stops polling once done.
    ``urls`` names the app's ``status``, ``retry`` and ``download`` URL patterns."""
    return render(request, VERSION_ROW, {"version": version, "version_urls": urls})


def pdf_download(
    request: HttpRequest, version: GeneratedDocument, filename: str
) -> HttpResponseBase:
    """The version's PDF as an attachment named ``filename``; when the file is gone from the
    storage, a 404 that says so (the secretariat sees the version as broken on its row)."""
    try:
        pdf = version.pdf.open("rb")
    except FileNotFoundError:
        logger.error("The PDF of %s %s is missing: %s", type(version).__name__, version.pk,
                     version.pdf.name)  # fmt: skip
        return file_missing(request)
    return FileResponse(pdf, as_attachment=True, filename=filename, content_type="application/pdf")


def file_missing(request: HttpRequest) -> HttpResponse:
    """404: JSON under /api/, the portal's page elsewhere, both saying what is missing."""
    message = _(
        "The PDF of this document cannot be found on the server. The secretariat can "
        "generate it again."
    )
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=404)
    return render(request, "404.html", {"message": message}, status=404)


def requested_message(created: bool) -> str:
    """What the secretariat is told after asking for a generation: started, or already under
    way (the version followed is that one)."""
    if created:
        return _("Generation started: follow it below.")
    return _("This document is already being generated in this language: follow it below.")


def retried_message(version: GeneratedDocument, followed: GeneratedDocument) -> str:
    """What the secretariat is told after asking for ``version`` again: the version followed
    is ``version`` itself, or a new one when its file was missing."""
    if followed.pk == version.pk:
        return _("Generation started again.")
    return _("The file was missing: a new version is being generated, follow it below.")


def announce(request: HttpRequest, version: GeneratedDocument, started: str) -> None:
    """The page's message once a generation was asked for: ``started``; or, when the broker
    could not be reached, that the generation is queued."""
    if version.problem == GeneratedDocument.Problem.QUEUED:
        messages.warning(request, GeneratedDocument.Problem.QUEUED.label)
    else:
        messages.info(request, started)
