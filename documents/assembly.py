"""A long PDF laid out in parts, and the parts put back together as one document.

WeasyPrint lays a document out whole: a report of 500 commitments takes it minutes and a
gigabyte, every time, even when one activity changed. Laid out part by part (each part a whole
HTML document starting on a new page, see ``lay_out``), the parts can be kept and reused while
their HTML is unchanged, and laid out by several workers at once. What a single pass computes
across parts is then made over the assembled pages (``assemble``): the page footers
("page n / N"), the links from one part to another, the named destinations and the nested
outline, from what WeasyPrint measured of each part (its pages, anchors, links and bookmarks, in
``Part.layout``). The front matter, whose contents give the page of every part, is laid out
last, once the page counts are known (``front_pages``).

Coordinates are kept as WeasyPrint gives them, CSS pixels from the top-left of the page, and
converted as its PDF writer does (``_point``), so a link or an outline entry lands where a single
pass would put it.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import struct
from collections.abc import Callable, Sequence
from typing import Any

import weasyprint
from fontTools.ttLib import TTFont
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    Fit,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from weasyprint.anchors import make_page_bookmark_tree
from weasyprint.matrix import Matrix

# WeasyPrint's PDF unit is the point: 0.75 of a CSS pixel.
PT_PER_PX = 0.75


@dataclasses.dataclass(frozen=True)
class Part:
    """One laid-out part: its PDF and what the assembly needs of its layout.

    ``layout`` is JSON-ready: ``pages`` [[width, height]], ``anchors`` {name: [page, x, y]},
    ``links`` [[page, anchor, x1, y1, x2, y2]] (the internal ones: each part's PDF has none,
    the assembly makes them), ``bookmarks`` [[page, level, label, x, y, state]], in CSS pixels
    from the top-left of the part's page."""

    pdf: bytes
    layout: dict[str, Any]

    @property
    def pages(self) -> int:
        return len(self.layout["pages"])


def measured(document: Any) -> dict[str, Any]:
    """What the assembly needs of a WeasyPrint ``Document``; takes its internal links and
    anchors out of it, so that its own PDF has neither (the assembly writes them)."""
    layout: dict[str, Any] = {"pages": [], "anchors": {}, "links": [], "bookmarks": []}
    for number, page in enumerate(document.pages):
        layout["pages"].append([page.width, page.height])
        for name, (x, y, _, _) in page.anchors.items():
            layout["anchors"].setdefault(name, [number, x, y])
        for level, label, (x, y), state in page.bookmarks:
            layout["bookmarks"].append([number, level, label, x, y, state])
        for kind, target, (x1, y1, x2, y2), _ in page.links:
            if kind == "internal":
                layout["links"].append([number, target, x1, y1, x2, y2])
        page.links = [link for link in page.links if link[0] != "internal"]
        page.anchors = {}
        page.bookmarks = []
    return layout


def assemble(
    parts: Sequence[Part], stamp: Callable[[int], Part], title: str, language: str
) -> bytes:
    """The parts as one PDF, with the pages of ``stamp(total)`` (the footers) laid over
    theirs, every internal link, a named destination per anchor and the outline."""
    writer = PdfWriter()
    offsets: list[int] = []
    heights: list[float] = []
    for part in parts:
        offsets.append(len(heights))
        heights.extend(height for _, height in part.layout["pages"])
        for laid_out in PdfReader(io.BytesIO(part.pdf)).pages:
            writer.add_page(laid_out)
    total = len(heights)
    _stamp(writer, stamp(total), total)
    anchors: dict[str, tuple[int, float, float]] = {}
    for part, offset in zip(parts, offsets, strict=True):
        for name, (page, x, y) in part.layout["anchors"].items():
            anchors.setdefault(name, (offset + page, x, y))
    for name, (page, x, y) in anchors.items():
        left, top = _point(x, y, heights[page])
        writer.add_named_destination_array(
            TextStringObject(name),
            ArrayObject(
                [writer.pages[page].indirect_reference, NameObject("/XYZ"),
                 FloatObject(left), FloatObject(top), NumberObject(0)]
            ),
        )  # fmt: skip
    for part, offset in zip(parts, offsets, strict=True):
        for page, target, x1, y1, x2, y2 in part.layout["links"]:
            if target not in anchors:
                continue  # as WeasyPrint: a link to nowhere is left out
            to_page, x, y = anchors[target]
            height = heights[offset + page]
            left, bottom = _point(x1, y2, height)
            right, top = _point(x2, y1, height)
            dest_left, dest_top = _point(x, y, heights[to_page])
            writer.add_annotation(
                offset + page,
                Link(
                    rect=(left, bottom, right, top),
                    target_page_index=to_page,
                    fit=Fit.xyz(left=dest_left, top=dest_top, zoom=0),
                    border=[0, 0, 0],
                ),
            )
    _outline(writer, parts, offsets, heights)
    writer.add_metadata({"/Title": title, "/Producer": f"WeasyPrint {weasyprint.__version__}"})
    writer._root_object[NameObject("/Lang")] = TextStringObject(language)
    share_fonts(writer)
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _point(x: float, y: float, height: float) -> tuple[float, float]:
    """A CSS point of a page as a PDF point (bottom-left origin), as WeasyPrint's writer does."""
    return Matrix(a=PT_PER_PX, d=-PT_PER_PX, f=height * PT_PER_PX).transform_point(x, y)


