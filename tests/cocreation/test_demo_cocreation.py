"""The demo's co-creations: the 2020 totals of the minutes and the third plan's, open."""

import pytest

from cocreation.models import Process
from commitments.models import Plan

pytestmark = pytest.mark.django_db


def test_the_co_creation_of_2020_is_known_by_the_totals_of_the_minutes(demo):
    past = Process.objects.get(plan__code="PAN-2021-2023")
    assert (past.reported_participants, past.reported_events, past.reported_proposals) == (
        804,
        10,
        232,
    )
    assert "21 décembre 2020" in past.reported_source_fr  # whatever language a test left active
    assert not past.accepts_proposals and not past.proposals.exists()  # no invented proposals
    assert [step.status for step in past.timeline.steps.all()][0] == "done"


def test_the_third_plan_is_co_created_in_a_draft_plan(demo):
    third = Process.objects.get(plan__code="PAN-2024-2027")
    assert third.accepts_proposals and third.themes.count() == 5
    assert third.plan.status == Plan.Status.CO_CREATION
    assert [step.title_fr[:8] for step in third.timeline.steps.all()] == [
        "Concerta",
        "Collecte",
        "Priorisa",
        "Rédactio",
        "Validati",
    ]
    assert Plan.objects.current().code == "PAN-2021-2023"  # the draft does not replace it
