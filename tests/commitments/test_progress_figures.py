"""The figures the database computes for a plan (summaries.plan_figures: sums as annotations,
the division in Python) equal the progress method run in Python over the loaded activities
(commitment_row on with_progress_data), commitment by commitment, on SQLite and PostgreSQL."""

import datetime
import random
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.utils import timezone

from commitments.dashboard import build_dashboard
from commitments.models import Activity, Commitment, Evidence, Plan, ProgressUpdate
from commitments.progress import CompletionLevel, mean_progress, rounded_percent
from commitments.summaries import commitment_row as python_row
from commitments.summaries import commitment_rows, plan_figures, plan_summary
from tests.factories import (
    ActivityFactory,
    AxisFactory,
    CommitmentFactory,
    InstitutionFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 6, 30)
# Weights where a float would lose the last digit, or dwarf the others, or count for nothing.
AWKWARD_WEIGHTS = [
    Decimal("0"),
    Decimal("0.001"),
    Decimal("0.1"),
    Decimal("0.333"),
    Decimal("1"),
    Decimal("2.5"),
    Decimal("3.333"),
    Decimal("7"),
    Decimal("99999.999"),
]

State = ProgressUpdate.State
STATES = [State.SUBMITTED, State.VALIDATED, State.RETURNED, State.SUPERSEDED]


def compared(pk: int, row) -> tuple:
    """What both computations give of a commitment (a CommitmentRow or CommitmentFigures)."""
    return (
        pk,
        row.progress,
        row.percent,
        row.completion_level,
        row.last_update_at,
        row.days_since_update,
        row.is_stale,
    )


def python_figures(plan: Plan, today: datetime.date) -> list[tuple]:
    """What the pages showed before: every activity loaded, the method applied in Python."""
    commitments = Commitment.objects.filter(plan=plan).active().with_progress_data()
    return [compared(c.pk, python_row(c, today)) for c in commitments]


def assert_same_as_python(plan: Plan, today: datetime.date) -> None:
    expected = python_figures(plan, today)
    figures = plan_figures(plan, today)
    assert [compared(row.pk, row) for row in figures.rows] == expected
    progress = mean_progress(row[1] for row in expected)
    assert (figures.progress, figures.percent) == (progress, rounded_percent(progress))
    levels = Counter(row[3] for row in expected)
    assert figures.level_counts() == [
        (level, str(label), levels[level]) for level, label in CompletionLevel.choices
    ]
    assert figures.stale_count == sum(row[6] for row in expected)
    summary = plan_summary(plan, today)
    assert [(row.commitment.pk, row.progress, row.is_stale) for row in summary.rows] == [
        (row[0], row[1], row[6]) for row in expected
    ]


def expected_groups(plan: Plan, key: str) -> dict[str, tuple[int, int]]:
    groups: dict[str, list[Decimal]] = defaultdict(list)
    for commitment in Commitment.objects.filter(plan=plan).active().with_progress_data():
        related = getattr(commitment, key)
        if related is not None:
            groups[str(related.number if key == "axis" else related.code)].append(
                commitment.progress
            )
    return {k: (len(v), rounded_percent(mean_progress(v))) for k, v in groups.items()}


def assert_same_groups(plan: Plan) -> None:
    dashboard = build_dashboard(plan)
    assert {g.key: (g.count, g.percent) for g in dashboard.by_axis} == expected_groups(plan, "axis")
    assert {g.key: (g.count, g.percent) for g in dashboard.by_institution} == expected_groups(
        plan, "lead_institution"
    )


@pytest.mark.parametrize("code", ["PAN-2021-2023", "PAN-2018-2020"])
def test_database_figures_equal_the_python_method_on_the_demo(demo, code):
    plan = Plan.objects.get(code=code)
    for today in (timezone.localdate(), datetime.date(2023, 4, 10)):
        assert_same_as_python(plan, today)
    assert_same_groups(plan)


def awkward_plan() -> Plan:
    """Commitments with awkward, zero and mixed weights, none or blocked activities, updates in
    every state with and without evidence, overridden levels, drafts and withdrawn ones."""
    chance = random.Random(16)
    plan = PlanFactory(staleness_threshold_days=30, substantial_threshold=40)
    axes = [AxisFactory(plan=plan, number=number) for number in (1, 2, 3)]
    leads = InstitutionFactory.create_batch(4)
    start = timezone.make_aware(datetime.datetime(2024, 1, 1, 23, 30))
    for number in range(1, 61):
        commitment = CommitmentFactory(
            plan=plan,
            number=number,
            axis=None if number % 7 == 0 else axes[number % 3],
            lead_institution=leads[number % 4],
            status=(
                Commitment.Status.WITHDRAWN
                if number % 19 == 0
                else Commitment.Status.DRAFT
                if number % 23 == 0
                else Commitment.Status.ACTIVE
            ),
        )
        if number % 11 == 0:
            commitment.completion_override = CompletionLevel.COMPLETE
            commitment.completion_override_justification = "Décidé en comité."
            commitment.save()
        if number % 13 == 0:
            continue  # no activities at all
        all_zero = number % 5 == 0
        for position in range(1, chance.randint(1, 8) + 1):
            progress = chance.choice([0, 0, 1, 33, 49, 50, 67, 99, 100, chance.randint(0, 100)])
            blocked = 0 < progress < 100 and chance.random() < 0.2
            activity = ActivityFactory(
                commitment=commitment,
                position=position,
                weight=Decimal(0) if all_zero else chance.choice(AWKWARD_WEIGHTS),
                progress=progress,
                status=(
                    Activity.Status.BLOCKED
                    if blocked
                    else Activity.Status.COMPLETED
                    if progress == 100
                    else Activity.Status.IN_PROGRESS
                    if progress
                    else Activity.Status.NOT_STARTED
                ),
                blocked_reason="Crédits gelés." if blocked else "",
            )
            steps = chance.randint(0, 3)
            for step in range(steps):
                # At most one update waits for validation, the last one.
                states = STATES if step == steps - 1 else STATES[1:]
                update = ProgressUpdate.objects.create(
                    activity=activity,
                    created_at=start + datetime.timedelta(days=chance.randint(0, 180), hours=step),
                    old_progress=0,
                    new_progress=progress,
                    old_status=Activity.Status.NOT_STARTED,
                    new_status=activity.status,
                    blocked_reason=activity.blocked_reason,
                    state=chance.choice(states),
                    source=chance.choice(ProgressUpdate.Source.values),
                )
                for _ in range(chance.choice([0, 0, 1, 2])):
                    Evidence.objects.create(update=update, title="Arrêté", url="https://a.ma/x")
    return plan


def test_database_figures_equal_the_python_method_on_awkward_weights():
    plan = awkward_plan()
    for days in (0, 60, 170, 200, 400):
        assert_same_as_python(plan, TODAY - datetime.timedelta(days=days))
    assert_same_groups(plan)


def test_full_rows_come_from_the_database_figures_in_the_order_given(django_assert_num_queries):
    plan = awkward_plan()
    figures = plan_figures(plan, TODAY)
    chosen = [figures.rows[5], figures.rows[2], figures.rows[9]]
    with django_assert_num_queries(1):
        rows = commitment_rows(chosen)
        assert [row.commitment.lead_institution.code for row in rows]
    assert [(row.commitment.pk, row.progress, row.last_update_at) for row in rows] == [
        (row.pk, row.progress, row.last_update_at) for row in chosen
    ]


def test_plan_figures_take_a_constant_number_of_queries(django_assert_num_queries):
    plan = awkward_plan()
    with django_assert_num_queries(1):
        plan_figures(plan, TODAY)
