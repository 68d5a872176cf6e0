"""Schemathesis drives the API from its own OpenAPI schema: no server error, no response that
breaks the schema, for anonymous visitors and for a focal point with a token."""

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import positive_data_acceptance

from ogp_portal.wsgi import application
from tests.factories import ActivityFactory, FocalPointAssignmentFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI handler closes "old" database connections around each request; Django's test
    client turns that off so the test's transaction survives, and so does this fixture."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db):
    """A focal point holding one commitment, with a token; data for the reads to return."""
    assignment = FocalPointAssignmentFactory(commitment__plan__is_current=True)
    ActivityFactory(commitment=assignment.commitment)
    ActivityFactory()
    return Token.objects.create(user=assignment.user).key


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    # Random exploration on developers' machines; the same examples every time in CI, so a
    # submission's result does not depend on luck.
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_honours_its_schema(case, token):
    # A 400 for a well-formed but unknown activity id is right, though the schema cannot say
    # which ids exist: that one check is left out; every other check runs.
    excluded = [positive_data_acceptance]
    case.call_and_validate(excluded_checks=excluded)
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, excluded_checks=excluded)
