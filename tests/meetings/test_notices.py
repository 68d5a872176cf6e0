"""What the meetings tell people: a decision assigned, due soon or overdue (its owner's members
with an account and the secretariat), minutes published (the plan's followers)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from meetings import services
from meetings.models import Decision
from meetings.tasks import send_decision_reminders
from notifications.models import Follow, Notification, Profile
from tests.factories import InstitutionFactory, UserFactory
from tests.meetings.factories import (
    CommitteeMemberFactory,
    DecisionFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db

PORTAL = "http://127.0.0.1:8000"


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


@pytest.fixture
def ministry(db):
    return InstitutionFactory(name_fr="Ministère de la Transition numérique", acronym="MTNRA")


@pytest.fixture
def meeting(db):
    return MeetingFactory(status="held", held_at=timezone.now())


@pytest.fixture
def owner_member(meeting, ministry):
    """Sits on the meeting's committee for the ministry, with an account read in English."""
    user = UserFactory(username="karim", first_name="Karim", last_name="Alaoui")
    Profile.objects.create(user=user, language="en")
    CommitteeMemberFactory(committee=meeting.committee, institution=ministry, user=user)
    return user


@pytest.fixture
def staff(secretariat):
    Profile.objects.create(user=secretariat, language="en")
    return secretariat


@pytest.fixture
def bystanders(meeting, ministry):
    """Who must not hear of the ministry's decisions: another organisation's member, a member
    for the ministry whose seat ended, and one of another committee."""
    others = [UserFactory(username=name) for name in ("other", "former", "elsewhere")]
    CommitteeMemberFactory(committee=meeting.committee, user=others[0])
    CommitteeMemberFactory(
        committee=meeting.committee,
        institution=ministry,
        user=others[1],
        end_date=datetime.date(2022, 12, 31),
    )
    CommitteeMemberFactory(institution=ministry, user=others[2])
    # A seat for the ministry without an account: nobody to tell.
    CommitteeMemberFactory(committee=meeting.committee, institution=ministry, name="Sans compte")
    return others


def decision_link(decision: Decision, language: str = "en") -> str:
    return f"{PORTAL}/{language}/meetings/{decision.meeting_id}/#decision-{decision.pk}"


def test_a_decision_with_an_owner_tells_its_members_and_the_secretariat(
    meeting, ministry, owner_member, staff, bystanders, django_capture_on_commit_callbacks
):
    due = datetime.date(2031, 6, 30)
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decision_add(
            meeting=meeting, text="Publier le rapport", owner=ministry, due_date=due
        )
    [to_owner] = sent_to(owner_member.email)
    [to_staff] = sent_to(staff.email)
    for message in (to_owner, to_staff):
        assert message.subject == "A decision of the committee is assigned to you"
        assert "Publier le rapport" in message.body and "June 30, 2031" in message.body
        assert "Ministère de la Transition numérique" in message.body
        assert decision_link(decision) in message.body
    assert not any(sent_to(user.email) for user in bystanders)
    assert len(mail.outbox) == 2