def _stamp(writer: PdfWriter, stamp: Part, total: int) -> None:
    if stamp.pages != total:
        raise ValueError(f"The footers have {stamp.pages} pages for a document of {total}.")
    for page, over in zip(writer.pages, PdfReader(io.BytesIO(stamp.pdf)).pages, strict=True):
        page.merge_page(over)
        page.compress_content_streams()  # merging left it uncompressed


class _Page:
    """What WeasyPrint's outline builder reads of a page."""

    def __init__(self, height: float) -> None:
        self.height = height
        self.bookmarks: list[tuple[int, str, tuple[float, float], str]] = []


def _outline(
    writer: PdfWriter, parts: Sequence[Part], offsets: list[int], heights: list[float]
) -> None:
    """The nested outline of all the parts' bookmarks, nested as a single pass nests them
    (WeasyPrint's own builder, over all the pages)."""
    pages = [_Page(height) for height in heights]
    for part, offset in zip(parts, offsets, strict=True):
        for page, level, label, x, y, state in part.layout["bookmarks"]:
            pages[offset + page].bookmarks.append((level, label, (x, y), state))
    root: list[Any] = []
    skipped: list[int] = []
    last_by_depth = [root]
    previous = 0
    for number, page in enumerate(pages):
        matrix = Matrix(a=PT_PER_PX, d=-PT_PER_PX, f=page.height * PT_PER_PX)
        previous = make_page_bookmark_tree(page, skipped, last_by_depth, previous, number, matrix)

    def add(entries: list[Any], parent: Any) -> None:
        for label, (page_number, x, y), children, state in entries:
            item = writer.add_outline_item(
                label,
                page_number,
                parent=parent,
                fit=Fit.xyz(left=x, top=y, zoom=0),
                is_open=state != "closed",
            )
            add(children, item)

    add(root, None)


def share_fonts(writer: PdfWriter) -> None:
    """One embedded file per font instead of one subset per part: WeasyPrint's subsets keep
    the font's glyph numbers (``RETAIN_GIDS``) for every glyph up to the last one drawn, so
    the union of the subsets draws every part's glyphs, and each part keeps its own widths and
    text map (``/W``, ``/ToUnicode``)."""
    groups: dict[str, dict[int, tuple[Any, set[int]]]] = {}
    descriptors: dict[str, list[Any]] = {}
    for page in writer.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        for font in (fonts.get_object() if fonts else {}).values():
            font = font.get_object()
            if font.get("/Subtype") != "/Type0":
                continue
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant.get("/FontDescriptor")
            if descendant.get("/Subtype") != "/CIDFontType2" or descriptor is None:
                continue
            descriptor = descriptor.get_object()
            if "/FontFile2" not in descriptor:
                continue
            name = str(font["/BaseFont"])
            file = descriptor.raw_get("/FontFile2")
            groups.setdefault(name, {})[file.idnum] = (file, _drawn(descendant.get("/W", [])))
            descriptors.setdefault(name, []).append(descriptor)
    for name, files in groups.items():
        if len(files) < 2:
            continue
        subsets = [(file.get_object().get_data(), drawn) for file, drawn in files.values()]
        merged = union_of_subsets(subsets)
        if merged is None:
            continue
        stream = DecodedStreamObject()
        stream.set_data(merged)
        reference = writer._add_object(stream.flate_encode())
        for descriptor in descriptors[name]:
            descriptor[NameObject("/FontFile2")] = reference


