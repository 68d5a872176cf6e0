"""The report's PDF laid out by parts: the cover, the summaries, one per
``COMMITMENTS_PER_PART`` commitments, the annexes, and the front matter (the contents) laid out
last, once the page of every heading it lists is known; the footers, links and outline are made
over the assembled pages (documents/assembly.py).

Every part starts on a new page in the single pass too (each begins with a heading that breaks
the page, the cover ends with a break), so the assembled document has the pages, numbers, links
and outline that ``single_pass_html`` laid out in one pass would have:
tests/reports/test_report_parts.py compares them page by page.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from documents.assembly import Part, assemble
from documents.parts import PartStore, part_key

from .contexts import CommitmentSection, ReportContext, report_charts

# The front matter is laid out again while its own page count moves the pages it announces;
# one more pass is the exception (a number that got a digit more), two never seen.
FRONT_PASSES = 4

# Commitments laid out together: WeasyPrint's cost per document (the cascade, the PDF and its
# fonts) shared by ten, while one changed commitment lays out ten again, not the report. Ten
# cost 40 % less than ten parts of one on BENCH-500 (benchmarks/README.md).
COMMITMENTS_PER_PART = 10


@dataclass(frozen=True)
class BodyPart:
    """A part that does not depend on page numbers: consecutive commitments, or the annexes."""

    anchor: str
    html: str

    @functools.cached_property
    def key(self) -> str:
        return part_key(self.html)


def owner(report_id: int, language: str) -> str:
    """Whose parts they are, in the store: a report in one language."""
    return f"report-{report_id}-{language}"


def single_pass_html(context: ReportContext) -> str:
    """The whole report as one HTML document, for WeasyPrint to lay out in one pass."""
    return render_to_string(
        "reports/report_pdf.html",
        {
            "report": context,
            "charts": report_charts(context),
            "contents": [(c, None) for c in context.commitments],
        },
    )


# The summaries' headings the contents link to, by the name the template reads them.
SUMMARY_ANCHORS = {
    "summary": "summary",
    "plan": "plan",
    "co_creation": "co-creation",
    "monitoring": "monitoring",
    "progress": "progress",
}


def cover_part(context: ReportContext) -> BodyPart:
    """The cover: the report's first page, laid out apart from the contents, which depend on
    the page numbers, so that the generation time and the plan's progress it shows lay out one
    page again, not the contents."""
    return BodyPart("cover", _part_html("cover", context))


def body_parts(context: ReportContext) -> list[BodyPart]:
    """The parts after the contents: the summaries, the commitments' parts, in order, then the
    annexes'. A commitment added at the end of the plan lays out the last part again; one
    inserted before others, every part after it."""
    sections = context.commitments
    summary = BodyPart("summary", _part_html("summary", context, charts=report_charts(context)))
    parts = [summary] + [
        BodyPart(
            f"commitment-{sections[start].number}",
            _part_html(
                "commitments", context, sections=sections[start : start + COMMITMENTS_PER_PART]
            ),
        )
        for start in range(0, len(sections), COMMITMENTS_PER_PART)
    ]
    parts.append(BodyPart("annexes", _part_html("annexes", context)))
    return parts


def _part_html(kind: str, context: ReportContext, **extra: Any) -> str:
    return render_to_string("reports/report_part.html", {"part": kind, "report": context, **extra})


def front_html(
    context: ReportContext, front_pages: int, body: list[Part], cover_pages: int = 1
) -> str:
    """The front matter (the contents), giving each summary's, commitment's and the annexes'
    page as they fall when it has ``front_pages`` pages after the cover's (the page of each
    heading's anchor, in its part)."""
    pages: dict[str, int] = {}
    first = cover_pages + front_pages + 1
    for part in body:
        for name, (number, _x, _y) in part.layout["anchors"].items():
            pages.setdefault(name, first + number)
        first += part.pages
    sections: list[CommitmentSection] = context.commitments
    return _part_html(
        "front",
        context,
        pages={key: pages.get(anchor) for key, anchor in SUMMARY_ANCHORS.items()},
        contents=[(c, pages[f"commitment-{c.number}"]) for c in sections],
        annexes_page=pages["annexes"],
    )


def guessed_front_html(context: ReportContext) -> str:
    """The front matter on a guess (a page per summary and commitment, one for itself), laid
    out beside the parts when no earlier front matter of the report tells its page count: its
    page count is then the first guess of ``lay_out_front``, which the page numbers, whose
    digits alone differ, seldom move."""
    sections: list[CommitmentSection] = context.commitments
    summaries = {anchor: [0, 0, 0] for anchor in SUMMARY_ANCHORS.values()}
    guessed = [Part(pdf=b"", layout={"pages": [[0, 0]], "anchors": summaries})]
    for start in range(0, len(sections), COMMITMENTS_PER_PART):
        chunk = sections[start : start + COMMITMENTS_PER_PART]
        anchors = {f"commitment-{c.number}": [page, 0, 0] for page, c in enumerate(chunk)}
        guessed.append(Part(pdf=b"", layout={"pages": [[0, 0]] * len(chunk), "anchors": anchors}))
    guessed.append(Part(pdf=b"", layout={"pages": [[0, 0]], "anchors": {"annexes": [0, 0, 0]}}))
    return front_html(context, 1, guessed)


def assembled_report(
    context: ReportContext, store: PartStore, body_html: list[BodyPart] | None = None
) -> bytes:
    """The report's PDF from its parts, those of ``store`` (laid out and kept there when
    missing); ``body_html``: ``body_parts(context)``, when the caller has it already."""
    parts = body_html if body_html is not None else body_parts(context)
    body = [store.laid_out(part.html) for part in parts]
    cover = store.laid_out(cover_part(context).html)
    front = lay_out_front(context, cover, body, store)

    def footers(total: int) -> Part:
        return store.laid_out(footers_html(context, total))

    return assemble([cover, front, *body], footers, title=context.title, language=context.language)


def footers_html(context: ReportContext, total: int) -> str:
    """The footers of a report of ``total`` pages ("page n / N"), one page each."""
    return render_to_string(
        "reports/report_footers.html", {"report": context, "slots": range(total)}
    )


def last_parts_html(
    context: ReportContext, store: PartStore, body_html: list[BodyPart]
) -> list[str]:
    """The front matter and the footers as ``assembled_report`` will first ask for them, once
    the body is laid out (the front matter's page count assumed to be its last one's, as
    ``lay_out_front`` assumes): each needs the whole body, neither needs the other, so two
    workers can lay them out side by side before the assembly."""
    body = [store.laid_out(part.html) for part in body_html]
    cover = store.laid_out(cover_part(context).html)
    pages = store.last_pages("front") or 1
    total = cover.pages + pages + sum(part.pages for part in body)
    return [front_html(context, pages, body, cover.pages), footers_html(context, total)]


def lay_out_front(context: ReportContext, cover: Part, body: list[Part], store: PartStore) -> Part:
    """The front matter, laid out until the page count it assumed is the one it has (the
    first guess: the last front matter's)."""
    pages = store.last_pages("front") or 1
    for _ in range(FRONT_PASSES):
        front = store.laid_out(front_html(context, pages, body, cover.pages), role="front")
        if front.pages == pages:
            return front
        pages = front.pages
    raise RuntimeError(f"The front matter's page count does not settle ({pages}).")
