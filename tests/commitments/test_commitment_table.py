"""The table of commitments (dashboard, axis, institution) is written in Python
(``{% commitment_table rows %}``): the same HTML, whitespace aside, as the template it
replaced, kept here as the reference, whatever the rows hold and in every language."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from commitments.dashboard import DashboardFilters, build_dashboard
from commitments.services import progress_update_record
from commitments.templatetags.progress_tags import commitment_table, group_table
from tests.factories import ActivityFactory, CommitmentFactory, InstitutionFactory, PlanFactory

pytestmark = pytest.mark.django_db

# templates/commitments/_commitment_table.html as it was before it was written in Python.
REFERENCE = Template((Path(__file__).parent / "commitment_table_reference.html").read_text())


def normalized(html: str) -> str:
    """The HTML with the whitespace between and around tags dropped, other runs made one."""
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", html).strip()


def record(activity, progress, days_ago=0):
    progress_update_record(
        activity=activity,
        author=None,
        new_progress=progress,
        source="web",
        created_at=timezone.now() - datetime.timedelta(days=days_ago, hours=3, microseconds=7),
    )


@pytest.fixture
def plan():
    """A title with markup and quotes, one with no Arabic translation, an OGP id, a stale
    commitment, one never updated, one up to date; two sharing their lead institution."""
    plan = PlanFactory(code="PAN-T", staleness_threshold_days=30)
    lead = InstitutionFactory(code="MEF", name_fr='Ministère <b>& "Finances"</b>', name_ar="")
    hostile = CommitmentFactory(
        plan=plan,
        number=1,
        lead_institution=lead,
        ogp_id="MA0042",
        title_fr="<script>alert('x')</script> & « accès »",
        title_ar="الوصول إلى المعلومة",
    )
    record(ActivityFactory(commitment=hostile), 35, days_ago=40)
    current = CommitmentFactory(plan=plan, number=2, lead_institution=lead, title_ar="")
    record(ActivityFactory(commitment=current), 100)
    CommitmentFactory(plan=plan, number=3, title_fr="Budget citoyen")
    return plan


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
@pytest.mark.parametrize("query", ["", "budget"])
def test_the_table_is_the_html_of_the_template_it_replaced(plan, language, query):
    with translation.override(language):
        rows = build_dashboard(plan, DashboardFilters(q=query)).page.object_list
        assert len(rows) == (1 if query else 3)
        expected = REFERENCE.render(Context({"rows": rows}))
        written = commitment_table(rows)
    assert normalized(written) == normalized(expected)
    assert "<script>" not in written
    assert ('data-testid="search-match"' in written) is bool(query)


def test_an_empty_table_says_that_nothing_matches(plan):
    with translation.override("en"):
        written = commitment_table([])
        assert normalized(written) == normalized(REFERENCE.render(Context({"rows": []})))
    assert "No commitment matches." in written


def test_the_rows_say_when_each_commitment_was_updated_and_which_are_stale(plan):
    with translation.override("en"):
        written = commitment_table(build_dashboard(plan).page.object_list)
    rows = dict(re.findall(r'<tr data-commitment="(\d+)">(.*?)</tr>', written, re.S))
    assert "not updated for 40 days" in rows["1"] and "<time datetime=" in rows["1"]
    assert "never updated" in rows["3"] and "<time" not in rows["3"]
    assert "stale" not in rows["2"]
    assert 'lang="fr"' in rows["2"]  # no English title: the French one, marked as French


# The dashboard's tables of progress by axis and by lead institution, before Python wrote them.
AXIS_REFERENCE, INSTITUTION_REFERENCE = (
    Template("{% load progress_tags %}" + part)
    for part in (Path(__file__).parent / "group_table_reference.html").read_text().split("SPLIT")
)


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_the_group_tables_are_the_html_of_the_template_they_replaced(plan, language):
    with translation.override(language):
        dashboard = build_dashboard(plan)
        context = Context({"dashboard": dashboard, "summary": dashboard.summary})
        by_axis = group_table(dashboard.by_axis, plan, "axis")
        by_institution = group_table(dashboard.by_institution, plan, "institution")
        assert normalized(by_axis) == normalized(AXIS_REFERENCE.render(context))
        assert normalized(by_institution) == normalized(INSTITUTION_REFERENCE.render(context))
    assert by_institution.count("<tr>") == 2  # two lead institutions, one shared
    assert "<b>" not in by_institution and "&lt;b&gt;" in by_institution