def test_a_decision_without_an_owner_assigns_nothing(
    meeting, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_add(meeting=meeting, text="Réfléchir", owner_detail="Le secrétariat")
    assert not Notification.objects.exists() and not mail.outbox


def test_a_decision_due_soon_is_reminded_once_and_a_later_one_not_yet(
    settings, meeting, ministry, owner_member, staff, django_capture_on_commit_callbacks
):
    settings.DECISION_DUE_SOON_DAYS = 7
    today = timezone.localdate()
    soon = DecisionFactory(
        meeting=meeting, owner=ministry, due_date=today + datetime.timedelta(days=7)
    )
    DecisionFactory(meeting=meeting, owner=ministry, due_date=today + datetime.timedelta(days=8))
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            send_decision_reminders.apply().get()
    [to_owner] = sent_to(owner_member.email)
    [to_staff] = sent_to(staff.email)
    for message in (to_owner, to_staff):
        assert message.subject == "A decision is due in 7 days"
        assert soon.text in message.body and decision_link(soon) in message.body
    assert Notification.objects.filter(kind="decision_due_soon").count() == 2


def test_an_overdue_decision_is_reminded_once_and_a_closed_one_never(
    meeting, ministry, owner_member, staff, django_capture_on_commit_callbacks
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = DecisionFactory(meeting=meeting, owner=ministry, due_date=yesterday)
    DecisionFactory(meeting=meeting, owner=ministry, due_date=yesterday, status="done")
    DecisionFactory(meeting=meeting, owner=ministry, due_date=yesterday, status="dropped")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_decision_reminders.apply().get() == 2  # the owner's member, the secretariat
    with django_capture_on_commit_callbacks(execute=True):
        assert send_decision_reminders.apply().get() == 0
    [to_owner] = sent_to(owner_member.email)
    assert len(sent_to(staff.email)) == 1
    assert to_owner.subject == "A decision of the committee is overdue"
    assert late.text in to_owner.body and decision_link(late) in to_owner.body
    # A new due date is a new deadline: once it passes, it is reminded again.
    Decision.objects.filter(pk=late.pk).update(due_date=yesterday - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_decision_reminders.apply().get() == 2
    assert len(sent_to(owner_member.email)) == 2


def test_a_reminder_without_an_owner_reaches_the_secretariat_only(
    meeting, staff, owner_member, django_capture_on_commit_callbacks
):
    DecisionFactory(meeting=meeting, due_date=datetime.date(2020, 12, 25))
    with django_capture_on_commit_callbacks(execute=True):
        send_decision_reminders()
    assert len(sent_to(staff.email)) == 1 and not sent_to(owner_member.email)


def test_an_owner_member_without_an_address_is_told_in_the_site_only(
    meeting, ministry, staff, django_capture_on_commit_callbacks
):
    user = UserFactory(username="noaddress", email="")
    CommitteeMemberFactory(committee=meeting.committee, institution=ministry, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_add(meeting=meeting, text="Publier", owner=ministry)
    assert Notification.objects.filter(user=user, kind="decision_assigned", frequency="none")
    assert [message.to for message in mail.outbox] == [[staff.email]]


def follower(plan, email: str, language: str, confirmed: bool = True) -> Follow:
    return Follow.objects.create(
        email=email,
        language=language,
        target=plan,
        confirmed_at=timezone.now() if confirmed else None,
    )


def test_published_minutes_tell_the_plans_followers_once_in_their_language(
    meeting, django_capture_on_commit_callbacks
):
    plan = meeting.plan
    plan.title_ar = "خطة العمل الوطنية"
    plan.save()
    meeting.committee.name_ar = "لجنة القيادة"
    meeting.committee.save()
    follower(plan, "reader@example.org", "en")
    follower(plan, "arabic@example.org", "ar")
    follower(plan, "unconfirmed@example.org", "en", confirmed=False)
    gone = follower(plan, "gone@example.org", "en")
    gone.unsubscribed_at = timezone.now()
    gone.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(meeting=meeting, user=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(meeting=meeting, user=None)  # keeps the first date
    assert sorted(m.to[0] for m in mail.outbox) == ["arabic@example.org", "reader@example.org"]
    [english] = sent_to("reader@example.org")
    assert english.subject == f"Minutes published: {meeting.committee.name}, March 28, 2023"
    assert f"{PORTAL}/en/meetings/{meeting.pk}/" in english.body
    assert plan.title_fr in english.body
    [arabic] = sent_to("arabic@example.org")
    assert "لجنة القيادة" in arabic.subject and "خطة العمل الوطنية" in arabic.body
    assert f"{PORTAL}/ar/meetings/{meeting.pk}/" in arabic.body
    assert arabic.extra_headers["Content-Language"] == "ar"


def test_minutes_withdrawn_and_published_again_tell_nobody_twice(
    meeting, django_capture_on_commit_callbacks
):
    follower(meeting.plan, "reader@example.org", "en")
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(meeting=meeting, user=None)
        services.minutes_unpublish(meeting=meeting, user=None)
        services.minutes_publish(meeting=meeting, user=None)
    assert len(mail.outbox) == 1
