"""The public dashboard, its drill-down, institutions, the method and missing translations."""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape

from commitments.dashboard import DashboardFilters, build_dashboard, plan_progress_history
from commitments.models import Commitment, Plan
from commitments.services import progress_update_record
from tests.factories import ActivityFactory, CommitmentFactory

pytestmark = pytest.mark.django_db


def progress_by_number(html: str) -> dict[int, int]:
    rows = re.findall(
        r'data-commitment="(\d+)".*?data-testid="progress">(\d+)&nbsp;%', html, flags=re.S
    )
    return {int(number): int(percent) for number, percent in rows}


def test_dashboard_figures_equal_the_minutes(demo, anonymous):
    html = anonymous.get("/fr/").content.decode()
    progress = progress_by_number(html)
    assert len(progress) == 22
    # Commitment 10: 62 % in the minutes' table, 69 % after the change decided in that meeting.
    assert (progress[1], progress[3], progress[10], progress[21]) == (65, 47, 69, 93)
    assert re.search(r'data-testid="plan-progress">75&nbsp;%', html)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2


def test_levels_axes_and_institutions(demo):
    dashboard = build_dashboard(Plan.objects.get(code="PAN-2021-2023"))
    levels = {figure.level: figure.count for figure in dashboard.by_level}
    assert levels == {
        "no_evidence": 0,
        "not_started": 0,
        "limited": 3,  # 3, 5 and 11, at 42-47 %
        "substantial": 15,  # from 50 % (19) to 95 % (14)
        "complete": 4,  # 6, 7, 8 and 22
    }
    assert sum(levels.values()) == 22
    assert [a.count for a in dashboard.by_axis] == [10, 3, 3, 4, 2]
    assert dashboard.by_axis[4].percent == 97  # (93 + 100) / 2 = 96.5, rounded half up
    ministry = {g.key: g for g in dashboard.by_institution}
    assert ministry["MTNRA"].count == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("level=complete", {6, 7, 8, 22}),
        ("axis=3", {14, 15, 16}),
        ("institution=INPPLC", {9}),
        ("q=MO0027", {3}),
        ("q=budgétaire", {1}),
        ("axis=5&level=complete", {22}),
    ],
)
def test_filters(demo, anonymous, query, expected):
    html = anonymous.get(f"/fr/?{query}").content.decode()
    assert set(progress_by_number(html)) == expected


def test_stale_filter(demo, anonymous):
    html = anonymous.get("/fr/?stale=on").content.decode()
    assert len(progress_by_number(html)) == 22  # nothing moved since 28 March 2023


@pytest.mark.parametrize("query", ["axis=abc", "level=bogus", "institution=NOPE", "axis=99"])
def test_bad_filters_are_ignored_and_said_never_a_500(demo, anonymous, query):
    response = anonymous.get(f"/en/?{query}")
    assert response.status_code == 200
    assert "Some filters were not understood" in response.content.decode()
    assert len(progress_by_number(response.content.decode())) == 22


def test_other_plans_are_selectable(demo, anonymous):
    html = anonymous.get("/fr/plans/PAN-2018-2020/").content.decode()
    progress = progress_by_number(html)
    assert len(progress) == 18
    assert (progress[7], progress[14], progress[17]) == (24, 26, 99)


def test_drill_down_plan_axis_commitment_activity_updates(demo, anonymous):
    axis_page = anonymous.get("/fr/plans/PAN-2021-2023/axes/1/").content.decode()
    assert set(progress_by_number(axis_page)) == set(range(1, 11))
    commitment = Commitment.objects.get(plan__code="PAN-2021-2023", number=3)
    page = anonymous.get("/fr/plans/PAN-2021-2023/commitments/3/").content.decode()
    activity = commitment.activities.get(progress=90, position=1)
    link = f"/fr/plans/PAN-2021-2023/commitments/3/activities/{activity.pk}/"
    assert link in page
    activity_page = anonymous.get(link).content.decode()
    assert "Comité de pilotage du 28 mars 2023" in activity_page
    assert re.search(r'data-testid="activity-progress">90&nbsp;%', activity_page)


def test_activity_of_another_commitment_is_404(demo, anonymous):
    other = Commitment.objects.get(plan__code="PAN-2021-2023", number=4).activities.first()
    assert (
        anonymous.get(f"/fr/plans/PAN-2021-2023/commitments/3/activities/{other.pk}/").status_code
        == 404
    )


def test_commitment_page_shows_description_institutions_and_no_email(demo, anonymous):
    commitment = Commitment.objects.get(plan__code="PAN-2021-2023", number=14)
    commitment.challenge_fr = "Les décisions de justice sont peu accessibles."
    commitment.save()
    html = anonymous.get("/fr/plans/PAN-2021-2023/commitments/14/").content.decode()
    assert "Les décisions de justice sont peu accessibles." in html
    assert commitment.lead_institution.name in html
    assert "Conseil Supérieur du Pouvoir Judiciaire" in html  # supporting institution
    assert "@example.org" not in html


