"""The blocker register: every activity that is or was blocked, with its reason, since when, the
meetings that dealt with it and what they decided, and the updates awaiting validation that
would block or unblock one; for the secretariat and the committee members."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from commitments.models import Activity, ProgressUpdate
from commitments.services import (
    UpdateEntry,
    progress_update_record,
    progress_update_submit,
    progress_update_validate,
)
from meetings import services
from meetings.models import Meeting
from meetings.summaries import BlockerFilters, blocker_register
from tests.conftest import client_for
from tests.factories import (
    ActivityFactory,
    CommitmentFactory,
    FocalPointAssignmentFactory,
    InstitutionFactory,
    PlanFactory,
)
from tests.meetings.factories import CommitteeFactory, MeetingFactory

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")
JANUARY = timezone.make_aware(datetime.datetime(2023, 1, 10, 9, 0))
NOTES = "Le ministère attend la signature du chef du gouvernement."
MEETING_DAY = timezone.make_aware(datetime.datetime(2023, 3, 28, 13, 0))
DEMO_ACTIVITY = (
    "Concevoir un mécanisme de consultation permanent, adapté au contexte marocain, pour une "
    "implication des citoyens dans la préparation du budget citoyen"
)
DEMO_REASON = "Blocage au niveau de la conception du mécanisme de consultation"


def register_url(lang: str = "fr") -> str:
    with translation.override(lang):
        return reverse("meetings:blockers")


def block(activity: Activity, reason: str, *, at: datetime.datetime = JANUARY, **kwargs):
    """A validated update that blocks ``activity`` (refreshed: the service locks its own copy)."""
    update = progress_update_record(
        activity=activity,
        author=None,
        new_progress=activity.progress or 20,
        new_status=Activity.Status.BLOCKED,
        blocked_reason=reason,
        source=ProgressUpdate.Source.WEB,
        created_at=at,
        **kwargs,
    )
    activity.refresh_from_db()
    return update


def states(blockages) -> dict[int, set[str]]:
    return {b.activity.pk: b.states for b in blockages}


@pytest.fixture
def ministry():
    return InstitutionFactory(code="MIN", name_fr="Ministère de la Justice")


@pytest.fixture
def plan():
    return PlanFactory(code="PAN-B", title_fr="Plan B")


@pytest.fixture
def decree(plan, ministry):
    """An activity of commitment 2, led by the ministry."""
    commitment = CommitmentFactory(plan=plan, number=2, lead_institution=ministry)
    return ActivityFactory(commitment=commitment, position=1, title_fr="Publier le décret")


@pytest.fixture
def steering(plan):
    committee = CommitteeFactory(name_fr="Comité de pilotage")
    return MeetingFactory(committee=committee, plan=plan, starts_at=MEETING_DAY)


@pytest.fixture
def resolved(decree, steering, ministry):
    """The decree's activity blocked in January, put on the agenda of the March meeting, which
    decided to write to the government and moved the activity to 40 %."""
    block(decree, "Décret en attente de signature")
    item = services.agenda_item_add_blocked_activity(meeting=steering, activity=decree)
    with translation.override("fr"):
        services.agenda_item_update(item=item, title=item.title, notes=NOTES)
    decided = services.decision_add(
        meeting=steering,
        text="Écrire au secrétariat général du gouvernement",
        owner=ministry,
        due_date=datetime.date(2023, 4, 30),
        commitments=[decree.commitment],
    )
    services.decision_add(meeting=steering, text="Organiser un atelier de co-création")
    lifted = services.meeting_progress_change(
        meeting=steering, activity=decree, new_progress=40, user=None
    )
    return decided, lifted


# What the register holds ---------------------------------------------------------------------


def test_a_resolved_blockage_shows_its_meeting_its_decision_and_when_it_was_lifted(
    secretariat, resolved, decree, steering
):
    decided, lifted = resolved
    [blockage] = blocker_register(secretariat, BlockerFilters())
    assert blockage.activity == decree
    assert blockage.states == {"resolved"}
    assert blockage.reason == "Décret en attente de signature"
    assert blockage.since == JANUARY
    assert blockage.lifted_by is not None and blockage.lifted_by.update == lifted
    assert blockage.lifted_by.meeting == steering
    [discussed] = blockage.meetings
    assert discussed.meeting == steering
    assert discussed.agenda_item is not None
    assert discussed.agenda_item.notes_fr == NOTES
    assert discussed.lifted_here and not discussed.blocked_here
    assert discussed.decisions == [decided]  # not the workshop: it concerns no commitment


def test_the_page_shows_the_resolved_blockage_to_the_secretariat(
    client: Client, secretariat, resolved, steering
):
    client.force_login(secretariat)
    response = client.get(register_url("en"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Publier le décret" in page
    assert "Décret en attente de signature" in page
    assert "Le ministère attend la signature du chef du gouvernement." in page
    assert "Écrire au secrétariat général du gouvernement" in page
    assert "Organiser un atelier de co-création" not in page
    with translation.override("en"):
        assert f'href="{steering.get_absolute_url()}"' in page
    assert 'data-states="resolved"' in page


def test_a_blockage_awaiting_validation_is_pending_until_validated(decree, plan, secretariat):
    focal_point = FocalPointAssignmentFactory(commitment=decree.commitment).user
    entry = UpdateEntry(
        activity=decree, progress=10, status="blocked", blocked_reason="Budget gelé"
    )
    submitted = progress_update_submit(entry=entry, author=focal_point)
    assert submitted.state == ProgressUpdate.State.SUBMITTED
    [blockage] = blocker_register(secretariat, BlockerFilters())
    assert blockage.states == {"pending"}
    assert blockage.pending == submitted and blockage.reason == "Budget gelé"
    assert blockage.since == submitted.created_at
    progress_update_validate(update=submitted, reviewer=secretariat)
    [blockage] = blocker_register(secretariat, BlockerFilters())
    assert blockage.states == {"blocked"} and blockage.pending is None


def test_an_unblocking_awaiting_validation_leaves_the_activity_blocked_and_pending(
    secretariat, decree
):
    block(decree, "Décret en attente de signature")
    focal_point = FocalPointAssignmentFactory(commitment=decree.commitment).user
    entry = UpdateEntry(activity=decree, progress=30, narrative="Décret signé")
    lifting = progress_update_submit(entry=entry, author=focal_point)
    [blockage] = blocker_register(secretariat, BlockerFilters())
    assert blockage.states == {"blocked", "pending"}
    assert blockage.pending == lifting and blockage.lifted_by is None


def test_a_second_blockage_of_the_same_activity_is_a_second_row(secretariat, decree, resolved):
    block(decree, "Marché public infructueux", at=timezone.now())
    first, second = blocker_register(secretariat, BlockerFilters())
    assert (first.states, second.states) == ({"resolved"}, {"blocked"})
    assert second.reason == "Marché public infructueux"
    assert first.meetings and not second.meetings


def test_an_activity_blocked_without_a_recorded_update_is_listed(secretariat, decree):
    # The original column (checked by a constraint) and the French one, as a save writes them.
    Activity.objects.filter(pk=decree.pk).rewrite(False).update(
        status="blocked", blocked_reason="Saisi à la main", blocked_reason_fr="Saisi à la main"
    )
    [blockage] = blocker_register(secretariat, BlockerFilters())
    assert blockage.states == {"blocked"}
    assert blockage.since is None and blockage.reason == "Saisi à la main"


def test_a_meeting_whose_frozen_table_listed_the_blocked_activity_is_shown(
    secretariat, decree, steering
):
    block(decree, "Décret en attente de signature")
    commitment = decree.commitment
    commitment.remarks_fr = "Blocage au niveau du décret"
    commitment.save()
    services.meeting_hold(meeting=steering, user=None)
    with translation.override("fr"):
        [blockage] = blocker_register(secretariat, BlockerFilters())
    [discussed] = blockage.meetings
    assert discussed.meeting == steering and discussed.in_table
    assert discussed.table_remark == "Blocage au niveau du décret"


def test_a_meeting_after_the_blockage_was_lifted_is_not_about_it(secretariat, decree, plan):
    block(decree, "Décret en attente de signature")
    lifted_at = MEETING_DAY - datetime.timedelta(days=30)
    progress_update_record(
        activity=decree, author=None, new_progress=30, source="web", created_at=lifted_at
    )
    later = MeetingFactory(plan=plan, starts_at=MEETING_DAY)
    services.meeting_hold(meeting=later, user=None)
    [blockage] = blocker_register(secretariat, BlockerFilters())
    assert blockage.states == {"resolved"} and blockage.meetings == []


# Filters -------------------------------------------------------------------------------------


@pytest.fixture
def three_states(plan, ministry, decree):
    """The decree blocked (plan B, the ministry); a pending blockage in plan B of another
    institution; a resolved one in another plan, of the ministry."""
    block(decree, "Décret en attente de signature")
    other = ActivityFactory(commitment=CommitmentFactory(plan=plan, number=5))
    focal_point = FocalPointAssignmentFactory(commitment=other.commitment).user
    entry = UpdateEntry(activity=other, progress=10, status="blocked", blocked_reason="Budget")
    progress_update_submit(entry=entry, author=focal_point)
    old_plan = PlanFactory(code="PAN-A")
    old = ActivityFactory(commitment=CommitmentFactory(plan=old_plan, lead_institution=ministry))
    block(old, "Loi non votée")
    progress_update_record(activity=old, author=None, new_progress=100, source="import")
    return decree, other, old


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"decree", "other", "old"}),
        ({"plan": "PAN-B"}, {"decree", "other"}),
        ({"plan": "PAN-A"}, {"old"}),
        ({"institution": "MIN"}, {"decree", "old"}),
        ({"state": "blocked"}, {"decree"}),
        ({"state": "pending"}, {"other"}),
        ({"state": "resolved"}, {"old"}),
        ({"plan": "PAN-B", "institution": "MIN", "state": "blocked"}, {"decree"}),
        ({"plan": "PAN-A", "state": "blocked"}, set()),
    ],
)
def test_the_register_filters_by_plan_institution_and_state(
    client: Client, secretariat, three_states, query, expected
):
    decree, other, old = three_states
    names = {decree.pk: "decree", other.pk: "other", old.pk: "old"}
    client.force_login(secretariat)
    response = client.get(register_url("en"), query)
    assert response.status_code == 200
    assert {names[b.activity.pk] for b in response.context["blockages"]} == expected
    shown = set(re.findall(r'data-activity="(\d+)"', response.content.decode()))
    assert shown == {str(b.activity.pk) for b in response.context["blockages"]}


def test_filters_not_understood_are_ignored_and_said(client: Client, secretariat, three_states):
    client.force_login(secretariat)
    query = {"plan": "NOPE", "state": "blocked", "institution": "ZZZ"}
    response = client.get(register_url("en"), query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Some filters were not understood and were ignored." in page
    assert "Select a valid choice" in page  # next to the field
    assert len(response.context["blockages"]) == 1  # the state still applies


def test_an_empty_register_says_so(client: Client, secretariat, plan):
    client.force_login(secretariat)
    response = client.get(register_url("en"))
    assert response.status_code == 200
    assert "No activity is or was blocked." in response.content.decode()


# Who sees it -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("other_focal_point", 403),
        ("focal_point", 403),
        ("committee_member", 200),
        ("secretariat", 200),
    ],
)
def test_the_secretariat_and_committee_members_see_the_register(request, persona, status):
    response = client_for(request, persona).get(register_url("en"))
    assert response.status_code == status
    if persona == "anonymous":
        assert response["Location"] == "/en/accounts/login/?next=/en/secretariat/blockers/"


def test_the_register_is_read_only(client: Client, secretariat):
    client.force_login(secretariat)
    assert client.post(register_url("en")).status_code == 405


def test_committee_members_do_not_see_updates_awaiting_validation(
    client: Client, committee_member, three_states
):
    decree, other, old = three_states
    client.force_login(committee_member)
    response = client.get(register_url("en"))
    assert {b.activity.pk for b in response.context["blockages"]} == {decree.pk, old.pk}
    page = response.content.decode()
    assert "Budget" not in page
    assert "Updates awaiting validation are shown to the secretariat" in page


def test_a_focal_point_on_a_committee_sees_the_pending_updates_of_their_commitment(
    client: Client, committee_member, three_states
):
    decree, other, old = three_states
    FocalPointAssignmentFactory(commitment=other.commitment, user=committee_member)
    client.force_login(committee_member)
    response = client.get(register_url("en"), {"state": "pending"})
    assert [b.activity.pk for b in response.context["blockages"]] == [other.pk]


# Queries ---------------------------------------------------------------------------------------


def add_blockages(plan, committee, count: int, start: int) -> None:
    """``count`` activities of ``plan``, each blocked, discussed at a meeting of its own that took
    a decision about it and lifted it, blocked again and with a lifting awaiting validation."""
    for number in range(start, start + count):
        activity = ActivityFactory(
            commitment=CommitmentFactory(plan=plan, number=number), progress=0
        )
        block(activity, f"Raison {number}")
        meeting = MeetingFactory(
            committee=committee, plan=plan, starts_at=MEETING_DAY + datetime.timedelta(days=number)
        )
        services.agenda_item_add_blocked_activity(meeting=meeting, activity=activity)
        services.decision_add(
            meeting=meeting, text=f"Décision {number}", commitments=[activity.commitment]
        )
        services.meeting_progress_change(
            meeting=meeting, activity=activity, new_progress=30, user=None
        )
        block(activity, f"Nouvelle raison {number}", at=timezone.now())
        progress_update_record(
            activity=activity, author=None, new_progress=50, source="web", state="submitted"
        )


def test_the_register_takes_the_same_queries_for_more_rows(client: Client, secretariat, plan):
    committee = CommitteeFactory()
    client.force_login(secretariat)
    add_blockages(plan, committee, 2, start=1)
    client.get(register_url("en"))  # warm the caches (content types, permissions)
    with CaptureQueriesContext(connection) as few:
        response = client.get(register_url("en"))
    assert len(response.context["blockages"]) == 4
    add_blockages(plan, committee, 5, start=3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(register_url("en"))
    assert len(response.context["blockages"]) == 14
    assert len(many) == len(few), [q["sql"] for q in many]
    assert not [q for q in many if q["sql"].lstrip().upper().startswith(WRITES)]


# Links -------------------------------------------------------------------------------------------


def test_the_meeting_preparation_page_links_the_register_of_its_plan(
    client: Client, secretariat, steering
):
    client.force_login(secretariat)
    with translation.override("en"):
        response = client.get(steering.get_absolute_url())
    assert f'href="{register_url("en") + "?plan=PAN-B"}"' in response.content.decode()


def test_the_secretariat_overview_links_the_register_of_its_plan(client: Client, secretariat, plan):
    client.force_login(secretariat)
    with translation.override("en"):
        response = client.get(reverse("commitments:overview") + "?plan=PAN-B")
    assert f'href="{register_url("en") + "?plan=PAN-B"}"' in response.content.decode()


# The demo, in French and in Arabic -------------------------------------------------------------


def demo_steering() -> Meeting:
    return Meeting.objects.get(committee__kind="steering", plan__code="PAN-2021-2023")


def test_the_demo_lists_commitment_1s_blocked_activity_from_the_steering_committee(demo):
    secretariat = User.objects.get(username="secretariat")
    with translation.override("fr"):  # the texts in French, whatever an earlier test left
        [blockage] = blocker_register(secretariat, BlockerFilters())
    assert blockage.activity.commitment.number == 1
    assert blockage.activity.title_fr == DEMO_ACTIVITY
    assert blockage.states == {"blocked"} and blockage.reason == DEMO_REASON
    assert timezone.localtime(blockage.since).date() == datetime.date(2023, 3, 28)
    [discussed] = blockage.meetings
    assert discussed.meeting == demo_steering() and discussed.in_table
    assert discussed.table_remark == DEMO_REASON
    assert discussed.decisions == []  # the meeting's one decision concerns co-creation


def test_the_demo_register_in_french(demo):
    client = Client()
    client.force_login(User.objects.get(username="secretariat"))
    response = client.get(register_url("fr"), {"plan": "PAN-2021-2023"})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr" dir="ltr">' in page
    assert DEMO_ACTIVITY in page and DEMO_REASON in page
    assert "28 mars 2023" in page
    assert "Comité de pilotage du 28 mars 2023 – relevé des conclusions" in page
    with translation.override("fr"):
        assert f'href="{demo_steering().get_absolute_url()}"' in page


def test_the_demo_register_in_arabic_reads_right_to_left(demo):
    client = Client()
    client.force_login(User.objects.get(username="secretariat"))
    response = client.get(register_url("ar"), {"plan": "PAN-2021-2023"})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "تصميم آلية تشاور دائمة" in page  # the activity's Arabic title
    assert "28 مارس، 2023" in page  # the date, in Arabic
    with translation.override("ar"):
        assert f'href="{demo_steering().get_absolute_url()}"' in page
