"""Search that finds: accents, case and the three languages, on the dashboard, in the API and
on the site-wide search page, on SQLite as on PostgreSQL."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from commitments.models import Commitment, Plan
from tests.cocreation.factories import ProcessFactory, ProposalFactory
from tests.factories import CommitmentFactory, PlanFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

# Commitments 6, 7 and 8 of PAN 2021-2023 are led by the Ministry of Health; 7 and 8 say
# "santé" in their French title, 6 ("gouvernance médicale") only through its institution.
HEALTH = {6, 7, 8}
HEALTH_QUERIES = ["sante", "Santé", "SANTE", "الصحة", "health"]


def dashboard_numbers(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'data-commitment="(\d+)"', html)}


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
@pytest.mark.parametrize("query", HEALTH_QUERIES)
def test_dashboard_finds_the_three_health_commitments(demo, anonymous, lang, query):
    html = anonymous.get(f"/{lang}/", {"q": query}).content.decode()
    assert dashboard_numbers(html) == HEALTH


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
@pytest.mark.parametrize("query", HEALTH_QUERIES)
def test_api_finds_the_three_health_commitments(demo, lang, query):
    body = APIClient().get(
        "/api/v1/commitments/", {"plan": "PAN-2021-2023", "q": query, "lang": lang}
    )
    assert body.status_code == 200
    assert {c["number"] for c in body.json()["results"]} == HEALTH


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
@pytest.mark.parametrize("query", ["sante", "Santé", "الصحة"])
def test_search_page_finds_the_three_health_commitments(demo, anonymous, lang, query):
    response = anonymous.get(f"/{lang}/search/", {"q": query})
    assert response.status_code == 200
    plan = Plan.objects.get(code="PAN-2021-2023")
    found = set(
        re.findall(
            r'href="[^"]*/plans/PAN-2021-2023/commitments/(\d+)/"', response.content.decode()
        )
    )
    assert {int(n) for n in found} == HEALTH
    assert plan.commitments.count() > len(HEALTH)


def test_results_say_where_they_were_found_best_first(demo, anonymous):
    body = APIClient().get("/api/v1/commitments/", {"q": "الصحة", "lang": "en"}).json()
    assert [c["matched"] for c in body["results"]][0] == {
        "field": "lead_institution",
        "language": "ar",
        "exact": False,
    }
    # A title match ranks before a match of the lead institution only (commitment 6).
    numbers = [
        c["number"]
        for c in APIClient().get("/api/v1/commitments/", {"q": "santé"}).json()["results"]
    ]
    assert numbers[-1] == 6 and set(numbers[:2]) == {7, 8}
    html = anonymous.get("/en/", {"q": "الصحة"}).content.decode()
    assert "Found in the lead institution (Arabic)" in html


def test_activities_api_searches_every_language(demo):
    body = APIClient().get("/api/v1/activities/", {"q": "انشطة الالتزام"}).json()
    assert body["count"] > 0
    assert all(a["matched"]["language"] == "ar" for a in body["results"])


def test_search_page_shows_published_proposals_and_public_meetings_only(anonymous):
    process = ProcessFactory(is_public=True)
    ProposalFactory(process=process, title="Données de santé ouvertes")
    ProposalFactory(process=process, title="Santé en attente", moderation="pending")
    hidden = MeetingFactory()
    AgendaItemFactory(meeting=hidden, title_fr="Santé publique")
    public = MeetingFactory(status="held", minutes_published_at="2023-04-01T10:00Z")
    AgendaItemFactory(meeting=public, title_fr="Point santé")
    html = anonymous.get("/en/search/", {"q": "SANTE"}).content.decode()
    assert "Données de santé ouvertes" in html and "Santé en attente" not in html
    assert f"/meetings/{public.pk}/" in html and f"/meetings/{hidden.pk}/" not in html
    assert "Found in the agenda (French)" in html


@pytest.mark.parametrize("query", ["\x00", "santé\x00", "x" * 10_000, "%_\\", "%", "_"])
def test_hostile_queries_never_a_500(demo, anonymous, query):
    for url in ("/fr/", "/ar/search/", "/api/v1/commitments/", "/api/v1/activities/"):
        assert anonymous.get(url, {"q": query}).status_code < 500
    # %, _ and \\ are letters to look for, not patterns.
    assert dashboard_numbers(anonymous.get("/fr/", {"q": "%_\\"}).content.decode()) == set()


def test_search_queries_do_not_grow_with_results(anonymous):
    small, large = PlanFactory(code="PAN-S"), PlanFactory(code="PAN-L")
    for plan, size in ((small, 2), (large, 12)):
        for number in range(1, size + 1):
            CommitmentFactory(plan=plan, number=number, title_fr=f"Santé {number}")

    def count(url: str) -> int:
        anonymous.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert anonymous.get(url).status_code == 200
        return len(queries)

    assert count("/fr/plans/PAN-S/?q=sante") == count("/fr/plans/PAN-L/?q=sante")
    assert count("/fr/search/?q=sante&kind=commitments") > 0
    assert Commitment.objects.search("sante").count() == 14


def test_search_page_says_a_bad_query_next_to_the_field_and_at_the_top(anonymous):
    response = anonymous.get("/en/search/", {"q": "x" * 201})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="error-summary"' in html and 'href="#id_q"' in html
    assert 'aria-invalid="true"' in html and 'value="' + "x" * 201 + '"' in html


def test_search_page_pages_through_one_kind(anonymous):
    plan = PlanFactory(code="PAN-P")
    for number in range(1, 26):
        CommitmentFactory(plan=plan, number=number, title_fr=f"Éducation {number}")
    first = anonymous.get("/en/search/", {"q": "education"}).content.decode()
    assert "All 25 results in Commitments" in first
    second = anonymous.get("/en/search/", {"q": "education", "kind": "commitments", "page": 2})
    html = second.content.decode()
    assert "Page 2 of 2" in html and html.count("/plans/PAN-P/commitments/") == 5
    assert 'data-kind="meetings"' not in html
