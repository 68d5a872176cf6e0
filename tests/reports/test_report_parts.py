"""The report laid out by parts is the report a single pass of WeasyPrint lays out: the same
pages drawing the same glyphs at the same places, the same text, page numbers, links and nested
outline; and a new version after one change lays out that one part again, nothing else.

Real layouts (WeasyPrint): the demo report, in French and in Arabic."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.utils import translation
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont
from pypdf import PageObject, PdfReader
from pypdf.generic import ContentStream

import documents.pdf
from commitments.models import Commitment
from documents.models import LaidOutPart
from documents.parts import PartStore
from reports.contexts import build_report_context
from reports.generation import REPORT
from reports.layout import COMMITMENTS_PER_PART, assembled_report, owner, single_pass_html
from reports.models import Report
from tests.reports.factories import ReportVersionFactory

pytestmark = pytest.mark.django_db

SUBSET_TAG = re.compile(r"^/?[A-Z]{6}\+")


@pytest.fixture
def report(demo):
    return Report.objects.get(plan__code="PAN-2021-2023")


def glyphs(page: PageObject) -> list[tuple[Any, ...]]:
    """What a page draws: each run of glyphs, its font (less the subset's tag) and place."""
    fonts = {
        name: SUBSET_TAG.sub("", str(font.get_object()["/BaseFont"]))
        for name, font in (page["/Resources"].get_object().get("/Font") or {}).items()
    }
    runs, font, matrix = [], None, None
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"Tf":
            font = fonts[operands[0]]
        elif operator == b"Tm":
            matrix = tuple(round(float(value), 2) for value in operands)
        elif operator in (b"Tj", b"TJ"):
            items = operands[0] if operator == b"TJ" else [operands[0]]
            shown = tuple(
                item.original_bytes if hasattr(item, "original_bytes") else round(float(item), 2)
                for item in items
            )
            runs.append((font, matrix, shown))
    return runs


def outlines(reader: PdfReader) -> dict[tuple[str, int], Any]:
    """The outline of every glyph the pages draw, as the embedded fonts give it: (font, glyph
    number) to its contours, components drawn in. The parts' font subsets are merged into one
    font per face (documents.assembly.share_fonts): each glyph must still have its own shape."""
    fonts: dict[int, TTFont] = {}
    shapes: dict[tuple[str, int], Any] = {}
    for page in reader.pages:
        faces = {}
        for name, font in page["/Resources"].get_object()["/Font"].items():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            file = descriptor.raw_get("/FontFile2")
            if file.idnum not in fonts:
                fonts[file.idnum] = TTFont(io.BytesIO(file.get_object().get_data()))
            faces[name] = (SUBSET_TAG.sub("", str(font["/BaseFont"])), fonts[file.idnum])
        face = None
        for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
            if operator == b"Tf":
                face = faces[operands[0]]
            elif operator in (b"Tj", b"TJ") and face is not None:
                name, ttfont = face
                items = operands[0] if operator == b"TJ" else [operands[0]]
                for item in items:
                    codes = getattr(item, "original_bytes", b"")
                    for index in range(0, len(codes), 2):
                        number = int.from_bytes(codes[index : index + 2], "big")
                        glyphs = ttfont.getGlyphSet()
                        pen = DecomposingRecordingPen(glyphs)
                        glyphs[ttfont.getGlyphOrder()[number]].draw(pen)
                        shapes[name, number] = tuple(pen.value)
    return shapes


def outline(reader: PdfReader) -> list[Any]:
    """The outline as (title, page index, children)."""

    def walk(items: list[Any]) -> list[Any]:
        entries: list[Any] = []
        for item in items:
            if isinstance(item, list):
                title, page, _ = entries[-1]
                entries[-1] = (title, page, walk(item))
            else:
                entries.append((item.title, reader.get_destination_page_number(item), []))
        return entries

    return walk(reader.outline)


def links(reader: PdfReader) -> list[tuple[Any, ...]]:
    """Every link: its page, its rectangle, the page and height it leads to (named or not)."""
    found = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            if link.get("/Subtype") != "/Link":
                continue
            dest = link["/Dest"]
            if isinstance(dest, str):
                named = reader.named_destinations[dest]
                target, top = reader.get_destination_page_number(named), named.top
            else:
                target, top = reader.get_page_number(dest[0].get_object()), dest[3]
            x1, y1, x2, y2 = (round(float(v), 1) for v in link["/Rect"])
            rect = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
            found.append((number, rect, target, round(float(top), 1)))
    return sorted(found)


def readable(text: str, language: str) -> str:
    """A page's text as a reader gets it back, less what depends on the file rather than the
    page. In Arabic, a glyph of a ligature with alef maps back to the text of whichever cluster
    WeasyPrint met first in that file (its ToUnicode map: "أ", "ا" or nothing): the glyphs
    drawn are the same (``glyphs``), the alef read back may not be."""
    return re.sub("[اأ]", "", text) if language == "ar" else text


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_parts_assembled_are_the_single_pass(report, language):
    with translation.override(language):
        context = build_report_context(report, language)
        single = PdfReader(io.BytesIO(documents.pdf.html_to_pdf(single_pass_html(context))))
        assembled = PdfReader(
            io.BytesIO(assembled_report(context, PartStore(owner(report.pk, language))))
        )

    assert len(assembled.pages) == len(single.pages) > 22
    for number, (expected, got) in enumerate(zip(single.pages, assembled.pages, strict=True)):
        assert glyphs(got) == glyphs(expected), f"page {number + 1}"
        assert readable(got.extract_text(), language) == readable(
            expected.extract_text(), language
        ), f"page {number + 1}"
    assert outlines(assembled) == outlines(single)
    # Page n / N on every page but the cover, as the single pass numbers them.
    total = len(single.pages)
    assert f"{total} / {total}" in assembled.pages[-1].extract_text()
    assert " / " not in assembled.pages[0].extract_text()
    # The contents' links, and the outline nested as the headings are.
    assert links(assembled) == links(single)
    assert len(links(single)) > 22
    assert outline(assembled) == outline(single)
    chapters = outline(single)[0][2]  # under the report's title
    assert [page for _, page, _ in chapters] == sorted(page for _, page, _ in chapters)
    assert any(children for _, _, children in chapters)  # h3 under h2
    assert assembled.metadata.title == single.metadata.title
    assert assembled.trailer["/Root"]["/Lang"] == language


def test_one_change_lays_out_the_part_of_that_commitment_again(report, monkeypatch):
    laid_out: list[str] = []
    real = documents.pdf.lay_out

    def counting(html: str):
        laid_out.append(html)
        return real(html)

    monkeypatch.setattr(documents.pdf, "lay_out", counting)
    first = REPORT.generate(ReportVersionFactory(report=report, language="fr").pk)
    assert first.status == "ready"
    commitments = Commitment.objects.filter(plan=report.plan).count()
    parts = -(-commitments // COMMITMENTS_PER_PART)
    assert parts > 1
    # Every part of commitments, the summaries, the annexes, the cover, the front matter (on
    # a guess, then once more: its own page count) and the footers.
    assert len(laid_out) == parts + 6
    # No front matter kept yet: one on a guess went first to the workers, with the parts, so
    # that after them the front matter is laid out once, at the page count the guess found.
    fronts = [i for i, html in enumerate(laid_out) if 'id="toc"' in html]
    body = [
        i
        for i, html in enumerate(laid_out)
        if 'id="commitment-1"' in html or 'id="annexes"' in html
    ]
    assert fronts[0] < min(body) and len([i for i in fronts if i > max(body)]) == 1, fronts

    commitment = Commitment.objects.get(plan=report.plan, number=7)
    commitment.remarks_fr = "Le décret est publié au Bulletin officiel."
    commitment.save()
    laid_out.clear()
    second = REPORT.generate(ReportVersionFactory(report=report, language="fr").pk)
    assert second.status == "ready"
    assert second.data_hash != first.data_hash
    # That commitment's part and nothing else: the cover only if its generation time moved to
    # the next minute; the same pages, so the same contents and footers.
    assert 'id="commitment-7"' in laid_out[0]
    assert f'id="commitment-{COMMITMENTS_PER_PART + 1}"' not in laid_out[0]
    assert "Le décret est publié au Bulletin officiel." in laid_out[0]
    assert all('class="cover"' in html for html in laid_out[1:]), len(laid_out)
    assert not any('id="toc"' in html for html in laid_out), "the contents are kept"
    with second.pdf.open("rb") as file:
        pages = [page.extract_text() for page in PdfReader(file).pages]
    assert any("Le décret est publié au Bulletin officiel." in page for page in pages)
    # The parts no longer used are gone: those of the last version are kept.
    kept = LaidOutPart.objects.filter(owner=owner(report.pk, "fr"))
    assert kept.count() == parts + 5
