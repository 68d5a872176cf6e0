"""The demo holds both seed meetings as their minutes (relevé des conclusions) record them."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from commitments.models import Activity, Commitment, ProgressUpdate
from commitments.progress import mean_progress
from meetings.models import Attendance, Meeting, ProgressSnapshot, Timeline
from tests.commitments.test_demo import RATES_2020, RATES_2023

pytestmark = pytest.mark.django_db

# The rates of both minutes, as tests/commitments/test_demo.py transcribes them.
LEGAL_FRAMEWORK = (
    "Mise en place d'un cadre juridique approprié pour la promotion de l'ouverture des "
    "données publiques"
)


def steering_meeting() -> Meeting:
    return Meeting.objects.get(committee__kind="steering", plan__code="PAN-2021-2023")


def implementation_meeting() -> Meeting:
    return Meeting.objects.get(committee__kind="implementation", plan__code="PAN-2018-2020")


def local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment).replace(tzinfo=None)


# Steering committee, 28 March 2023 ---------------------------------------------------------------


def test_steering_meeting_date_place_mode_and_opening(demo):
    meeting = steering_meeting()
    assert local(meeting.starts_at) == datetime.datetime(2023, 3, 28, 13, 0)
    assert meeting.mode == Meeting.Mode.HYBRID
    assert meeting.status == Meeting.Status.HELD
    assert meeting.place_fr == "Ministère de Transition Numérique et de Réforme de l'Administration"
    assert meeting.place_ar and meeting.place_en
    assert meeting.opening_fr.startswith(
        "La secrétaire générale du ministère de la transition numérique et de la réforme de "
        "l'administration a souhaité la bienvenue aux membres du comité"
    )
    assert meeting.opening_fr.endswith("pour la période 2021-2023 dans les délais impartis.")
    assert "Ramadan" in meeting.opening_en and "رمضان" in meeting.opening_ar


def test_steering_attendance_20_participants_6_remote_4_absent(demo):
    attendances = list(steering_meeting().attendances.select_related("institution"))
    assert len(attendances) == 24
    attended = [a for a in attendances if a.attended]
    assert len(attended) == 20
    remote = [a.name for a in attendances if a.status == Attendance.Status.REMOTE]
    assert remote == [
        "Yassir CHOKAIRI",
        "Abdelaziz JANATI",
        "Abdelmalek ASRIH",
        "Ahmed ANNJAR",
        "Rezzouki ELMILOUD",
        "Said CHAKRI",
    ]
    # In the order of the minutes: participants, then absentees.
    assert [a.position for a in attendances] == list(range(1, 25))
    assert (attendances[0].civility, attendances[0].name) == ("Mme.", "Sarah LAMRANI")
    assert attendances[2].capacity_fr == "Experte dans le domaine du gouvernement ouvert"
    assert attendances[2].capacity_en == "Expert in the field of open government"
    assert attendances[19].name == "Houdna BENNANI"
    absent = [
        (a.civility, a.name, a.institution.code)
        for a in attendances
        if a.status == Attendance.Status.ABSENT
    ]
    # Représentante, Représentant, Représentant, Représentante.
    assert absent == [
        ("Mme.", "", "DGCT"),
        ("M.", "", "MENPS"),
        ("M.", "", "MSPS"),
        ("Mme.", "", "AFBDT"),
    ]


def test_steering_agenda_and_discussion_notes(demo):
    items = list(steering_meeting().agenda_items.all())
    assert [item.title_fr for item in items] == [
        "État d'avancement de la mise en œuvre des engagements du plan d'action national pour "
        "la période 2021-2023",
        "Rapport d'auto-évaluation pour le plan d'action national pour un gouvernement ouvert",
        "Méthodologie de co-création du troisième plan d'action national",
        "Gouvernance du comité de pilotage (suite à la proposition du représentant de "
        "l'Alliance Marocaine pour le Climat et le Développement Durable)",
    ]
    assert [item.kind for item in items] == ["progress", "general", "general", "general"]
    assert all(item.title_ar and item.title_en for item in items)
    assert items[1].notes_fr.startswith("Il a été convenu des étapes à suivre pour préparer")
    methodology = items[2].notes_fr
    for bullet in (
        "- Les axes du nouveau plan d'action",
        "- La méthodologie d'organisation et d'animation des ateliers de co-crédation",
        "- Le nombre et le contenu des nouveaux engagements et comment se concentrer sur le "
        "degré d'impact",
    ):
        assert bullet in methodology
    assert "Rappel du rôle du manuel du Comité de Pilotage" in items[3].notes_fr
    assert "participation aux événements et manifestations" in items[3].notes_fr
    assert all(item.notes_ar and item.notes_en for item in items[1:])


def test_steering_timelines_of_the_report_and_of_the_third_plan(demo):
    items = list(steering_meeting().agenda_items.all())
    report, co_creation = items[1].timeline, items[2].timeline
    assert report.kind == Timeline.Kind.REPORT and report.plan.code == "PAN-2021-2023"
    steps = list(report.steps.all())
    assert len(steps) == 6
    assert (steps[0].title_fr, steps[0].starts_on, steps[0].ends_on) == (
        "Mise à jour de la plateforme de suivi",
        datetime.date(2023, 4, 1),
        datetime.date(2023, 5, 31),
    )
    assert steps[-1].title_fr.startswith("Validation et publication du rapport final")
    assert (steps[-1].starts_on, steps[-1].ends_on) == (
        datetime.date(2023, 7, 1),
        datetime.date(2023, 7, 31),
    )
    assert co_creation.kind == Timeline.Kind.CO_CREATION
    steps = list(co_creation.steps.all())
    assert len(steps) == 5
    assert steps[1].title_fr == "Collecte des idées et des propositions"
    assert (steps[1].starts_on, steps[1].ends_on) == (
        datetime.date(2023, 5, 1),
        datetime.date(2023, 9, 30),
    )
    assert steps[-1].title_fr == "Validation et adoption du plan d'action national"
    for timeline in (report, co_creation):
        assert {step.status for step in timeline.steps.all()} == {"planned"}
        assert {step.precision for step in timeline.steps.all()} == {"month"}
    assert items[0].timeline is None and items[3].timeline is None


def test_steering_decision(demo):
    decision = steering_meeting().decisions.get()
    assert decision.text_fr.startswith("Organisation d'un atelier de deux jours, au cours duquel")
    assert decision.text_fr.endswith(
        "nouvelle méthodologie de co-crédation de ce troisième plan d'action."
    )
    assert decision.text_ar and decision.text_en
    assert decision.owner.code == "MTNRA"
    assert decision.due_date is None
    assert decision.status == "open"


def test_steering_snapshot_has_the_rates_activities_and_remarks_of_the_minutes(demo):
    snapshot = steering_meeting().snapshot
    rows = {row.commitment.number: row for row in snapshot.rows.select_related("commitment")}
    assert {number: row.progress for number, row in rows.items()} == {
        number: Decimal(rate) for number, rate in RATES_2023.items()
    }
    assert (rows[1].progress, rows[3].progress, rows[10].progress, rows[21].progress) == (
        65,
        47,
        62,
        93,
    )
    for number in (6, 7, 8, 22):
        assert rows[number].progress == 100 and not rows[number].activities.exists()
    assert snapshot.global_progress == mean_progress(RATES_2023.values()) == Decimal("74.64")

    frozen = {a.activity.title_fr: a.progress for a in rows[10].activities.all()}
    assert frozen[LEGAL_FRAMEWORK] == 20
    assert len(frozen) == 5
    assert [a.progress for a in rows[3].activities.all()] == [90, 0, 90, 0]
    assert rows[16].activities.count() == 9

    assert rows[1].remark_fr == "Blocage au niveau de la conception du mécanisme de consultation"
    assert rows[1].remark_ar and rows[1].remark_en
    assert rows[10].remark_fr.startswith("Il a été suggéré de changer le taux de réalisation")
    assert rows[9].no_progress and not rows[15].no_progress


def test_the_change_decided_in_the_meeting_moves_the_live_figure_not_the_snapshot(demo):
    meeting = steering_meeting()
    activity = Activity.objects.get(
        commitment__plan__code="PAN-2021-2023", commitment__number=10, title_fr=LEGAL_FRAMEWORK
    )
    assert activity.progress == 60
    update = activity.updates.get(source_reference=f"meeting:{meeting.pk}")
    assert update.source == ProgressUpdate.Source.MEETING
    assert (update.old_progress, update.new_progress) == (20, 60)
    assert update.state == ProgressUpdate.State.VALIDATED
    assert timezone.localdate(update.created_at) == datetime.date(2023, 3, 28)
    assert update.created_at > meeting.snapshot.taken_at
    assert update.author.username == "secretariat"
    assert activity.updates.latest("created_at") == update

    commitment = Commitment.objects.with_progress_data().get(plan__code="PAN-2021-2023", number=10)
    assert commitment.progress > 62
    row = meeting.snapshot.rows.get(commitment__number=10)
    assert row.progress == 62
    assert row.activities.get(activity=activity).progress == 20


def test_steering_record_keeps_the_texts_of_the_minutes(demo):
    """Frozen with the table, in every language: the titles, the unfinished activities, and
    the organisations as the minutes write them."""
    meeting = steering_meeting()
    rows = {row.number: row for row in meeting.snapshot.rows.all()}
    assert rows[1].title_fr == "Renforcement de la transparence budgétaire"
    assert rows[18].title_fr.endswith("accordées aux organisations de la société civile")
    assert all(row.title_ar and row.title_en for row in rows.values())
    unfinished = list(rows[1].activities.all())
    assert [a.title_fr[:30] for a in unfinished] == [
        "Concevoir un mécanisme de cons",
        "Mettre en place un mécanisme d",
    ]
    assert all(a.title_ar and a.title_en for a in unfinished)
    errikh = meeting.attendances.get(name="Yassine ERRIKH")
    assert errikh.organisation_fr == "Association Moltaka B'ladi pour la citoyenneté-AMBC"
    assert errikh.institution.name_fr == "Association Moltaka B'ladi pour la citoyenneté"
    items = list(meeting.agenda_items.all())
    assert [step.title_fr for step in items[1].recorded_steps.all()] == [
        step.title_fr for step in items[1].timeline.steps.all()
    ]
    decision = meeting.decisions.get()
    assert decision.in_minutes and decision.status_at_meeting == "open"
    assert decision.owner_name == ""  # the minutes name no owner; MTNRA is the follow-up's


# Implementation committee, 21 December 2020 ------------------------------------------------------


def test_implementation_meeting_with_its_13_focal_points(demo):
    meeting = implementation_meeting()
    assert local(meeting.starts_at) == datetime.datetime(2020, 12, 21, 14, 30)
    assert meeting.mode == Meeting.Mode.REMOTE
    assert meeting.place_fr == "Réunion à distance via vidéo-conférence"
    assert meeting.status == Meeting.Status.HELD
    attendances = list(meeting.attendances.select_related("member"))
    assert len(attendances) == 13
    assert {a.status for a in attendances} == {Attendance.Status.PRESENT}
    assert (attendances[0].civility, attendances[0].name, attendances[0].capacity_fr) == (
        "M.",
        "Hatim Mouradi",
        "point focal engagements 1, 2 et 8",
    )
    assert attendances[-1].name == "Hanane BOUAMAMA"
    alternates = [a.name for a in attendances if a.member.seat == "alternate"]
    assert alternates == ["Hajar HADI", "Hanane BOUAMAMA"]
    assert attendances[7].capacity_fr == "suppléante point focal engagement 10"


def test_implementation_agenda_notes_and_co_creation_timeline(demo):
    items = list(implementation_meeting().agenda_items.all())
    assert [item.title_fr for item in items] == [
        "Etat d'avancement des engagements 2018-2020",
        "Rapport d'auto-évaluation 2018-2020",
        "Processus de cocréation du PAN 2021-2022",
    ]
    assert items[0].kind == "progress"
    assert "Avancement global du Plan d'action national : 84%" in items[0].notes_fr
    assert "La date limite pour remplir les fiches est le vendredi 25/12/2020." in items[1].notes_fr
    co_creation = items[2].notes_fr
    for fact in ("804 participants", "10 événements de cocréation", "232 propositions"):
        assert fact in co_creation
    assert "Date limite de réponse 25/12/2020." in co_creation

    timeline = items[2].timeline
    assert timeline.kind == Timeline.Kind.CO_CREATION
    steps = list(timeline.steps.all())
    assert [(step.title_fr, step.status) for step in steps] == [
        ("Collecte des idées et propositions", "done"),
        ("Analyse des propositions", "in_progress"),
        ("Rédaction des fiches des projets d'engagements", "in_progress"),
    ]
    assert steps[2].ends_on == datetime.date(2020, 12, 25)
    assert "804 participants" in steps[0].note_fr


def test_implementation_decisions_have_the_25_december_deadline(demo):
    sheets, commitment_sheets = implementation_meeting().decisions.all()
    assert sheets.due_date == commitment_sheets.due_date == datetime.date(2020, 12, 25)
    assert "fiches d'auto-évaluation" in sheets.text_fr and sheets.owner_detail
    assert sheets.status == "open"
    assert commitment_sheets.status == "done" and commitment_sheets.status_note_fr


def test_implementation_snapshot_keeps_the_minutes_84_percent(demo):
    snapshot = implementation_meeting().snapshot
    assert snapshot.global_progress == 84
    assert mean_progress(RATES_2020.values()) == Decimal("83.28")
    assert "84 %" in snapshot.note_fr and "83,3 %" in snapshot.note_fr
    assert "84\u00a0%" in snapshot.note_en and "83.3\u00a0%" in snapshot.note_en
    rows = {row.commitment.number: row for row in snapshot.rows.select_related("commitment")}
    assert {number: row.progress for number, row in rows.items()} == {
        number: Decimal(rate) for number, rate in RATES_2020.items()
    }
    assert {number for number, row in rows.items() if row.is_complete} == {1, 2, 5, 8, 9, 12, 16}
    assert rows[14].progress == 26
    assert rows[14].remark_fr == "Pas d'avancement depuis la dernière réunion."
    assert rows[14].remark_en and rows[14].remark_ar
    assert rows[14].no_progress
    assert rows[7].remark_fr.startswith("L'instance a procédé à une refonte du projet")
    assert not any(row.activities.exists() for row in rows.values())


def test_implementation_record_says_what_its_minutes_say(demo):
    """The minutes name the focal points by their capacity, the commitments by number, give no
    calendar and list no decisions ("Points retenus"): neither does the record."""
    meeting = implementation_meeting()
    attendances = list(meeting.attendances.select_related("institution"))
    assert all(a.institution is not None for a in attendances)  # the seats keep them
    assert {a.organisation for a in attendances} == {""}
    assert {row.title for row in meeting.snapshot.rows.all()} == {""}
    co_creation = meeting.agenda_items.get(position=3)
    assert co_creation.timeline is not None and not co_creation.recorded_steps.exists()
    sheets, commitment_sheets = meeting.decisions.all()
    assert not sheets.in_minutes and not commitment_sheets.in_minutes
    assert commitment_sheets.status == "done" and commitment_sheets.status_at_meeting == "open"
    assert commitment_sheets.status_note_at_meeting == ""


# Both ----------------------------------------------------------------------------------------


def test_both_minutes_are_published_on_the_meeting_day(demo):
    meetings = Meeting.objects.with_published_minutes()
    assert meetings.count() == 2
    for meeting in meetings:
        assert timezone.localdate(meeting.minutes_published_at) == meeting.date
        assert meeting.held_at is not None


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_loading_the_demo_again_writes_nothing(demo, settings, capsys):
    settings.DEBUG = True  # as the first load (tests/conftest.py): with the demo users
    before = row_counts()
    assert before["meetings.HistoricalMeeting"] == 2
    snapshots = list(ProgressSnapshot.objects.values_list("pk", "global_progress", "note"))
    updates = list(ProgressUpdate.objects.order_by("pk").values_list("pk", "new_progress"))
    call_command("load_demo")
    assert "nothing changed" in capsys.readouterr().out
    assert row_counts() == before
    assert list(ProgressSnapshot.objects.values_list("pk", "global_progress", "note")) == snapshots
    assert list(ProgressUpdate.objects.order_by("pk").values_list("pk", "new_progress")) == updates
