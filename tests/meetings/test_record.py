"""The record of a held meeting stays true: its page and its minutes keep the texts and the
statuses they had at the meeting, whatever is renamed or followed up later; the later follow-up
is in the later meeting's minutes; a correction is a new, dated, visible fact."""

import datetime
import html
import importlib
import io
import re

import pytest
from django.apps import apps
from django.test import Client
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from commitments.models import Activity, Commitment
from commitments.services import progress_update_record
from documents.pdf import render_pdf
from meetings import contexts, services
from meetings.models import (
    AgendaItem,
    Attendance,
    Committee,
    CommitteeMember,
    Decision,
    Meeting,
    SnapshotRow,
)
from tests.factories import ActivityFactory, CommitmentFactory, InstitutionFactory, PlanFactory
from tests.meetings.factories import TimelineStepFactory
from tests.meetings.seed_minutes import joined

pytestmark = pytest.mark.django_db

PAST = timezone.make_aware(datetime.datetime(2023, 3, 28, 13, 0))
LATER = PAST + datetime.timedelta(days=60)
RENAMED = "renommé après la réunion"


def record_of(page: str) -> str:
    """The minutes as the meeting page shows them, without the secretariat's tools."""
    start = page.index('<article id="record"')
    return page[start : page.index("</article>", start)]


