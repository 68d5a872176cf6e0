"""Check constraints validated in one query (ogp_portal.constraints.ChecksInOneQuery): the same
errors as Django's own validation, constraint by constraint, in fewer statements."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from commitments.models import Activity, Plan, ProgressUpdate
from ogp_portal.constraints import ChecksInOneQuery
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def errors(validate) -> dict[str, list[tuple[str, str | None]]]:
    """The errors ``validate()`` raises, as (message, code) by field, in a stable order."""
    try:
        validate()
    except ValidationError as error:
        return {
            field: sorted((e.message % (e.params or {}), e.code) for e in found)
            for field, found in error.error_dict.items()
        }
    return {}


def django_errors(instance: models.Model, exclude: set[str] | None = None):
    return errors(lambda: models.Model.validate_constraints(instance, exclude=exclude))


def one_query_errors(instance: models.Model, exclude: set[str] | None = None):
    return errors(lambda: instance.validate_constraints(exclude=exclude))


def update(activity: Activity, **values) -> ProgressUpdate:
    fields = {
        "activity": activity,
        "old_progress": 0,
        "new_progress": 40,
        "old_status": Activity.Status.NOT_STARTED,
        "new_status": Activity.Status.IN_PROGRESS,
        "state": ProgressUpdate.State.VALIDATED,
        "source": ProgressUpdate.Source.WEB,
    }
    return ProgressUpdate(**{**fields, **values})


@pytest.fixture
def activity(commitment):
    return ActivityFactory(commitment=commitment)


def test_the_portal_models_with_several_constraints_use_it():
    for model in (Plan, Activity, ProgressUpdate):
        assert issubclass(model, ChecksInOneQuery)
        assert len(model._meta.constraints) >= 2


def test_a_valid_row_passes_both_ways(activity):
    row = update(activity)
    assert django_errors(row) == one_query_errors(row) == {}


@pytest.mark.parametrize(
    "values",
    [
        {"new_progress": 140},  # outside 0-100
        {"new_status": Activity.Status.BLOCKED},  # blocked without a reason
        {"new_progress": -5, "new_status": Activity.Status.BLOCKED},  # both at once
    ],
)
def test_a_broken_check_gives_the_same_errors_as_django(activity, values):
    row = update(activity, **values)
    expected = django_errors(row)
    assert expected  # the row does break a constraint
    assert one_query_errors(row) == expected


def test_a_second_waiting_update_is_refused_as_django_refuses_it(activity):
    update(activity, state=ProgressUpdate.State.SUBMITTED).save()
    second = update(activity, state=ProgressUpdate.State.SUBMITTED)
    expected = django_errors(second)
    assert NON_FIELD_ERRORS in expected  # the conditional unique constraint
    assert one_query_errors(second) == expected


def test_a_row_outside_the_unique_condition_is_not_asked_about_it(activity):
    update(activity, state=ProgressUpdate.State.SUBMITTED).save()
    validated = update(activity)  # not waiting: the "one waiting update" rule does not apply
    with CaptureQueriesContext(connection) as queries:
        assert one_query_errors(validated) == {}
    selects = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    assert len(selects) == 1  # every check and the condition, in one statement
    with CaptureQueriesContext(connection) as queries:
        assert django_errors(validated) == {}
    assert len([q for q in queries if q["sql"].startswith("SELECT")]) == 3


def test_a_constraint_on_an_excluded_field_is_skipped_as_django_skips_it(activity):
    row = update(activity, new_progress=140)
    assert one_query_errors(row, exclude={"new_progress"}) == django_errors(
        row, exclude={"new_progress"}
    )
    assert one_query_errors(row, exclude={"new_progress"}) == {}


def test_a_plan_ending_before_it_starts_gives_django_s_error():
    plan = Plan(
        code="PAN-X",
        title_fr="Plan",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2023, 1, 1),
    )
    expected = django_errors(plan)
    assert list(expected) == [NON_FIELD_ERRORS]
    assert one_query_errors(plan) == expected
