"""Comments on a report have a limit per sender (REPORT_COMMENTS_PER_HOUR): the public's counted
by address, committee members' by account, and it holds when the requests come all at once."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from reports.models import Report, ReportComment
from tests.concurrency import at_once, hold_until_all_arrive, needs_concurrent_connections
from tests.factories import UserFactory
from tests.meetings.factories import CommitteeMemberFactory
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def report(db):
    """A report whose public consultation runs from today for two weeks."""
    today = timezone.localdate()
    return ReportFactory(
        stage=Report.Stage.CONSULTATION,
        consultation_opens_on=today,
        consultation_closes_on=today + datetime.timedelta(days=13),
    )


def comment(report, body="Ajouter le bilan des ateliers.", client=None, **extra):
    client = client or Client()
    return client.post(f"/en/reports/{report.pk}/", {"name": "Houda", "body": body}, **extra)


def test_too_many_comments_from_one_address_are_refused_with_429(report, settings):
    settings.REPORT_COMMENTS_PER_HOUR = 2
    assert [comment(report).status_code for _ in range(2)] == [302, 302]
    response = comment(report, body="Troisième remarque")
    assert response.status_code == 429
    html = response.content.decode()
    assert "several comments in the last hour" in html
    assert "Troisième remarque" in html  # what was typed is kept
    assert ReportComment.objects.count() == 2
    # Another address is not affected.
    assert comment(report, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_committee_members_are_counted_by_their_account(report, settings, committee_member):
    """Members commenting from one meeting room share an address, not a limit."""
    settings.REPORT_COMMENTS_PER_HOUR = 1
    Report.objects.filter(pk=report.pk).update(stage=Report.Stage.REVIEW)
    first, second = Client(), Client()
    first.force_login(committee_member)
    second.force_login(CommitteeMemberFactory(user=UserFactory(username="nadia")).user)
    assert comment(report, client=first).status_code == 302
    assert comment(report, client=first).status_code == 429
    assert comment(report, client=second).status_code == 302
    assert ReportComment.objects.filter(kind="committee").count() == 2


@pytest.mark.django_db(transaction=True)
def test_nine_simultaneous_comments_from_one_address_pass_only_five(monkeypatch, settings):
    needs_concurrent_connections()
    today = timezone.localdate()
    report = ReportFactory(
        stage=Report.Stage.CONSULTATION,
        consultation_opens_on=today,
        consultation_closes_on=today + datetime.timedelta(days=13),
    )
    settings.REPORT_COMMENTS_PER_HOUR = 5
    hold_until_all_arrive(monkeypatch, ReportComment, "save", count=9)
    statuses = at_once(9, lambda n: comment(report, body=f"Remarque {n}").status_code)
    assert sorted(statuses) == [302] * 5 + [429] * 4
    assert ReportComment.objects.count() == 5
