"""Every change is recorded with who and when, and a commitment's page shows it."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone, translation

from commitments.history import commitment_history
from commitments.models import Commitment, FocalPointAssignment
from commitments.services import UpdateEntry, focal_point_hand_over, progress_update_submit
from tests.conftest import url_in
from tests.factories import ActivityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(commitment):
    return ActivityFactory(commitment=commitment, title_fr="Feuille de route")


def test_history_shows_validated_updates_publicly_and_pending_ones_to_the_team(
    commitment, activity, focal_point, secretariat
):
    focal_point.first_name, focal_point.last_name = "Fatima", "Zahra"
    focal_point.save()
    progress_update_submit(
        entry=UpdateEntry(activity=activity, progress=40, narrative="Atelier validé"),
        author=focal_point,
    )
    public = Client().get(commitment.get_absolute_url()).content.decode()
    assert "Atelier validé" not in public
    team = Client()
    team.force_login(focal_point)
    assert "Atelier validé" in team.get(commitment.get_absolute_url()).content.decode()

    update = activity.updates.get()
    staff = Client()
    staff.force_login(secretariat)
    staff.post(f"/fr/secretariat/review/{update.pk}/validate/")
    public = Client().get(commitment.get_absolute_url()).content.decode()
    assert "Atelier validé" in public
    assert "Fatima Zahra" in public
    assert "@example.org" not in public  # no personal e-mail addresses in public


def test_text_changes_are_in_the_history(commitment, secretariat):
    staff = Client()
    staff.force_login(secretariat)
    commitment.title_fr = "Charte des services publics (révisée)"
    commitment.save()
    html = Client().get(url_in(commitment, "en")).content.decode()
    assert "Commitment changed" in html
    assert "title [fr]" in html


def test_hand_over_ends_the_previous_assignment_and_keeps_it(commitment, focal_point):
    newcomer = UserFactory(username="nadia", first_name="Nadia", last_name="Benali")
    start = datetime.date.today()
    focal_point_hand_over(commitment=commitment, user=newcomer, start_date=start)
    former = FocalPointAssignment.objects.get(user=focal_point)
    assert former.end_date == start - datetime.timedelta(days=1)
    assert not former.is_current()
    assert list(
        FocalPointAssignment.objects.current()
        .filter(commitment=commitment, role="titular")
        .values_list("user__username", flat=True)
    ) == ["nadia"]
    assert former.history.count() == 2  # created, then ended


def test_the_public_history_names_a_focal_point_only_where_the_name_is_published(
    commitment, focal_point, secretariat
):
    """The commitment's public page shows a focal point's name only where the secretariat
    ticked "name shown publicly" (FocalPointAssignment.name_published): its history too."""
    newcomer = UserFactory(username="nadia", first_name="Nadia", last_name="Benali")
    start = datetime.date.today()
    focal_point_hand_over(commitment=commitment, user=newcomer, start_date=start)
    with translation.override("en"):
        entries = commitment_history(commitment, AnonymousUser())
    summaries = [e.summary for e in entries if e.kind == "focal_point"]
    assert summaries[0] == f"A focal point (Titular) was designated from {start:%d/%m/%Y}"
    assert all("Nadia" not in summary for summary in summaries)
    assert "Nadia Benali" not in Client().get(commitment.get_absolute_url()).content.decode()
    staff = Client()
    staff.force_login(secretariat)
    assert "Nadia Benali" in staff.get(commitment.get_absolute_url()).content.decode()
    FocalPointAssignment.objects.filter(user=newcomer).update(name_published=True)
    assert "Nadia Benali" in Client().get(commitment.get_absolute_url()).content.decode()


def test_hand_over_page_for_the_secretariat(commitment, focal_point, secretariat):
    newcomer = UserFactory(username="nadia")
    staff = Client()
    staff.force_login(secretariat)
    url = f"/fr/secretariat/commitments/{commitment.pk}/hand-over/"
    assert staff.get(url).status_code == 200
    response = staff.post(url, {"user": newcomer.pk, "role": "titular", "start_date": ""})
    assert response.status_code == 200
    assert "start_date" in response.context["form"].errors
    response = staff.post(
        url, {"user": newcomer.pk, "role": "titular", "start_date": datetime.date.today()}
    )
    assert response.status_code == 302
    assert commitment.focal_point_assignments.count() == 2


def test_the_demo_history_is_dated_by_its_sources(demo):
    """The commitment was created with its plan, before the figures of 28 March 2023, and a
    figure the meeting only confirmed (0 % then, 0 % now) is not shown as a change."""
    commitment = Commitment.objects.get(plan__code="PAN-2021-2023", number=19)
    with translation.override("en"):
        entries = commitment_history(commitment, AnonymousUser())
    created = next(e for e in entries if e.kind == "text" and e.summary == "Commitment created")
    updates = [e for e in entries if e.update]
    assert updates and timezone.localtime(created.at).date() == commitment.plan.start_date
    assert all(created.at < e.at for e in updates)
    assert entries[-1] is created
    with translation.override("en"):
        html = Client().get(commitment.get_absolute_url()).content.decode()
    history = html.split('class="timeline"')[1]
    assert "0&nbsp;% → <strong>0&nbsp;%" not in history
    assert "Figure confirmed: 0&nbsp;%" in history


def test_focal_point_entries_are_dated_by_their_term(commitment, focal_point):
    assignment = FocalPointAssignment.objects.get(user=focal_point)
    entries = commitment_history(commitment, AnonymousUser())
    (entry,) = [e for e in entries if e.kind == "focal_point"]
    assert timezone.localtime(entry.at).date() == assignment.start_date


def test_a_change_decided_in_a_meeting_is_dated_by_the_meeting(commitment, activity, secretariat):
    from meetings.services import meeting_progress_change
    from tests.meetings.factories import MeetingFactory

    meeting = MeetingFactory(
        plan=commitment.plan, starts_at=timezone.make_aware(datetime.datetime(2023, 3, 28, 13))
    )
    update = meeting_progress_change(
        meeting=meeting, activity=activity, new_progress=40, user=secretariat
    )
    assert update.created_at == meeting.starts_at
