import pytest

from tests.reports.factories import ReportFactory


@pytest.fixture
def report(commitment, other_commitment):
    """A draft report on a plan of two commitments (3 and 4)."""
    return ReportFactory(plan=commitment.plan)
