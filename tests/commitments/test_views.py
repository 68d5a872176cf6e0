"""The public page listing the current plan's commitments."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


def shown_progress(html: str) -> dict[int, int]:
    rows = re.findall(
        r'data-commitment="(\d+)".*?data-testid="progress">(\d+)&nbsp;%', html, flags=re.S
    )
    return {int(number): int(percent) for number, percent in rows}


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_home_lists_the_22_commitments_with_the_rates_of_the_minutes(demo, anonymous, lang):
    response = anonymous.get(f"/{lang}/")
    assert response.status_code == 200
    progress = shown_progress(response.content.decode())
    assert len(progress) == 22
    # Commitment 10: 62 % in the minutes' table, 69 % after the change decided in that meeting.
    assert (progress[1], progress[3], progress[10], progress[21]) == (65, 47, 69, 93)


def test_arabic_page_is_right_to_left_with_arabic_titles(demo, anonymous):
    html = anonymous.get("/ar/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "تعزيز شفافية الميزانية" in html


def test_english_page_is_left_to_right_with_english_titles(demo, anonymous):
    html = anonymous.get("/en/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Strengthening budget transparency" in html


def test_french_page_uses_the_titles_of_the_minutes(demo, anonymous):
    html = anonymous.get("/fr/").content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert "Renforcement de la transparence budgétaire" in html
    assert "MO0025" in html


def test_language_switcher_stays_on_the_same_page(demo, anonymous):
    html = anonymous.get("/fr/plans/PAN-2018-2020/").content.decode()
    assert 'href="/ar/plans/PAN-2018-2020/"' in html
    assert 'href="/en/plans/PAN-2018-2020/"' in html


def test_other_plans_are_selectable(demo, anonymous):
    response = anonymous.get("/fr/plans/PAN-2018-2020/")
    assert response.status_code == 200
    assert len(shown_progress(response.content.decode())) == 18


def test_stale_commitments_are_flagged(demo, anonymous):
    html = anonymous.get("/en/").content.decode()
    assert "not updated for" in html


def test_root_redirects_to_the_french_site(anonymous):
    PlanFactory(is_current=True)
    response = anonymous.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_home_shows_the_current_plan_else_the_latest_in_the_plan_page_s_queries(
    anonymous, django_assert_num_queries
):
    older = PlanFactory(
        code="PAN-2016", start_date=datetime.date(2016, 1, 1), end_date=datetime.date(2018, 1, 1)
    )
    latest = PlanFactory(
        code="PAN-2024", start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2026, 1, 1)
    )
    assert anonymous.get("/fr/").context["summary"].plan == latest
    older.is_current = True
    older.save()
    with CaptureQueriesContext(connection) as plan_page:
        anonymous.get(f"/fr/plans/{older.code}/")
    with django_assert_num_queries(len(plan_page)):
        response = anonymous.get("/fr/")
    assert response.context["summary"].plan == older
    assert [plan.code for plan in response.context["plans"]] == ["PAN-2024", "PAN-2016"]


def test_unknown_plan_is_404(anonymous):
    assert anonymous.get("/fr/plans/PAN-1999/").status_code == 404


def test_home_without_any_plan_is_404_not_500(anonymous):
    assert anonymous.get("/fr/").status_code == 404


def test_home_only_answers_safe_methods(demo, anonymous):
    assert anonymous.post("/fr/").status_code in {403, 405}
