"""The report's PDF laid out by parts: one per commitment, the annexes, and the front matter
(cover, contents, summaries) laid out last, once the page of every other part is known; the
footers, links and outline are made over the assembled pages (documents/assembly.py).

Every part starts on a new page in the single pass too (each begins with a heading that breaks
the page), so the assembled document has the pages, numbers, links and outline that
``single_pass_html`` laid out in one pass would have: tests/reports/test_report_parts.py compares
them page by page.
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


@dataclass(frozen=True)
class BodyPart:
    """A part that does not depend on page numbers: a commitment, or the annexes."""

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


def body_parts(context: ReportContext) -> list[BodyPart]:
    """The commitments' parts, in order, then the annexes'."""
    parts = [
        BodyPart(f"commitment-{c.number}", _part_html("commitment", context, c=c))
        for c in context.commitments
    ]
    parts.append(BodyPart("annexes", _part_html("annexes", context)))
    return parts


def _part_html(kind: str, context: ReportContext, **extra: Any) -> str:
    return render_to_string("reports/report_part.html", {"part": kind, "report": context, **extra})


def front_html(context: ReportContext, front_pages: int, body: list[Part]) -> str:
    """The front matter, its contents giving each commitment's and the annexes' page as they
    fall when the front matter has ``front_pages`` pages."""
    first_pages = []
    page = front_pages + 1
    for part in body:
        first_pages.append(page)
        page += part.pages
    sections: list[CommitmentSection] = context.commitments
    return _part_html(
        "front",
        context,
        charts=report_charts(context),
        contents=list(zip(sections, first_pages, strict=False)),
        annexes_page=first_pages[-1],
    )


def assembled_report(
    context: ReportContext, store: PartStore, body_html: list[BodyPart] | None = None
) -> bytes:
    """The report's PDF from its parts, those of ``store`` (laid out and kept there when
    missing); ``body_html``: ``body_parts(context)``, when the caller has it already."""
    parts = body_html if body_html is not None else body_parts(context)
    body = [store.laid_out(part.html) for part in parts]
    front = lay_out_front(context, body, store)

    def footers(total: int) -> Part:
        return store.laid_out(
            render_to_string(
                "reports/report_footers.html", {"report": context, "slots": range(total)}
            )
        )

    return assemble([front, *body], footers, title=context.title, language=context.language)


def lay_out_front(context: ReportContext, body: list[Part], store: PartStore) -> Part:
    """The front matter, laid out until the page count it assumed is the one it has (the
    first guess: the last front matter's)."""
    pages = store.last_pages("front") or 1
    for _ in range(FRONT_PASSES):
        front = store.laid_out(front_html(context, pages, body), role="front")
        if front.pages == pages:
            return front
        pages = front.pages
    raise RuntimeError(f"The front matter's page count does not settle ({pages}).")
