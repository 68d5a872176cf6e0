"""Where the text of a generated PDF falls between its pages, read back with pypdf.

The HTML a template renders is parsed for its table rows and headings; the PDF laid out from that
same HTML (``documents.pdf.html_to_pdf``, as ``render_pdf`` does) is read back page by page, and
each row and each heading is looked for on the pages.

pypdf gives Arabic in logical order within a run of Arabic, but puts the runs of a line that
mixes Arabic with figures in the order they are drawn (a right-to-left table's header cells
too), gives a bracket as its mirror image, and may move or lose an alef with hamza or a vowel
mark. So text is compared without spaces, per cent signs, brackets, alefs and vowel marks, and
a piece of text is found on a page when some stretch of the page holds exactly its characters,
in whatever order (an anagram of it): a row cut between two pages has no such stretch on any.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

from pypdf import PdfReader

from documents.pdf import html_to_pdf

# How much of what follows a heading must be on the heading's page (whole text nodes, whole
# rows: a paragraph, a list's first item, a table's header and first row), a table's header
# not counted.
FOLLOWING_KEY = 24
HEADINGS = {"h1", "h2", "h3", "h4"}
# Spaces, the contents' leaders (dots, spaced or not), per cent signs, brackets and quotes (mirrored
# in Arabic); Arabic alefs, vowel marks, superscript alef and tatweel; the marks of direction,
# which are not drawn.
_DROPPED = re.compile(
    "(?:\\.\\s*){3,}|[\\s%()\\[\\]{}<>«»‹›\u0622\u0623\u0625\u0627\u064b-\u065f\u0670\u0640\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+"
)


def normalise(text: str) -> str:
    return _DROPPED.sub("", unicodedata.normalize("NFKC", text))


def holds(page: str, text: str) -> bool:
    """Whether some stretch of ``page`` is ``text`` in any order (see the module's doc)."""
    size, wanted = len(text), Counter(text)
    if not size or size > len(page) or wanted - Counter(page):
        return False
    # Slide a window of the text's size along the page, counting the characters whose number
    # in the window differs from their number in the text.
    window = Counter(page[:size])
    differ = sum(1 for char in wanted.keys() | window.keys() if window[char] != wanted[char])
    for start in range(size, len(page) + 1):
        if not differ:
            return True
        if start == len(page):
            return False
        for char, step in ((page[start - size], -1), (page[start], 1)):
            before = window[char] == wanted[char]
            window[char] += step
            differ += int(before) - int(window[char] == wanted[char])
    return False


@dataclass
class Row:
    cells: list[str]

    @property
    def text(self) -> str:
        return "".join(normalise(cell) for cell in self.cells)

    def __str__(self) -> str:
        return " | ".join(" ".join(cell.split())[:50] for cell in self.cells)


@dataclass
class Heading:
    text: str
    following: list[str] = field(default_factory=list)
    # How much of what follows is not a table's header (repeated on every page of the table).
    weight: int = 0

    @property
    def key(self) -> str:
        return normalise(self.text + "".join(self.following))

    def __str__(self) -> str:
        following = " ".join(" ".join(self.following).split())
        return f"{' '.join(self.text.split())} (then {following[:40]!r})"


@dataclass
class Layout:
    """What the HTML holds (body rows, headings) and the text of each page of its PDF."""

    rows: list[Row] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def split_rows(self) -> list[str]:
        """The rows that no page holds whole."""
        return [str(row) for row in self.rows if not any(holds(p, row.text) for p in self.pages)]

    def stranded_headings(self) -> list[str]:
        """The headings that no page holds with the start of what follows them."""
        return [
            str(heading)
            for heading in self.headings
            if heading.following and not any(holds(p, heading.key) for p in self.pages)
        ]


class _Structure(HTMLParser):
    """Body rows (with ``td`` cells) and headings, with the text that follows each heading.
    An inline chart's text is left out (WeasyPrint draws it after the rest of the page), and
    what follows a heading stops at a link within the document (the contents' page numbers
    come after it, made by the style sheet)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[Row] = []
        self.headings: list[Heading] = []
        self.skip = 0  # inside <head>, <style>, <svg>
        self.cells: list[str] | None = None
        self.in_cell = False
        self.heading: Heading | None = None
        self.open_headings: list[Heading] = []
        self.in_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"head", "style", "svg"}:
            self.skip += 1
        elif tag == "tr":
            self.cells = []
        elif tag in {"td", "th"} and self.cells is not None:
            self.in_cell = tag == "td"
            if self.in_cell:
                self.cells.append("")
        elif tag in HEADINGS:
            # What follows a heading goes no further than the next heading.
            self.heading, self.open_headings = Heading(text=""), []
        elif tag == "br":
            self.handle_data(" ")
        elif tag == "a" and (dict(attrs).get("href") or "").startswith("#"):
            self.in_link = True

    def handle_endtag(self, tag: str) -> None:
        if tag in {"head", "style", "svg"}:
            self.skip -= 1
        elif tag == "tr":
            if self.cells:
                self.rows.append(Row(self.cells))
            self.cells = None
            self.settle()
        elif tag in {"td", "th"}:
            self.in_cell = False
        elif tag in HEADINGS and self.heading is not None:
            self.headings.append(self.heading)
            self.open_headings = [self.heading]
            self.heading = None
        elif tag == "a" and self.in_link:
            self.in_link = False
            self.open_headings = []

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.heading is not None:
            self.heading.text += data
        elif self.in_cell and self.cells:
            self.cells[-1] += data
        if data.strip():
            header = self.cells is not None and not self.in_cell
            for heading in self.open_headings:
                heading.following.append(data)
                heading.weight += 0 if header else len(normalise(data))
            if self.cells is None:
                self.settle()

    def settle(self) -> None:
        """Stop following the headings that have enough text after them (whole rows only: a
        right-to-left row's cells may come back in another order)."""
        self.open_headings = [h for h in self.open_headings if h.weight < FOLLOWING_KEY]


def lay_out(html: str) -> Layout:
    """``html`` laid out by WeasyPrint and read back, with the rows and headings it holds."""
    structure = _Structure()
    structure.feed(html)
    reader = PdfReader(io.BytesIO(html_to_pdf(html)))
    pages = [normalise(page.extract_text() or "") for page in reader.pages]
    return Layout(rows=structure.rows, headings=structure.headings, pages=pages)