def page_text(client: Client, meeting: Meeting, lang: str = "fr") -> str:
    response = client.get(f"/{lang}/meetings/{meeting.pk}/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


# A renamed commitment or activity (the demo's 28 March 2023) ----------------------------------


def test_renaming_an_activity_and_a_commitment_leaves_the_2023_meeting_as_it_was(demo):
    meeting = Meeting.objects.get(committee__kind="steering")
    activity = Activity.objects.get(
        commitment__plan__code="PAN-2021-2023",
        commitment__number=1,
        title_fr__startswith="Concevoir un mécanisme de consultation",
    )
    commitment = activity.commitment
    before = {
        "fr": (commitment.title_fr, activity.title_fr),
        "en": (commitment.title_en, activity.title_en),
    }
    # As the admin or the spreadsheet import saves them.
    for lang in ("fr", "en", "ar"):
        setattr(activity, f"title_{lang}", f"Activité {RENAMED} ({lang})")
        setattr(commitment, f"title_{lang}", f"Engagement {RENAMED} ({lang})")
    activity.save()
    commitment.save()

    anonymous = Client()
    for lang, titles in before.items():
        page = page_text(anonymous, meeting, lang)
        assert RENAMED not in page
        assert all(title in page for title in titles), lang
    with translation.override("fr"):
        pdf = render_pdf(
            "meetings/minutes_pdf.html",
            {"minutes": contexts.build_minutes_context(meeting, "fr")},
        )
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = joined([line for page in pages for line in page.extract_text().splitlines()])
    assert RENAMED not in text
    assert all(title in text for title in before["fr"])

    api = anonymous.get(f"/api/v1/meetings/{meeting.pk}/").json()
    row = api["progress_table"]["rows"][0]
    assert RENAMED not in str(row)
    assert row["title"] in (before["fr"][0], before["en"][0])


# Decisions, followed up at a later meeting ------------------------------------------------------


@pytest.fixture
def plan():
    plan = PlanFactory(code="PAN-R", start_date=datetime.date(2021, 9, 1))
    commitment = CommitmentFactory(plan=plan, number=1, title_fr="Transparence budgétaire")
    for position, progress in enumerate((100, 30), start=1):
        activity = ActivityFactory(
            commitment=commitment, position=position, title_fr=f"Activité {position}"
        )
        progress_update_record(activity=activity, author=None, new_progress=progress, source="web")
    return plan


@pytest.fixture
def steering():
    committee = Committee.objects.create(kind="steering", name_fr="Comité de pilotage")
    ministry = InstitutionFactory(code="MIN", name_fr="Ministère de la Réforme")
    CommitteeMember.objects.create(
        committee=committee,
        civility="Mme.",
        name="Sarah LAMRANI",
        institution=ministry,
        start_date=datetime.date(2021, 1, 1),
    )
    CommitteeMember.objects.create(
        committee=committee,
        civility="Mme.",
        name="Hajar HADI",
        institution=ministry,
        seat=CommitteeMember.Seat.ALTERNATE,
        start_date=datetime.date(2021, 1, 1),
    )
    return committee


def meeting(steering, plan, when=PAST) -> Meeting:
    return services.meeting_create(
        committee=steering, plan=plan, starts_at=when, mode="in_person", place="Rabat"
    )


@pytest.fixture
def request_minutes(django_capture_on_commit_callbacks, fake_pdf):
    def request_minutes(meeting, language):
        with django_capture_on_commit_callbacks(execute=True):
            version, _created = services.minutes_generation_request(
                meeting=meeting, language=language, user=None
            )
        version.refresh_from_db()
        return version, fake_pdf.html[-1]

    return request_minutes


def test_a_decision_followed_up_later_keeps_its_status_in_its_own_minutes(
    steering, plan, request_minutes, secretariat
):
    first = meeting(steering, plan)
    decision = services.decision_add(meeting=first, text="Organiser un atelier de deux jours")
    services.meeting_hold(meeting=first, user=None)
    second = meeting(steering, plan, when=LATER)
    first_version, _html = request_minutes(first, "fr")
    reader = Client()
    reader.force_login(secretariat)
    first_record = record_of(page_text(reader, first))

    services.decision_status_set(
        decision=decision, status=Decision.Status.DONE, note="Atelier tenu le 10 mai 2023"
    )
    again, again_html = request_minutes(first, "fr")
    assert again.data_hash == first_version.data_hash and again.same_data_as == first_version
    assert "Atelier tenu le 10 mai 2023" not in again_html
    assert record_of(page_text(reader, first)) == first_record

    # The follow-up is on the later meeting's agenda, and in its minutes once it is held.
    follow_up = second.agenda_items.get(kind=AgendaItem.Kind.FOLLOW_UP)
    assert follow_up.decision == decision
    services.meeting_hold(meeting=second, user=None)
    with translation.override("fr"):
        done = str(Decision.Status.DONE.label)
    _version, second_html = request_minutes(second, "fr")
    assert "Atelier tenu le 10 mai 2023" in second_html and done in second_html
    second_record = record_of(page_text(reader, second))
    assert "Atelier tenu le 10 mai 2023" in second_record

    # Reopened after the second meeting: neither meeting's minutes change.
    services.decision_status_set(
        decision=decision, status=Decision.Status.IN_PROGRESS, note="Un second atelier"
    )
    _version, second_again = request_minutes(second, "fr")
    assert "Atelier tenu le 10 mai 2023" in second_again and "Un second atelier" not in second_again
    assert record_of(page_text(reader, second)) == second_record
    assert request_minutes(first, "fr")[0].data_hash == first_version.data_hash


def test_a_decision_status_is_written_only_when_it_says_more_than_taken(steering, plan):
    held = meeting(steering, plan)
    services.decision_add(meeting=held, text="Organiser un atelier de deux jours")
    services.meeting_hold(meeting=held, user=None)
    with translation.override("fr"):
        minutes = contexts.build_minutes_context(held, "fr")
    (line,) = minutes.decisions
    assert line.text == "Organiser un atelier de deux jours"
    assert line.status == ""  # taken at the meeting: open, which the minutes need not say


# What the portal copied when the meeting was held -------------------------------------------------


def test_holding_a_meeting_copies_the_texts_it_shows(steering, plan):
    held = meeting(steering, plan)
    held.agenda_items.create(kind=AgendaItem.Kind.PROGRESS, title_fr="État d'avancement")
    step = TimelineStepFactory(title_fr="Mise à jour de la plateforme de suivi")
    item = held.agenda_items.create(title_fr="Rapport d'auto-évaluation", timeline=step.timeline)
    services.meeting_hold(meeting=held, user=None)
    services.minutes_publish(meeting=held, user=None)

    Commitment.objects.filter(plan=plan).update(title_fr=f"Engagement {RENAMED}")
    Activity.objects.filter(commitment__plan=plan).update(title_fr=f"Activité {RENAMED}")
    ministry = held.attendances.first().institution
    ministry.name_fr = f"Ministère {RENAMED}"
    ministry.save()
    step.title_fr, step.starts_on = f"Étape {RENAMED}", datetime.date(2024, 1, 1)
    step.save()

    with translation.override("fr"):
        minutes = contexts.build_minutes_context(held, "fr")
    assert RENAMED not in str(minutes)
    (row,) = [point.progress for point in minutes.points if point.progress][0].rows
    assert (row.number, row.title) == (1, "Transparence budgétaire")
    assert [a.title for a in row.unfinished] == ["Activité 2"]
    assert minutes.participants[0].organisation == "Ministère de la Réforme"
    (point,) = [p for p in minutes.points if p.title == item.title_fr]
    assert [s.title for s in point.timeline] == ["Mise à jour de la plateforme de suivi"]
    assert "2024" not in point.timeline[0].period
    assert RENAMED not in page_text(Client(), held)


def test_a_woman_alternate_is_written_suppleante(steering, plan):
    held = meeting(steering, plan)
    services.meeting_hold(meeting=held, user=None)
    services.minutes_publish(meeting=held, user=None)
    with translation.override("fr"):
        minutes = contexts.build_minutes_context(held, "fr")
        page = page_text(Client(), held)
    hadi = [p for p in minutes.participants if p.name == "Hajar HADI"][0]
    assert hadi.line == "Mme. Hajar HADI, Ministère de la Réforme, suppléante"
    assert "Mme. Hajar HADI, Ministère de la Réforme, suppléante" in page


@pytest.mark.parametrize(
    ("civility", "organisation", "written"),
    [
        ("Mme.", "Direction Générale des Collectivités Territoriales", "Représentante de la "),
        ("M.", "Ministère de la Santé et de la Protection Sociale", "Représentant du "),
        ("Mme.", "Association Femme Bladi", "Représentante de l'"),
        ("M.", "Haut-Commissariat au Plan", "Représentant du "),
        ("M.", "Transparency Maroc", "Représentant, "),  # no article known: as a list
    ],
)
def test_an_unnamed_representative_is_written_as_french_minutes_write_it(
    civility, organisation, written
):
    with translation.override("fr"):
        person = contexts.Person(
            civility=civility,
            name="",
            organisation=organisation,
            status=Attendance.Status.ABSENT,
            represented_by="",
        )
        assert person.line == f"{written}{organisation}"


# Corrections ----------------------------------------------------------------------------------


def test_a_correction_is_a_dated_visible_fact(client, secretariat, steering, plan, request_minutes):
    held = meeting(steering, plan)
    services.meeting_hold(meeting=held, user=None)
    services.minutes_publish(meeting=held, user=None)
    url = f"/fr/secretariat/meetings/{held.pk}/corrections/"
    client.force_login(secretariat)
    response = client.post(url, {"correction-text": " "})
    assert response.status_code == 400
    assert not held.corrections.exists()

    text = "Mme. Hajar HADI a participé à distance."
    response = client.post(url, {"correction-text": text})
    assert response.status_code == 302
    correction = held.corrections.get()
    assert (correction.author, correction.made_on) == (secretariat, timezone.localdate())
    with translation.override("fr"):
        day = formats.date_format(timezone.localdate(), "DATE_FORMAT")
        shown = gettext("Correction of %(date)s:") % {"date": day}
    record = re.sub(r"<[^>]+>", " ", record_of(page_text(Client(), held)))
    assert f"{shown} {text}" in re.sub(r"[ \t\r\n]+", " ", record)  # keeps the no-break space
    _version, minutes = request_minutes(held, "fr")
    assert shown in html.unescape(minutes) and text in html.unescape(minutes)


def test_a_planned_meeting_is_corrected_by_editing_it(client, secretariat, steering, plan):
    planned = meeting(steering, plan)
    client.force_login(secretariat)
    response = client.post(
        f"/en/secretariat/meetings/{planned.pk}/corrections/", {"correction-text": "Oups"}
    )
    assert response.status_code == 400
    assert "held" in response.content.decode()
    assert not planned.corrections.exists()


# Snapshots frozen before the texts were kept ----------------------------------------------------


def test_the_migration_fills_the_texts_of_existing_snapshots_as_they_stood(steering, plan):
    held = meeting(steering, plan)
    services.meeting_hold(meeting=held, user=None)
    commitment = Commitment.objects.get(plan=plan)
    commitment.title_fr = f"Engagement {RENAMED}"
    commitment.save()  # after the meeting: its history knows the title before
    SnapshotRow.objects.filter(snapshot__meeting=held).update(title="", title_fr="", number=0)
    held.decisions.update(status_at_meeting="")

    migration = importlib.import_module("meetings.migrations.0003_the_record")
    migration.fill_the_record(apps, None)
    row = SnapshotRow.objects.get(snapshot__meeting=held)
    assert (row.number, row.title_fr) == (1, "Transparence budgétaire")
    assert row.activities.get().title_fr == "Activité 2"