def _drawn(widths: Any) -> set[int]:
    """The glyph numbers a font's ``/W`` array gives widths for: those its part draws."""
    drawn: set[int] = set()
    items = list(widths.get_object()) if widths else []
    index = 0
    while index < len(items):
        first, following = int(items[index]), items[index + 1]
        if isinstance(following, list):
            drawn.update(range(first, first + len(following)))
            index += 2
        else:  # first last width
            drawn.update(range(first, int(following) + 1))
            index += 3
    return drawn


def union_of_subsets(subsets: list[tuple[bytes, set[int]]]) -> bytes | None:
    """One TrueType font drawing every glyph that each subset (of one font, keeping its glyph
    numbers) draws (the numbers given with it), or None when they are not such subsets.

    In a subset, a glyph up to the highest number it draws has the font's own number; the
    components of composite glyphs beyond it are numbered anew, after it. The base is the
    subset drawing the highest number; a glyph it lacks is copied from the subset drawing it,
    with the components it lacks, those numbered anew added at the end."""
    if any(not drawn for _, drawn in subsets):
        return None
    # One subset at a time, its glyphs read as they are asked for (lazy): hundreds of parts.
    first = max(range(len(subsets)), key=lambda index: max(subsets[index][1]))
    base = TTFont(io.BytesIO(subsets[first][0]), lazy=True)
    if "glyf" not in base:
        return None  # not TrueType outlines
    order = list(base.getGlyphOrder())
    has_outline = _outlined(subsets[first][0])
    for index, (data, drawn) in enumerate(subsets):
        # Most parts draw nothing the base lacks: told from the glyphs' offsets alone.
        missing = sorted((drawn & _outlined(data)) - has_outline) if index != first else []
        if not missing:
            continue
        other = TTFont(io.BytesIO(data), lazy=True)
        names = other.getGlyphOrder()
        if "glyf" not in other or max(drawn) >= len(names):
            return None
        copier = _GlyphCopier(base, order, other, max(drawn))
        for number in missing:
            copier.place(names[number])
        has_outline.update(missing)
    base.setGlyphOrder(order)
    for table in ("hdmx", "LTSH", "VDMX"):  # per-glyph data of the base subset only
        if table in base:
            del base[table]
    out = io.BytesIO()
    base.save(out)
    return out.getvalue()


def _outlined(font: bytes) -> set[int]:
    """The numbers of the glyphs of a TrueType font that have an outline (a non-empty entry
    in its ``glyf`` table), read from its ``loca`` table without parsing the rest."""
    (tables,) = struct.unpack_from(">H", font, 4)
    directory = {}
    for index in range(tables):
        tag, _, offset, length = struct.unpack_from(">4sIII", font, 12 + 16 * index)
        directory[tag] = (offset, length)
    if b"loca" not in directory or b"head" not in directory:
        return set()
    (long_offsets,) = struct.unpack_from(">h", font, directory[b"head"][0] + 50)
    offset, length = directory[b"loca"]
    if long_offsets:
        starts = struct.unpack_from(f">{length // 4}I", font, offset)
    else:
        starts = tuple(2 * start for start in struct.unpack_from(f">{length // 2}H", font, offset))
    return {number for number in range(len(starts) - 1) if starts[number + 1] > starts[number]}


class _GlyphCopier:
    """Copies the glyphs of one subset into the base (``union_of_subsets``), with their
    components; ``order`` is the base's glyph order, added to."""

    def __init__(self, base: TTFont, order: list[str], other: TTFont, top: int) -> None:
        self.base, self.order, self.other, self.top = base, order, other, top
        self.added: dict[str, str] = {}

    def place(self, name: str) -> str:
        """The base's name for the other subset's glyph ``name``, copied there if missing."""
        glyphs = self.base["glyf"]
        number = self.other.getGlyphID(name)
        glyph = self.other["glyf"][name]
        if number <= self.top:
            target = self.order[number]
            if glyph.numberOfContours == 0 or glyphs[target].numberOfContours != 0:
                return target  # nothing to draw, or the base draws it
        elif name in self.added:
            return self.added[name]
        else:
            target = self.added[name] = f"{name}.{len(self.order)}"
            self.order.append(target)
        glyph = copy.deepcopy(glyph)
        for component in getattr(glyph, "components", None) or []:
            component.glyphName = self.place(component.glyphName)
        glyphs[target] = glyph
        self.base["hmtx"][target] = self.other["hmtx"][name]
        return target
