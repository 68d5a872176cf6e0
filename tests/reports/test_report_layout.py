"""The report's PDF reads well: no table row is split between two pages, and no heading is left
at the foot of a page without what it introduces. The demo's report is laid out once per
language for the module and read back (tests/pdf_layout.py)."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from reports.contexts import build_report_context, report_charts
from reports.models import Report
from tests.pdf_layout import Heading, Layout, Row, lay_out, normalise

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "ar"]
_LAID_OUT: dict[str, Layout] = {}


def report_layout(language: str) -> Layout:
    """The demo's report in ``language``, laid out once per module."""
    if language not in _LAID_OUT:
        report = Report.objects.select_related("plan").get(plan__code="PAN-2021-2023")
        with translation.override(language):
            context = build_report_context(report, language)
            html = render_to_string(
                "reports/report_pdf.html", {"report": context, "charts": report_charts(context)}
            )
        _LAID_OUT[language] = lay_out(html)
    return _LAID_OUT[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_row_of_the_report_is_read_whole_on_one_page(demo, language):
    layout = report_layout(language)
    # Every commitment's row in the progress table, and the rows of its activities, are there.
    assert len(layout.rows) > 22 + 60
    assert layout.split_rows() == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_heading_of_the_report_ends_a_page(demo, language):
    layout = report_layout(language)
    assert len(layout.headings) > 22 * 2
    assert layout.stranded_headings() == []


def test_the_check_finds_a_row_cut_between_pages_and_not_one_read_in_another_order():
    row = Row(["13", "Amélioration de la qualité des services publics", "83 %", "Substantiel"])
    # As WeasyPrint laid it out before rows were kept whole: the title alone on the next page.
    cut = Layout(rows=[row], pages=["12Renforcement1383Substantiel", normalise(row.cells[1])])
    assert cut.split_rows() == [str(row)]
    # A line of Arabic and figures comes back in the order its runs were drawn.
    whole = Layout(rows=[row], pages=["12" + normalise("".join(reversed(row.cells))) + "14"])
    assert whole.split_rows() == []


def test_the_check_finds_a_heading_left_at_the_foot_of_a_page():
    heading = Heading("Activités", ["Activité", "Statut", "Avancement", "Lancement du portail"])
    stranded = Layout(
        headings=[heading], pages=["…Activités", "ActivitéStatutAvancementLancementduportail"]
    )
    assert stranded.stranded_headings() == [str(heading)]
    kept = Layout(
        headings=[heading], pages=["…", "ActivitésActivitéStatutAvancementLancementduportail"]
    )
    assert kept.stranded_headings() == []
