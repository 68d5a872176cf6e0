"""Stale commitments and commitments with a blocked activity are proposed for a planned meeting's
agenda, put there in one click by the secretariat, and not proposed again once there."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from commitments.models import Activity, Commitment, Escalation, StalenessReminder
from commitments.services import progress_update_record
from meetings import services, summaries
from meetings.models import AgendaItem
from tests.factories import ActivityFactory, CommitmentFactory, PlanFactory
from tests.meetings.factories import CommitteeFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def record(activity, progress, days_ago=0, **kwargs):
    progress_update_record(
        activity=activity,
        author=None,
        new_progress=progress,
        source="web",
        created_at=timezone.now() - datetime.timedelta(days=days_ago),
        **kwargs,
    )


@pytest.fixture
def plan():
    """Commitment 1 last updated 40 days ago (stale under the 30-day threshold), 2 updated today
    but with a blocked activity, 3 up to date, 4 withdrawn and stale."""
    plan = PlanFactory(code="PAN-S")
    stale = CommitmentFactory(
        plan=plan,
        number=1,
        title_fr="Accès à l'information",
        title_ar="الحق في الحصول على المعلومات",
    )
    record(ActivityFactory(commitment=stale), 20, days_ago=40)
    blocked = CommitmentFactory(plan=plan, number=2, title_fr="Budget citoyen")
    record(ActivityFactory(commitment=blocked, title_fr="Portail budgétaire"), 30)
    record(
        ActivityFactory(commitment=blocked, title_fr="Décret d'application"),
        10,
        new_status=Activity.Status.BLOCKED,
        blocked_reason="Décret en attente de signature",
    )
    fresh = CommitmentFactory(plan=plan, number=3)
    record(ActivityFactory(commitment=fresh), 50)
    withdrawn = CommitmentFactory(plan=plan, number=4, status=Commitment.Status.WITHDRAWN)
    record(ActivityFactory(commitment=withdrawn), 10, days_ago=90)
    return plan


@pytest.fixture
def upcoming(plan):
    return MeetingFactory(
        plan=plan,
        committee=CommitteeFactory(),
        starts_at=timezone.now() + datetime.timedelta(days=10),
    )


def commitment_of(plan, number) -> Commitment:
    return Commitment.objects.get(plan=plan, number=number)


def proposed_numbers(meeting) -> list[int]:
    return [p.commitment.number for p in summaries.stale_commitments_proposed(meeting)]


def test_stale_and_blocked_commitments_are_proposed_with_why(plan, upcoming):
    proposals = summaries.stale_commitments_proposed(upcoming)
    assert [p.commitment.number for p in proposals] == [1, 2]
    stale, blocked = proposals
    assert stale.is_stale and stale.days_since_update == 40 and stale.blocked_activities == []
    assert not blocked.is_stale
    assert [a.title for a in blocked.blocked_activities] == ["Décret d'application"]


def test_a_proposed_commitment_goes_on_the_agenda_once(plan, upcoming, english):
    stale, blocked = commitment_of(plan, 1), commitment_of(plan, 2)
    item = services.agenda_item_add_stale_commitment(meeting=upcoming, commitment=stale)
    assert item.kind == AgendaItem.Kind.STALE_COMMITMENT and item.commitment == stale
    assert item.title == "Commitment 1 not updated: Accès à l'information"
    assert "Not updated for 40 days." in item.notes
    assert proposed_numbers(upcoming) == [2]
    with pytest.raises(ValidationError, match="already on the agenda"):
        services.agenda_item_add_stale_commitment(meeting=upcoming, commitment=stale)

    item = services.agenda_item_add_stale_commitment(meeting=upcoming, commitment=blocked)
    assert item.title == "Commitment 2 blocked: Budget citoyen"
    assert "Blocked activity “Décret d'application”: Décret en attente de signature" in item.notes
    assert proposed_numbers(upcoming) == []
    assert upcoming.agenda_items.filter(kind="stale_commitment").count() == 2


def test_only_a_stale_or_blocked_commitment_of_the_meeting_s_plan_can_be_proposed(plan, upcoming):
    with pytest.raises(ValidationError):
        services.agenda_item_add_stale_commitment(
            meeting=upcoming, commitment=commitment_of(plan, 3)
        )
    elsewhere = CommitmentFactory(number=1)
    record(ActivityFactory(commitment=elsewhere), 10, days_ago=90)
    with pytest.raises(ValidationError):
        services.agenda_item_add_stale_commitment(meeting=upcoming, commitment=elsewhere)
    assert not upcoming.agenda_items.exists()


def test_a_held_meeting_proposes_nothing_and_another_meeting_still_does(plan, upcoming):
    held = MeetingFactory(plan=plan)  # in 2023
    assert proposed_numbers(held) == [1, 2]
    services.meeting_hold(meeting=held, user=None)
    assert summaries.stale_commitments_proposed(held) == []
    services.agenda_item_add_stale_commitment(meeting=upcoming, commitment=commitment_of(plan, 1))
    other = MeetingFactory(plan=plan, starts_at=timezone.now() + datetime.timedelta(days=30))
    assert proposed_numbers(other) == [1, 2]


def test_an_escalated_commitment_says_so(plan, upcoming):
    stale = commitment_of(plan, 1)
    reminder = StalenessReminder.objects.create(commitment=stale, recipients="x@example.org")
    Escalation.objects.create(
        commitment=stale, reminder=reminder, sent_on=datetime.date(2024, 5, 6), week="2024-W19"
    )
    [proposal] = [p for p in summaries.stale_commitments_proposed(upcoming) if p.is_stale]
    assert proposal.escalated_on == datetime.date(2024, 5, 6)


def meeting_page(client, meeting, lang: str) -> str:
    with translation.override(lang):
        url = meeting.get_absolute_url()
    return client.get(url).content.decode()


def agenda_add_url(meeting, commitment, lang: str = "en") -> str:
    return f"/{lang}/secretariat/meetings/{meeting.pk}/agenda/commitments/{commitment.pk}/"


@pytest.mark.parametrize(
    ("lang", "marks"),
    [
        ("fr", ['lang="fr"', "Accès à l&#x27;information"]),
        ("ar", ['dir="rtl"', "الحق في الحصول على المعلومات"]),
        ("en", ['lang="en"', "Not updated for 40 days.", "Décret en attente de signature"]),
    ],
)
def test_the_preparation_page_proposes_them_with_one_click_in_each_language(
    client, secretariat, plan, upcoming, lang, marks
):
    client.force_login(secretariat)
    page = meeting_page(client, upcoming, lang)
    block = page.split('data-testid="stale-proposals"')[1].split("</section>")[0]
    for mark in marks:
        assert mark in page
    assert marks[1] in block
    for number in (1, 2):
        action = agenda_add_url(upcoming, commitment_of(plan, number), lang)
        assert f'action="{action}"' in block
    assert agenda_add_url(upcoming, commitment_of(plan, 3), lang) not in block
    assert '<h4 id="stale-proposals-title">' in block


def test_one_click_puts_it_on_the_agenda_with_a_confirmation(client, secretariat, plan, upcoming):
    client.force_login(secretariat)
    stale = commitment_of(plan, 1)
    response = client.post(agenda_add_url(upcoming, stale), follow=True)
    assert response.redirect_chain[-1][0].endswith("#agenda")
    page = response.content.decode()
    assert "The commitment is on the agenda." in page
    assert upcoming.agenda_items.get(kind="stale_commitment").commitment == stale
    block = page.split('data-testid="stale-proposals"')[1].split("</section>")[0]
    assert agenda_add_url(upcoming, stale) not in block
    # Twice (a second tab, a double click): a message, nothing added.
    again = client.post(agenda_add_url(upcoming, stale), follow=True).content.decode()
    assert "already on the agenda" in again
    assert upcoming.agenda_items.filter(kind="stale_commitment").count() == 1


def test_an_up_to_date_commitment_is_refused_with_a_message(client, secretariat, plan, upcoming):
    client.force_login(secretariat)
    response = client.post(agenda_add_url(upcoming, commitment_of(plan, 3)), follow=True)
    assert response.status_code == 200
    assert "Only a stale commitment" in response.content.decode()
    assert not upcoming.agenda_items.exists()


def test_only_the_secretariat_puts_a_commitment_on_the_agenda(
    client, focal_point, committee_member, plan, upcoming
):
    url = agenda_add_url(upcoming, commitment_of(plan, 1))
    assert client.post(url)["Location"].startswith("/en/accounts/login/")
    for user in (focal_point, committee_member):
        client.force_login(user)
        assert client.post(url).status_code == 403
        assert 'data-testid="stale-proposals"' not in meeting_page(client, upcoming, "en")
    assert not upcoming.agenda_items.exists()


def test_the_one_click_is_a_post(client, secretariat, plan, upcoming):
    client.force_login(secretariat)
    assert client.get(agenda_add_url(upcoming, commitment_of(plan, 1))).status_code == 405
    response = client.post(f"/en/secretariat/meetings/{upcoming.pk}/agenda/commitments/999999/")
    assert response.status_code == 404


def test_a_blocked_activity_clicked_twice_goes_on_the_agenda_once(plan, upcoming, english):
    activity = commitment_of(plan, 2).activities.get(status="blocked")
    services.agenda_item_add_blocked_activity(meeting=upcoming, activity=activity)
    with pytest.raises(ValidationError, match="already on the agenda"):
        services.agenda_item_add_blocked_activity(meeting=upcoming, activity=activity)
    assert upcoming.agenda_items.filter(activity=activity).count() == 1
