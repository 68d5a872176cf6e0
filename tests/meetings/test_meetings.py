"""Meetings: attendance pre-filled from the seats, decisions followed up until closed, blocked
activities proposed, the progress table frozen when held and compared with the previous one."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from commitments.models import Activity, Institution, ProgressUpdate
from commitments.services import progress_update_record
from meetings import services, summaries, tables
from meetings.models import Attendance, Committee, CommitteeMember, Decision, Meeting
from tests.factories import ActivityFactory, CommitmentFactory, InstitutionFactory, PlanFactory

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")
PAST = timezone.make_aware(datetime.datetime(2023, 3, 28, 13, 0))


@pytest.fixture
def plan():
    plan = PlanFactory(code="PAN-T", start_date=datetime.date(2021, 9, 1))
    for number, progresses in ((1, (100, 30)), (2, (50,)), (3, (100,))):
        commitment = CommitmentFactory(plan=plan, number=number)
        for position, progress in enumerate(progresses, start=1):
            activity = ActivityFactory(commitment=commitment, position=position)
            progress_update_record(
                activity=activity, author=None, new_progress=progress, source="import"
            )
    return plan


@pytest.fixture
def steering():
    committee = Committee.objects.create(kind="steering", name_fr="Comité de pilotage")
    ministry = InstitutionFactory(code="MIN", name_fr="Ministère")
    association = InstitutionFactory(
        code="ASSO", name_fr="Association", kind=Institution.Kind.CIVIL_SOCIETY
    )
    start = datetime.date(2021, 1, 1)
    CommitteeMember.objects.create(
        committee=committee, civility="Mme.", name="Sarah", institution=ministry, start_date=start
    )
    CommitteeMember.objects.create(
        committee=committee, civility="M.", name="Aïmane", institution=association, start_date=start
    )
    CommitteeMember.objects.create(
        committee=committee,
        name="Parti",
        institution=ministry,
        start_date=start,
        end_date=datetime.date(2022, 12, 31),
    )
    return committee


def meeting(steering, plan, when=PAST, **kwargs):
    return services.meeting_create(
        committee=steering, plan=plan, starts_at=when, mode="hybrid", place="Rabat", **kwargs
    )


def activity_of(plan, number, position=1) -> Activity:
    return Activity.objects.get(commitment__plan=plan, commitment__number=number, position=position)


def test_attendance_is_prefilled_from_the_seats_held_that_day(steering, plan):
    first = meeting(steering, plan, agenda=["État d'avancement", "Rapport d'auto-évaluation"])
    names = set(first.attendances.values_list("name", "status"))
    assert names == {("Sarah", "present"), ("Aïmane", "present")}  # the ended seat is left out
    assert [item.title for item in first.agenda_items.all()] == [
        "État d'avancement",
        "Rapport d'auto-évaluation",
    ]
    assert services.attendance_prefill(first) == 0  # nothing twice


def test_open_decisions_stay_on_the_next_agendas_until_closed(steering, plan):
    first = meeting(steering, plan)
    workshop = services.decision_add(meeting=first, text="Atelier de deux jours")
    closed = services.decision_add(meeting=first, text="Envoyer le manuel")
    services.decision_status_set(decision=closed, status=Decision.Status.DONE, note="Envoyé")
    assert closed.closed_at is not None
    other = Committee.objects.create(kind="implementation", name_fr="Comité d'implémentation")
    services.decision_add(
        meeting=services.meeting_create(committee=other, plan=plan, starts_at=PAST, mode="remote"),
        text="Another committee's decision",
    )

    second = meeting(steering, plan, when=PAST + datetime.timedelta(days=90))
    follow_ups = second.agenda_items.filter(kind="follow_up")
    assert [item.decision for item in follow_ups] == [workshop]
    assert "Atelier de deux jours" in follow_ups.get().title

    services.decision_status_set(decision=workshop, status=Decision.Status.DONE)
    third = meeting(steering, plan, when=PAST + datetime.timedelta(days=180))
    assert not third.agenda_items.filter(kind="follow_up").exists()
    # A re-opened decision comes back on the agendas of the planned meetings after it, once;
    # the reopening puts it there (no page view writes it).
    services.decision_status_set(decision=workshop, status=Decision.Status.IN_PROGRESS)
    assert [item.decision for item in third.agenda_items.filter(kind="follow_up")] == [workshop]
    assert second.agenda_items.filter(kind="follow_up").count() == 1
    assert services.agenda_follow_ups_sync(third) == 0


def test_a_blocked_activity_is_proposed_for_the_agenda(steering, plan):
    blocked = activity_of(plan, 2)
    progress_update_record(
        activity=blocked,
        author=None,
        new_progress=50,
        new_status=Activity.Status.BLOCKED,
        blocked_reason="Décret en attente",
        source="web",
    )
    blocked.refresh_from_db()
    upcoming = meeting(steering, plan, when=timezone.now() + datetime.timedelta(days=7))
    assert summaries.blocked_activities_proposed(upcoming) == [blocked]
    item = services.agenda_item_add_blocked_activity(meeting=upcoming, activity=blocked)
    assert item.kind == "blocked_activity" and item.notes == "Décret en attente"
    assert summaries.blocked_activities_proposed(upcoming) == []
    with pytest.raises(ValidationError):
        services.agenda_item_add_blocked_activity(meeting=upcoming, activity=activity_of(plan, 3))


def test_holding_freezes_the_table_and_the_next_meeting_flags_no_progress(steering, plan):
    first = meeting(steering, plan)
    commitment_1 = activity_of(plan, 1).commitment
    commitment_1.remarks_fr = "Plateforme de suivi non actualisée"
    commitment_1.save()
    services.meeting_hold(meeting=first, user=None)
    frozen = tables.progress_table(first)
    assert frozen.frozen and frozen.previous is None
    assert [row.percent for row in frozen.rows] == [65, 50, 100]
    assert frozen.global_percent == 72  # (65 + 50 + 100) / 3
    assert [row.commitment.number for row in frozen.completed] == [3]
    row_1 = frozen.rows[0]
    assert [(a.activity.position, a.progress) for a in row_1.unfinished] == [(2, 30)]
    assert row_1.remark == "Plateforme de suivi non actualisée"
    assert not frozen.flagged  # nothing to compare with

    # Decided in the meeting: a change recorded with the meeting as its source.
    update = services.meeting_progress_change(
        meeting=first, activity=activity_of(plan, 2), new_progress=80, user=None
    )
    assert update.source == ProgressUpdate.Source.MEETING
    assert update.source_reference == f"meeting:{first.pk}"
    assert update.state == ProgressUpdate.State.VALIDATED
    assert summaries.meeting_from_reference(update.source_reference) == first
    assert tables.progress_table(first).rows[1].percent == 50  # the frozen table keeps it

    second = meeting(steering, plan, when=PAST + datetime.timedelta(days=60))
    live = tables.progress_table(second)
    assert not live.frozen and live.previous == first.snapshot
    assert [row.commitment.number for row in live.flagged] == [1]  # 3 is complete, 2 moved
    assert live.rows[1].previous_percent == 50 and live.rows[1].percent == 80
    services.meeting_hold(meeting=second, user=None)
    second_table = tables.progress_table(second)
    assert [row.commitment.number for row in second_table.flagged] == [1]
    assert second_table.rows[0].row.no_progress


def test_a_meeting_is_held_once_and_not_before_it_starts(steering, plan):
    upcoming = meeting(steering, plan, when=timezone.now() + datetime.timedelta(hours=2))
    with translation.override("en"), pytest.raises(ValidationError, match="before it starts"):
        services.meeting_hold(meeting=upcoming, user=None)
    past = meeting(steering, plan)
    services.meeting_hold(meeting=past, user=None)
    with translation.override("en"), pytest.raises(ValidationError, match="already"):
        services.meeting_hold(meeting=past, user=None)


def test_a_meeting_change_must_concern_its_plan(steering, plan):
    first = meeting(steering, plan)
    elsewhere = ActivityFactory()
    with pytest.raises(ValidationError):
        services.meeting_progress_change(
            meeting=first, activity=elsewhere, new_progress=10, user=None
        )


def test_two_meetings_a_year_with_civil_society(steering, plan):
    first = meeting(steering, plan, when=timezone.make_aware(datetime.datetime(2022, 3, 1, 10)))
    services.meeting_hold(meeting=first, user=None)
    second = meeting(steering, plan, when=timezone.make_aware(datetime.datetime(2022, 10, 1, 10)))
    second.attendances.filter(institution__code="ASSO").update(status=Attendance.Status.ABSENT)
    services.meeting_hold(meeting=second, user=None)
    years = {year.year: year for year in summaries.civil_society_meetings_by_year(plan)}
    assert list(years) == [2021, 2022, 2023]
    assert years[2022].held_with_civil_society == 1  # civil society missed the second
    assert not years[2022].is_met
    second.attendances.filter(institution__code="ASSO").update(status=Attendance.Status.REMOTE)
    years = {year.year: year for year in summaries.civil_society_meetings_by_year(plan)}
    assert years[2022].held_with_civil_society == 2 and years[2022].is_met


# Pages and API ----------------------------------------------------------------------------------


def test_the_secretariat_creates_a_meeting_that_shows_open_decisions_and_flags(
    client: Client, secretariat, steering, plan
):
    first = meeting(steering, plan)
    services.decision_add(meeting=first, text="Atelier de deux jours")
    services.meeting_hold(meeting=first, user=None)
    client.force_login(secretariat)

    form = {
        "committee": steering.pk,
        "plan": plan.pk,
        "date": "2023-06-15",
        "time": "10:00",
        "mode": "in_person",
        "place": "",
        "agenda": "Suivi des engagements",
    }
    response = client.post("/fr/secretariat/meetings/new/", form)
    assert response.status_code == 400
    assert "Indiquez le lieu de la réunion." in response.content.decode()
    assert "Suivi des engagements" in response.content.decode()  # what was typed is kept

    form["place"] = "Rabat"
    response = client.post("/fr/secretariat/meetings/new/", form)
    new = Meeting.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    page = client.get(new.get_absolute_url()).content.decode()
    assert "Atelier de deux jours" in page  # the open decision, on the agenda
    assert 'data-testid="no-progress"' in page  # nothing moved since the first meeting
    assert new.attendances.count() == 2


def test_the_meeting_form_lists_its_errors_at_the_top_linked_to_the_fields(
    client: Client, secretariat, steering, plan
):
    client.force_login(secretariat)
    form = {
        "committee": steering.pk,
        "plan": plan.pk,
        "date": "",
        "time": "10:00",
        "mode": "hybrid",
    }
    html = client.post("/en/secretariat/meetings/new/", form).content.decode()
    summary = re.search(r'<div class="form-errors error-summary".*?</ul>', html, re.S).group()
    assert html.index(summary) < html.index('id="id_date"')
    assert 'href="#id_date"' in summary
    for target in re.findall(r'href="#([^"]+)"', summary):
        assert f'id="{target}"' in html


def test_attendance_errors_show_next_to_the_field(client: Client, secretariat, steering, plan):
    first = meeting(steering, plan)
    client.force_login(secretariat)
    rows = list(first.attendances.all())
    data = {
        "att-TOTAL_FORMS": "2",
        "att-INITIAL_FORMS": "2",
        "att-0-id": rows[0].pk,
        "att-0-status": "represented",
        "att-0-represented_by": "",
        "att-1-id": rows[1].pk,
        "att-1-status": "remote",
        "att-1-represented_by": "",
    }
    response = client.post(f"/en/secretariat/meetings/{first.pk}/attendance/", data)
    assert response.status_code == 400
    assert "Say who represented the member." in response.content.decode()
    assert Attendance.objects.get(pk=rows[1].pk).status == "present"  # nothing half-saved
    data["att-0-represented_by"] = "M. Alaoui, directeur"
    response = client.post(f"/en/secretariat/meetings/{first.pk}/attendance/", data)
    assert response.status_code == 302
    assert Attendance.objects.get(pk=rows[0].pk).represented_by == "M. Alaoui, directeur"
    assert Attendance.objects.get(pk=rows[1].pk).status == "remote"


def test_decisions_holding_and_a_meeting_change_through_the_page(
    client: Client, secretariat, steering, plan
):
    first = meeting(steering, plan)
    client.force_login(secretariat)
    url = f"/fr/secretariat/meetings/{first.pk}"
    response = client.post(f"{url}/decisions/", {"decision-text": ""})
    assert response.status_code == 400
    commitment = activity_of(plan, 2).commitment
    response = client.post(
        f"{url}/decisions/",
        {
            "decision-text": "Relancer le point focal",
            "decision-owner_detail": "Secrétariat",
            "decision-due_date": "2023-04-30",
            "decision-commitments": [commitment.pk],
        },
    )
    assert response.status_code == 302
    decision = first.decisions.get()
    assert decision.text == "Relancer le point focal"
    assert list(decision.commitments.all()) == [commitment]

    assert client.post(f"{url}/hold/").status_code == 302
    first.refresh_from_db()
    assert first.is_held and first.snapshot.rows.count() == 3

    bad = client.post(
        f"{url}/progress/", {"change-activity": activity_of(plan, 2).pk, "change-progress": 160}
    )
    assert bad.status_code == 400
    response = client.post(
        f"{url}/progress/",
        {
            "change-activity": activity_of(plan, 2).pk,
            "change-progress": 60,
            "change-narrative": "Vu le progrès réalisé",
        },
    )
    assert response.status_code == 302
    assert activity_of(plan, 2).progress == 60
    page = client.get(first.get_absolute_url()).content.decode()
    assert "50&nbsp;% → 60&nbsp;%" in page


def test_unpublished_meetings_are_not_public(client: Client, secretariat, steering, plan):
    first = meeting(steering, plan)
    services.meeting_hold(meeting=first, user=None)
    assert Client().get(first.get_absolute_url()).status_code == 404
    assert Client().get("/api/v1/meetings/").json()["count"] == 0
    services.minutes_publish(meeting=first, user=secretariat)
    public = Client().get(first.get_absolute_url())
    assert public.status_code == 200
    assert "Sarah" in public.content.decode()
    data = Client().get("/api/v1/meetings/").json()
    assert data["count"] == 1
    result = data["results"][0]
    assert result["progress_table"]["frozen"] is True
    assert [row["commitment"] for row in result["progress_table"]["rows"]] == [1, 2, 3]
    assert {row["name"] for row in result["attendance"]} == {"Sarah", "Aïmane"}
    assert Client().get("/api/v1/meetings/?plan=PAN-T&committee=steering").json()["count"] == 1
    assert Client().get("/api/v1/meetings/?committee=nope").status_code == 400


def test_the_plan_page_shows_the_two_meetings_rule_and_the_frozen_points(
    client: Client, secretariat, steering, plan
):
    first = meeting(steering, plan)
    services.meeting_hold(meeting=first, user=None)
    services.minutes_publish(meeting=first, user=secretariat)
    page = client.get(f"/fr/plans/{plan.code}/").content.decode()
    assert 'data-year="2023" data-met="no"' in page
    assert "meeting-marker" in page
    assert Decimal(first.snapshot.global_progress).quantize(Decimal(1)) == 72


def test_the_dashboard_lists_the_meetings_each_reader_may_see_and_counts_them_all(
    client: Client, secretariat, steering, plan
):
    """One query reads the plan's meetings: the public's list keeps the published ones, the
    secretariat's all, and OGP's rule counts every meeting held whoever reads."""
    published = meeting(steering, plan, when=timezone.make_aware(datetime.datetime(2022, 3, 1)))
    services.meeting_hold(meeting=published, user=None)
    services.minutes_publish(meeting=published, user=secretariat)
    unpublished = meeting(steering, plan, when=timezone.make_aware(datetime.datetime(2022, 10, 1)))
    services.meeting_hold(meeting=unpublished, user=None)
    client.force_login(secretariat)
    pages = {
        "public": Client().get(f"/en/plans/{plan.code}/").content.decode(),
        "secretariat": client.get(f"/en/plans/{plan.code}/").content.decode(),
    }
    for page in pages.values():
        assert published.get_absolute_url() in page
        assert 'data-year="2022" data-met="yes"' in page  # both meetings count
    assert unpublished.get_absolute_url() in pages["secretariat"]
    assert unpublished.get_absolute_url() not in pages["public"]


def test_the_committees_page_shows_members_and_parity(client: Client, steering, plan):
    page = client.get("/en/committees/").content.decode()
    assert "Sarah" in page and "Aïmane" in page and "Parti" not in page  # ended seat
    assert "Seats today: 1 government" in page and "1 civil society" in page
    assert "Parity between government and civil society." in page


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("//evil.example/steal", "meeting"),
        ("https://evil.example/", "meeting"),
        ("/fr/meetings/", "/fr/meetings/"),
        ("", "meeting"),
    ],
)
def test_a_decision_status_goes_back_only_to_this_site(
    client: Client, secretariat, steering, plan, next_url, lands_on
):
    decision = services.decision_add(meeting=meeting(steering, plan), text="Relancer")
    client.force_login(secretariat)
    response = client.post(
        f"/fr/secretariat/meetings/decisions/{decision.pk}/status/",
        {"status": Decision.Status.DONE, "note": "", "next": next_url},
    )
    assert response.status_code == 302
    expected = (
        f"/fr/meetings/{decision.meeting_id}/#decisions" if lands_on == "meeting" else lands_on
    )
    assert response["Location"] == expected


def test_the_secretariat_reading_a_meeting_page_writes_nothing(
    client: Client, secretariat, steering, plan
):
    first = meeting(steering, plan)
    second = meeting(steering, plan, when=PAST + datetime.timedelta(days=90))
    services.decision_add(meeting=first, text="Atelier de deux jours")  # after the next is planned
    client.force_login(secretariat)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(second.get_absolute_url()).status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    # The open decision is on the next agenda already: it was put there when it was taken.
    assert second.agenda_items.filter(kind="follow_up").count() == 1
