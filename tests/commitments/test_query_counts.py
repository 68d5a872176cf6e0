"""The pages that list a plan's commitments make as many SQL queries for 25 commitments as for 5.

See also benchmarks/bench_pages.py (`make bench`) for times on a plan of 500 commitments.
"""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commitments.models import Plan, ProgressUpdate
from commitments.services import progress_update_record
from tests.factories import (
    ActivityFactory,
    AxisFactory,
    CommitmentFactory,
    InstitutionFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db

SMALL, LARGE = 5, 25


def build_plan(code: str, size: int) -> Plan:
    """``size`` commitments over 3 axes and 3 lead institutions, each with 3 activities of 2
    validated updates recorded from committee minutes (so evidenced), on different days."""
    plan = PlanFactory(code=code)
    axes = [AxisFactory(plan=plan, number=number) for number in (1, 2, 3)]
    leads = InstitutionFactory.create_batch(3)
    start = timezone.now() - datetime.timedelta(days=60)
    for number in range(1, size + 1):
        commitment = CommitmentFactory(
            plan=plan, number=number, axis=axes[number % 3], lead_institution=leads[number % 3]
        )
        for position in (1, 2, 3):
            activity = ActivityFactory(commitment=commitment, position=position)
            for step, progress in enumerate((20, 40 + 10 * position)):
                progress_update_record(
                    activity=activity,
                    author=None,
                    new_progress=progress,
                    source=ProgressUpdate.Source.MEETING,
                    source_reference=f"Réunion {step + 1}",
                    created_at=start + datetime.timedelta(days=20 * step + number),
                )
    return plan


@pytest.fixture
def plans() -> tuple[Plan, Plan]:
    return build_plan("PAN-SMALL", SMALL), build_plan("PAN-LARGE", LARGE)


def queries_of(client: Client, url: str) -> int:
    """The queries of one request, after a first one has filled any per-process cache."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def counts(plans: tuple[Plan, Plan], url: str) -> tuple[int, int]:
    client = Client()
    small, large = (queries_of(client, url.format(code=plan.code)) for plan in plans)
    return small, large


def test_dashboard_queries_do_not_grow_with_commitments(plans):
    small, large = counts(plans, "/fr/plans/{code}/")
    assert small == large, f"dashboard: {small} queries for {SMALL}, {large} for {LARGE}"


def test_commitment_page_queries_do_not_grow_with_commitments(plans):
    small, large = counts(plans, "/fr/plans/{code}/commitments/1/")
    assert small == large, f"commitment page: {small} queries for {SMALL}, {large} for {LARGE}"


def test_api_list_queries_do_not_grow_with_commitments(plans):
    small, large = counts(plans, "/api/v1/commitments/?plan={code}")
    assert small == large, f"API list: {small} queries for {SMALL}, {large} for {LARGE}"


def test_api_list_returns_every_commitment_of_the_larger_plan_on_one_page(plans):
    """The count above covers all 25 commitments: the API's page holds 50."""
    data = Client().get("/api/v1/commitments/?plan=PAN-LARGE").json()
    assert data["count"] == LARGE
    assert len(data["results"]) == LARGE


def test_commitment_page_queries_do_not_grow_with_its_history(plans):
    small, _large = plans
    client = Client()
    url = f"/fr/plans/{small.code}/commitments/1/"
    before = queries_of(client, url)
    commitment = small.commitments.get(number=1)
    for round_number in range(5):
        for activity in commitment.activities.all():
            activity.title_fr = f"{activity.title_fr} (révision {round_number})"
            activity.save()
            progress_update_record(
                activity=activity, author=None, new_progress=50 + round_number, source="meeting"
            )
    assert queries_of(client, url) == before
