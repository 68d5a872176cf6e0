"""Timelines follow events: a step tied to an event (a report stage reached, proposals opened or
closed, a meeting held) becomes done with the date it happened, and the public timeline shows the
planned dates beside the actual ones."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cocreation.services import process_proposals_open
from meetings.events import event_choices, timeline_event
from meetings.models import Meeting, Timeline, TimelineStep
from meetings.services import meeting_hold
from tests.cocreation.factories import ProcessFactory
from tests.meetings.factories import MeetingFactory, TimelineFactory, TimelineStepFactory

pytestmark = pytest.mark.django_db

Done = TimelineStep.Status.DONE


@pytest.fixture
def plan(commitment):
    return commitment.plan


def step(timeline, position, event, month):
    return TimelineStepFactory(
        timeline=timeline,
        position=position,
        title=f"Étape {position}",
        starts_on=datetime.date(2023, month, 1),
        event=event,
    )


def test_every_app_declares_its_events():
    keys = {key for key, _label in event_choices()}
    assert {"report:consultation", "report:transmitted", "meeting:steering"} <= keys
    assert {"cocreation:proposals_opened", "cocreation:proposals_closed"} <= keys


def test_an_event_marks_the_first_open_step_done_with_its_date(plan):
    timeline = TimelineFactory(kind=Timeline.Kind.REPORT, plan=plan)
    first = step(timeline, 1, "report:review", 4)
    second = step(timeline, 2, "report:review", 6)
    other = step(timeline, 3, "report:published", 7)
    day = datetime.date(2023, 5, 2)
    assert timeline_event("report:review", plan=plan, on=day) == [first]
    first.refresh_from_db(), second.refresh_from_db(), other.refresh_from_db()
    assert (first.status, first.done_on) == (Done, day)
    assert second.status != Done and other.status != Done
    assert first.starts_on == datetime.date(2023, 4, 1)  # the plan stays as it was agreed
    assert not first.is_late


def test_a_report_reaching_a_stage_completes_its_step(plan, secretariat, fake_pdf):
    from reports.services import report_stage_change
    from tests.reports.factories import ReportFactory
    from tests.reports.steps import ready_version

    report = ReportFactory(plan=plan)
    timeline = TimelineFactory(kind=Timeline.Kind.REPORT, plan=plan)
    review = step(timeline, 1, "report:review", 4)
    ready_version(report)  # the review's gate: a PDF made from the current data
    report_stage_change(report=report, stage="review", user=secretariat)
    review.refresh_from_db()
    assert (review.status, review.done_on) == (Done, timezone.localdate())


def test_a_meeting_held_completes_the_step_of_its_committee(plan, secretariat):
    timeline = TimelineFactory(kind=Timeline.Kind.REPORT, plan=plan)
    steering = step(timeline, 1, "meeting:steering", 3)
    meeting = MeetingFactory(
        plan=plan, starts_at=timezone.now() - datetime.timedelta(days=2), committee__kind="steering"
    )
    meeting_hold(meeting=meeting, user=secretariat)
    steering.refresh_from_db()
    assert (steering.status, steering.done_on) == (Done, timezone.localdate(meeting.starts_at))
    assert Meeting.objects.get(pk=meeting.pk).is_held


def test_opening_and_closing_proposals_complete_the_co_creation_steps(plan):
    timeline = TimelineFactory(kind=Timeline.Kind.CO_CREATION, plan=plan)
    process = ProcessFactory(plan=plan, timeline=timeline)
    opened = step(timeline, 1, "cocreation:proposals_opened", 4)
    closed = step(timeline, 2, "cocreation:proposals_closed", 5)
    process_proposals_open(process=process, accepts_proposals=True)
    opened.refresh_from_db(), closed.refresh_from_db()
    assert opened.status == Done and closed.status != Done
    process_proposals_open(process=process, accepts_proposals=False)
    closed.refresh_from_db()
    assert closed.status == Done


def test_the_public_timeline_shows_planned_and_actual_dates(plan):
    timeline = TimelineFactory(kind=Timeline.Kind.REPORT, plan=plan, is_public=True)
    done = step(timeline, 1, "report:review", 4)
    step(timeline, 2, "report:published", 6)
    timeline_event("report:review", plan=plan, on=datetime.date(2023, 5, 2))
    html = Client().get(f"/en/timelines/{timeline.pk}/").content.decode()
    assert "Planned" in html and "Done on" in html
    row = html.split(f'data-step="{done.pk}"')[1].split("</tr>")[0]
    assert "April 2023" in row and "May 2, 2023" in row


def test_the_demo_timelines_keep_their_planned_months(demo):
    steps = TimelineStep.objects.filter(timeline__steps__isnull=False).distinct()
    assert steps.exists()
    assert not steps.filter(done_on__isnull=False).exists()


def test_the_admin_ties_a_step_to_a_declared_event(plan):
    from tests.factories import UserFactory

    timeline = TimelineFactory(kind=Timeline.Kind.REPORT, plan=plan)
    step(timeline, 1, "", 4)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    html = client.get(f"/en/admin/meetings/timeline/{timeline.pk}/change/").content.decode()
    assert 'value="report:consultation"' in html and 'value="meeting:steering"' in html


def test_the_demo_report_timeline_waits_for_the_report_stages(demo):
    steps = TimelineStep.objects.filter(timeline__kind=Timeline.Kind.REPORT).exclude(event="")
    assert set(steps.values_list("event", flat=True)) == {
        "report:review",
        "report:consultation",
        "report:transmitted",
    }
