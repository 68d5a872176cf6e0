"""The minutes' PDF reads well: no row of the progress table or of the calendar is split
between two pages, and no heading is left at the foot of a page without what it introduces.
The minutes of the demo's two meetings are laid out once per language for the module and read
back (tests/pdf_layout.py)."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from meetings.contexts import build_minutes_context
from meetings.models import Meeting
from tests.pdf_layout import Layout, lay_out

pytestmark = pytest.mark.django_db

KINDS = ["steering", "implementation"]
LANGUAGES = ["fr", "ar"]
_LAID_OUT: dict[tuple[str, str], Layout] = {}


def minutes_layout(kind: str, language: str) -> Layout:
    """The minutes of the demo's meeting of the ``kind`` committee, laid out once per module."""
    if (kind, language) not in _LAID_OUT:
        meeting = Meeting.objects.select_related("committee", "plan").get(committee__kind=kind)
        with translation.override(language):
            context = build_minutes_context(meeting, language)
            html = render_to_string("meetings/minutes_pdf.html", {"minutes": context})
        _LAID_OUT[kind, language] = lay_out(html)
    return _LAID_OUT[kind, language]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_row_of_the_minutes_is_read_whole_on_one_page(demo, kind, language):
    layout = minutes_layout(kind, language)
    # The progress table's row of each commitment is there (18 and 22 in the seeds).
    assert len(layout.rows) >= 18
    assert len(layout.pages) > 1
    assert layout.split_rows() == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_no_heading_of_the_minutes_ends_a_page(demo, kind, language):
    layout = minutes_layout(kind, language)
    assert len(layout.headings) > 8
    assert layout.stranded_headings() == []