def test_institutions_page_lists_commitments_and_mean_progress(demo, anonymous):
    html = anonymous.get("/fr/institutions/").content.decode()
    assert 'data-institution="INPPLC"' in html
    page = anonymous.get("/fr/institutions/INPPLC/?plan=PAN-2021-2023").content.decode()
    assert re.search(r'data-testid="institution-progress">78&nbsp;%', page)
    assert anonymous.get("/fr/institutions/NOPE/").status_code == 404


def test_methodology_page_states_the_plans_thresholds(demo, anonymous):
    html = anonymous.get("/en/methodology/?plan=PAN-2021-2023").content.decode()
    assert "weighted mean" in html
    assert "from 50 % substantial" in html


def record(activity, progress: int, day: datetime.date, **kwargs):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    return progress_update_record(
        activity=activity,
        author=None,
        new_progress=progress,
        source="meeting",
        created_at=moment,
        **kwargs,
    )


def test_progress_history_replays_validated_updates():
    first = CommitmentFactory()
    second = CommitmentFactory(plan=first.plan)
    activity_a = ActivityFactory(commitment=first)
    activity_b = ActivityFactory(commitment=second)
    january, february = datetime.date(2023, 1, 10), datetime.date(2023, 2, 10)
    record(activity_a, 40, january)
    record(activity_b, 100, february)
    record(activity_a, 80, february, state="submitted")  # not validated: not in the history
    history = plan_progress_history(first.plan, list(Commitment.objects.with_progress_data()))
    assert history == [(january, Decimal("20.00")), (february, Decimal("70.00"))]


def test_missing_translations_page(demo, secretariat, anonymous):
    commitment = Commitment.objects.get(plan__code="PAN-2021-2023", number=5)
    commitment.title_ar = ""
    commitment.save()
    staff = Client()
    staff.force_login(secretariat)
    html = staff.get("/en/secretariat/translations/").content.decode()
    assert escape(commitment.title_fr) in html
    assert f"/admin/commitments/commitment/{commitment.pk}/change/" in html
    assert anonymous.get("/en/secretariat/translations/").status_code == 302
    # The Arabic page falls back to the French title.
    assert escape(commitment.title_fr) in anonymous.get("/ar/").content.decode()


def test_dashboard_filters_match_text_in_the_page_language(demo):
    plan = Plan.objects.get(code="PAN-2021-2023")
    with translation.override("en"):
        rows = build_dashboard(plan, DashboardFilters(q="budget")).rows
    assert {row.number for row in rows} == {1}


def test_dashboard_puts_the_commitments_before_the_panels_its_navigation_leads_to(demo, anonymous):
    html = anonymous.get("/en/").content.decode()
    nav = re.search(r'<nav class="dashboard-nav" aria-label="On this page">(.*?)</nav>', html, re.S)
    assert nav
    anchors = re.findall(r'href="#([\w-]+)"', nav.group(1))
    assert anchors == [
        "commitments",
        "history",
        "axes",
        "institutions",
        "meetings",  # the panels the meetings app adds
        "meeting-requirement",
        "timelines",
    ]
    positions = [html.index(f'id="{anchor}"') for anchor in anchors]
    assert all(html.count(f'id="{anchor}"') == 1 for anchor in anchors)
    assert positions == sorted(positions)
    table = html.index('<table class="commitments">')
    # The dashboard's own search, not the header's site-wide one.
    search = html.index('name="q"', html.index("<main"))
    assert search < table < positions[1]
    assert html.index('data-testid="plan-progress"') < search


RLM = "\u200f"


@pytest.mark.parametrize(
    ("language", "rows"),
    [
        ("fr", [("10/01/2023", "20,0"), ("10/02/2023", "70,0")]),
        ("en", [("01/10/2023", "20.0"), ("02/10/2023", "70.0")]),
        ("ar", [(f"10{RLM}/01{RLM}/2023", "20,0"), (f"10{RLM}/02{RLM}/2023", "70,0")]),
    ],
)
def test_the_history_table_writes_each_day_and_figure_as_the_locale_does(anonymous, language, rows):
    first = CommitmentFactory()
    second = CommitmentFactory(plan=first.plan)
    record(ActivityFactory(commitment=first), 40, datetime.date(2023, 1, 10))
    record(ActivityFactory(commitment=second), 100, datetime.date(2023, 2, 10))
    html = anonymous.get(f"/{language}/plans/{first.plan.code}/").content.decode()
    for day, figure in rows:
        assert f"<td>{day}</td><td>{figure}&nbsp;%</td>" in html
