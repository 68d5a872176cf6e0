"""The repository's requirements computed from small plans, its query count, and its page kept
in the cache until a write changes it."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from commitments.models import Plan, ProgressUpdate
from commitments.services import (
    EvidenceInput,
    UpdateEntry,
    progress_update_record,
    progress_update_submit,
)
from meetings.models import Meeting
from meetings.services import meeting_hold, minutes_publish
from portal import pagecache
from portal.repository import Entry, Kind, repository_entries
from portal.requirements import State, half_years, report_consultation, repository_updates
from reports.models import Report
from tests.cocreation.factories import EventFactory, ProcessFactory, ProposalFactory
from tests.conftest import make_upload
from tests.factories import PDF_BYTES, ActivityFactory, CommitmentFactory, PlanFactory
from tests.meetings.factories import (
    AgendaItemFactory,
    DecisionFactory,
    MeetingFactory,
    MinutesVersionFactory,
    TimelineFactory,
)
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 3, 1)


def entry(plan: Plan, day: datetime.date) -> Entry:
    return Entry(kind=Kind.MINUTES, title="Relevé", url="/", plan=plan, published=day)


def test_half_years_run_from_the_plans_start_to_today():
    plan = PlanFactory(start_date=datetime.date(2021, 9, 1), end_date=datetime.date(2023, 8, 31))
    halves = half_years(plan, datetime.date(2022, 7, 3))
    assert halves == [
        (datetime.date(2021, 7, 1), datetime.date(2021, 12, 31)),
        (datetime.date(2022, 1, 1), datetime.date(2022, 6, 30)),
        (datetime.date(2022, 7, 1), datetime.date(2022, 12, 31)),
    ]


def test_the_repository_is_updated_twice_a_year_when_every_half_year_over_has_an_addition():
    plan = PlanFactory(start_date=datetime.date(2023, 1, 1), end_date=datetime.date(2024, 12, 31))
    days = [datetime.date(2023, 3, 28), datetime.date(2023, 10, 2)]
    check = repository_updates(plan, [entry(plan, day) for day in days], TODAY)
    assert check.state == State.MET  # 2024-H1 is not over: not held against the plan
    with translation.override("en"):
        missed = repository_updates(plan, [entry(plan, days[0])], TODAY)
    assert missed.state == State.NOT_MET
    assert any("nothing added" in proof.text for proof in missed.evidence)
    early = repository_updates(plan, [], datetime.date(2023, 2, 1))
    assert early.state == State.MISSING


def test_a_consultation_shorter_than_two_weeks_is_not_met():
    plan = PlanFactory()
    assert report_consultation(plan).state == State.MISSING
    report = ReportFactory(
        plan=plan,
        stage=Report.Stage.PUBLISHED,
        consultation_opens_on=datetime.date(2023, 4, 3),
        consultation_closes_on=datetime.date(2023, 4, 16),
    )
    assert report_consultation(plan).state == State.MET  # 14 days, both included
    Report.objects.filter(pk=report.pk).update(consultation_closes_on=datetime.date(2023, 4, 15))
    with translation.override("en"):
        check = report_consultation(plan)
    assert check.state == State.NOT_MET
    assert "13 days" in check.evidence[0].text


def test_every_published_proposal_needs_its_reasoned_response(client):
    plan = PlanFactory()
    process = ProcessFactory(plan=plan)
    answered = ProposalFactory(process=process, response_fr="Retenue : engagement 3.")
    unanswered = ProposalFactory(process=process, title="Budgets communaux")
    ProposalFactory(process=process, moderation="pending", title="En attente de modération")
    html = client.get(f"/en/plans/{plan.code}/repository/").content.decode()
    assert 'data-check="responses" data-state="not_met"' in html
    assert "1 of 2 published proposals have a reasoned response." in html
    assert f'href="/en/co-creation/proposals/{unanswered.pk}/"' in html
    assert f'href="/en/co-creation/proposals/{answered.pk}/"' in html
    assert "En attente de modération" not in html


def build_plan(code: str, size: int) -> Plan:
    """``size`` of each kind of entry: published meetings with a decision and a PDF, evidence
    of validated updates, co-creation events and proposals."""
    plan = PlanFactory(code=code)
    add_entries(plan, ProcessFactory(plan=plan), range(1, size + 1))
    return plan


def add_entries(plan: Plan, process, numbers: range) -> None:
    for number in numbers:
        commitment = CommitmentFactory(plan=plan, number=number)
        activity = ActivityFactory(commitment=commitment)
        update = progress_update_record(
            activity=activity, author=None, new_progress=40, source=ProgressUpdate.Source.WEB
        )
        update.evidence.create(title=f"Preuve {number}", url="https://example.org/p.pdf")
        meeting = MeetingFactory(
            plan=plan, starts_at=timezone.now() - datetime.timedelta(days=number)
        )
        meeting_hold(meeting=meeting, user=None)
        minutes_publish(meeting=meeting, user=None)
        DecisionFactory(meeting=meeting).commitments.add(commitment)
        MinutesVersionFactory(meeting=meeting, ready=True)
        EventFactory(process=process)
        ProposalFactory(process=process, draft_commitment=commitment)


def queries_of(url: str) -> int:
    client = Client()
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_repository_queries_do_not_grow_with_its_entries():
    small, large = build_plan("PAN-SMALL", 2), build_plan("PAN-LARGE", 6)
    assert len(repository_entries(large)) > len(repository_entries(small))
    counts = [queries_of(f"/fr/plans/{plan.code}/repository/") for plan in (small, large)]
    assert counts[0] == counts[1], counts


def test_the_whole_portals_repository_queries_do_not_grow_with_its_entries():
    plan = build_plan("PAN-ONE", 2)
    before = queries_of("/fr/repository/")
    add_entries(plan, plan.co_creation_processes.get(), range(3, 9))
    assert queries_of("/fr/repository/") == before


def test_a_plans_repository_lists_the_earlier_meeting_that_agreed_its_co_creation():
    earlier, plan = PlanFactory(code="PAN-A"), PlanFactory(code="PAN-B")
    meeting = MeetingFactory(plan=earlier)
    AgendaItemFactory(meeting=meeting, timeline=TimelineFactory(plan=plan))
    meeting_hold(meeting=meeting, user=None)
    minutes_publish(meeting=meeting, user=None)
    other = MeetingFactory(plan=earlier)
    meeting_hold(meeting=other, user=None)
    minutes_publish(meeting=other, user=None)
    keys = [e.key for e in repository_entries(plan) if e.kind == Kind.MINUTES]
    assert keys == [f"minutes-{meeting.pk}"]


# The page cache ---------------------------------------------------------------------------------


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(write, *args, **kwargs):
        pagecache.flush_discard()
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


def test_the_repository_comes_from_the_cache_until_minutes_are_published(
    page_cache, committed, django_assert_num_queries
):
    earlier, plan = PlanFactory(code="PAN-A"), PlanFactory(code="PAN-B")
    # Minutes of the earlier plan's meeting that agreed the timeline of this plan's co-creation:
    # their publication bumps the earlier plan alone, yet shows on this plan's repository.
    meeting = MeetingFactory(plan=earlier)
    AgendaItemFactory(meeting=meeting, timeline=TimelineFactory(plan=plan))
    meeting_hold(meeting=meeting, user=None)
    client = Client()
    url = f"/fr/plans/{plan.code}/repository/"
    before = client.get(url).content.decode()
    with django_assert_num_queries(1):  # the versions: the page comes from the cache
        assert client.get(url).content.decode() == before
    assert f"/fr/meetings/{meeting.pk}/" not in before
    committed(minutes_publish, meeting=meeting, user=None)
    assert f'href="/fr/meetings/{meeting.pk}/"' in client.get(url).content.decode()
    assert f'href="/fr/meetings/{meeting.pk}/"' in client.get("/fr/repository/").content.decode()


def test_new_evidence_shows_on_the_cached_repository(page_cache, committed, secretariat):
    plan = PlanFactory(code="PAN-C")
    activity = ActivityFactory(commitment=CommitmentFactory(plan=plan, number=1))
    client = Client()
    url = f"/en/plans/{plan.code}/repository/"
    assert "Compte rendu signé" not in client.get(url).content.decode()
    evidence = EvidenceInput(title="Compte rendu signé", file=make_upload("cr.pdf", PDF_BYTES))
    entry = UpdateEntry(activity=activity, progress=50, evidence=[evidence])
    committed(progress_update_submit, entry=entry, author=secretariat)  # counts at once
    assert "Compte rendu signé" in client.get(url).content.decode()
    assert Meeting.objects.count() == 0
