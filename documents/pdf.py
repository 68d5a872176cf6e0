"""HTML to PDF with WeasyPrint, reading nothing but the portal's own static files."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import UNICODE_SCHEME_RE, URLFetcher

from .assembly import Part, measured


class LocalFetcher(URLFetcher):
    """data: URLs and files under the static folders; anything else is refused, so a report
    can never make WeasyPrint read the network or another file of the server."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = [Path(p).resolve() for p in finders.searched_locations or []]
        self.roots += [Path(settings.STATIC_ROOT).resolve()]
        self.roots += [Path(p).resolve() for p in settings.STATICFILES_DIRS]

    def fetch(self, url: str, headers: Any = None) -> Any:
        # The scheme as WeasyPrint reads it (any case: ``FILE:`` is ``file:``); a file is
        # fetched by the resolved path that was checked, so ``..`` and symlinks cannot lead
        # elsewhere between the check and the read.
        match = UNICODE_SCHEME_RE.match(url)
        scheme = match[1].lower() if match else ""
        if scheme not in {"file", "data"}:
            raise ValueError(f"Refused: not a static file nor a data URL: {url}")
        if scheme == "file":
            url = self.allowed_path(url).as_uri()
        return super().fetch(url, headers)

    def allowed_path(self, url: str) -> Path:
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"Refused outside the static folders: {url}")
        return path


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """The template rendered with ``context``, laid out as a PDF."""
    return html_to_pdf(render_to_string(template, context))


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint's layout of ``html``; tests replace this one function when the PDF itself is
    not what they test (see the ``fake_pdf`` fixture)."""
    base_url = Path(settings.BASE_DIR / "static").resolve().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=LocalFetcher()).write_pdf()


@functools.cache
def _font_config() -> FontConfiguration:
    """One font configuration for the process: the parts of a report are hundreds of small
    documents, and making it anew for each is a third of their layout."""
    return FontConfiguration()


# WeasyPrint's options for the parts. Not ``full_fonts``: whole fonts would be the same file in
# every part, but their text reads back as presentation forms (Arabic) and ligatures; each part
# embeds the subset of the glyphs it uses.
LAYOUT_OPTIONS: dict[str, Any] = {}


def lay_out(html: str) -> Part:
    """WeasyPrint's layout of ``html`` as a part of a longer document (documents/assembly.py);
    tests replace this one function with ``html_to_pdf`` (see the ``fake_pdf`` fixture)."""
    base_url = Path(settings.BASE_DIR / "static").resolve().as_uri() + "/"
    document = HTML(string=html, base_url=base_url, url_fetcher=LocalFetcher()).render(
        font_config=_font_config()
    )
    layout = measured(document)
    return Part(pdf=document.write_pdf(**LAYOUT_OPTIONS), layout=layout)
