"""The minutes (relevé des conclusions) of a held meeting: a PDF made by a Celery task, in
French, Arabic and English, that says what the meeting recorded.

The PDF is laid out for real (WeasyPrint) where what it says is the point; the tests of the task
around it use the ``fake_pdf`` layout."""

import datetime
import io
import re
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

import documents.pdf
from commitments.services import progress_update_record
from documents.models import lease
from meetings import services
from meetings.generation import MINUTES
from meetings.models import AgendaItem, Attendance, Meeting, MinutesVersion, TimelineStep
from meetings.tables import progress_table
from meetings.tasks import generate_minutes_version, recover_minutes_versions
from ogp_portal.celery import app as celery_app
from tests.factories import (
    ActivityFactory,
    CommitmentFactory,
    InstitutionFactory,
    PlanFactory,
    UserFactory,
)
from tests.meetings.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    CommitteeFactory,
    DecisionFactory,
    MeetingFactory,
    MinutesVersionFactory,
    TimelineStepFactory,
)

pytestmark = pytest.mark.django_db

MARCH_28 = timezone.make_aware(datetime.datetime(2023, 3, 28, 13, 0))
DECEMBER_15 = timezone.make_aware(datetime.datetime(2022, 12, 15, 10, 0))


def activity(commitment, position, progress, **titles):
    made = ActivityFactory(commitment=commitment, position=position, **titles)
    progress_update_record(activity=made, author=None, new_progress=progress, source="import")
    return made


@pytest.fixture
def plan():
    """Commitment 1 at 43 % (one activity at 30 %, one not started), commitment 2 complete."""
    plan = PlanFactory(code="PAN-M")
    budget = CommitmentFactory(
        plan=plan,
        number=1,
        title_fr="Transparence budgétaire",
        title_ar="شفافية الميزانية",
        title_en="Budget transparency",
    )
    activity(budget, 1, 100)
    activity(
        budget,
        2,
        30,
        title_fr="Concevoir un mécanisme de consultation",
        title_ar="تصميم آلية للتشاور",
        title_en="Design a consultation mechanism",
    )
    activity(budget, 3, 0, title_fr="Mettre en place le mécanisme")
    health = CommitmentFactory(plan=plan, number=2, title_fr="Gouvernance médicale")
    activity(health, 1, 100)
    return plan


@pytest.fixture
def steering():
    return CommitteeFactory(
        name_fr="Comité de pilotage du gouvernement ouvert",
        name_ar="لجنة القيادة للحكومة المنفتحة",
        name_en="Open government steering committee",
    )


@pytest.fixture
def meeting(plan, steering, secretariat):
    """A hybrid meeting held on 28 March 2023 after one in December 2022 whose decision it
    follows up; nothing moved in between, so commitment 1 is flagged."""
    ministry = InstitutionFactory(
        name_fr="Ministère de la Transition Numérique", name_ar="وزارة الانتقال الرقمي"
    )
    earlier = MeetingFactory(committee=steering, plan=plan, starts_at=DECEMBER_15)
    DecisionFactory(meeting=earlier, text_fr="Relancer les points focaux", owner=ministry)
    services.meeting_hold(meeting=earlier, user=secretariat)

    meeting = MeetingFactory(
        committee=steering,
        plan=plan,
        starts_at=MARCH_28,
        mode=Meeting.Mode.HYBRID,
        place_fr="Rabat",
        opening_fr="La secrétaire générale a souhaité la bienvenue aux membres.",
        opening_ar="رحبت الكاتبة العامة بالأعضاء.",
    )
    AttendanceFactory(meeting=meeting, civility="Mme.", name="Sarah LAMRANI", institution=ministry)
    AttendanceFactory(
        meeting=meeting,
        name="Yassir CHOKAIRI",
        institution__name_fr="Instance de la Probité",
        status=Attendance.Status.REMOTE,
    )
    AttendanceFactory(
        meeting=meeting,
        civility="Mme.",
        name="Asmae REGURAGUI",
        institution__name_fr="Ministère de la Justice",
        status=Attendance.Status.REPRESENTED,
        represented_by="Karim BENNIS",
    )
    AttendanceFactory(
        meeting=meeting,
        civility="",
        name="",
        institution__name_fr="Direction des Collectivités",
        status=Attendance.Status.ABSENT,
    )
    AttendanceFactory(
        meeting=meeting,
        name="Rachid ELAOUI",
        institution__name_fr="Ministère de la Solidarité",
        status=Attendance.Status.EXCUSED,
    )
    AgendaItemFactory(
        meeting=meeting,
        kind=AgendaItem.Kind.PROGRESS,
        title_fr="État d'avancement des engagements",
        title_ar="حالة تقدم الالتزامات",
        title_en="Progress of the commitments",
    )
    report = AgendaItemFactory(
        meeting=meeting,
        title_fr="Rapport d'auto-évaluation",
        title_en="Self-assessment report",
        notes_fr="Il a été convenu des étapes à suivre.",
    )
    step = TimelineStepFactory(
        title_fr="Mise à jour de la plateforme de suivi",
        title_ar="تحيين منصة التتبع",
        title_en="Update of the monitoring platform",
        starts_on=datetime.date(2023, 4, 1),
        ends_on=datetime.date(2023, 5, 31),
    )
    TimelineStepFactory(
        timeline=step.timeline,
        title_fr="Consultation publique",
        starts_on=datetime.date(2023, 6, 15),
        ends_on=datetime.date(2023, 6, 30),
        precision=TimelineStep.Precision.DAY,
    )
    report.timeline = step.timeline
    report.save()
    decision = DecisionFactory(
        meeting=meeting,
        text_fr="Organisation d'un atelier de deux jours",
        text_ar="تنظيم ورشة عمل لمدة يومين",
        text_en="A two-day workshop",
        owner=ministry,
        due_date=datetime.date(2023, 5, 31),
    )
    decision.commitments.set(plan.commitments.filter(number=1))
    return services.meeting_hold(meeting=meeting, user=secretariat)


@pytest.fixture
def request_minutes(django_capture_on_commit_callbacks):
    """Through the service, as the page does; the task runs eagerly when the request commits."""

    def request_minutes(meeting, language, user=None):
        with django_capture_on_commit_callbacks(execute=True):
            version, _created = services.minutes_generation_request(
                meeting=meeting, language=language, user=user
            )
        version.refresh_from_db()
        return version

    return request_minutes


def pdf_text(version) -> str:
    with version.pdf.open("rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    # Only ASCII whitespace is collapsed: French no-break spaces (U+00A0, U+202F) stay.
    return " ".join(re.sub(r"[ \t\r\n]+", " ", page.extract_text() or "") for page in reader.pages)


def shows_percent(text: str, percent: int) -> bool:
    # Arabic text comes back right to left: "% 65" rather than "65 %".
    return bool(re.search(rf"(?<!\d){percent}[ \u00a0]?%|%[ \u00a0]?{percent}(?!\d)", text))


def labels(language: str, *msgids: str) -> list[str]:
    with translation.override(language):
        return [gettext(msgid) for msgid in msgids]


def test_french_minutes_say_what_the_meeting_recorded(meeting, secretariat, request_minutes):
    version = request_minutes(meeting, "fr", secretariat)
    assert version.status == MinutesVersion.Status.READY, version.error
    assert version.requested_by == secretariat and version.pages >= 1
    assert len(version.data_hash) == 64
    text = pdf_text(version)
    remote, representative, hybrid, flag, completed = labels(
        "fr",
        "remote",
        "Representative",
        "Hybrid",
        "No progress since the previous meeting",
        "All activities have been carried out.",
    )
    assert "Comité de pilotage du gouvernement ouvert" in text
    assert "Mardi 28 mars 2023" in text
    assert f"{hybrid} – Rabat" in text
    assert "Mme. Sarah LAMRANI, Ministère de la Transition Numérique" in text
    assert f"M. Yassir CHOKAIRI ({remote}), Instance de la Probité" in text
    assert "Asmae REGURAGUI" in text and "Karim BENNIS" in text
    # As French minutes write an unnamed seat: "Représentant(e) de la Direction…".
    assert f"{representative} de la Direction des Collectivités" in text
    assert "Rachid ELAOUI" in text
    assert "La secrétaire générale a souhaité la bienvenue" in text
    assert text.count("État d'avancement des engagements") == 2  # agenda, then the point
    assert text.count("Rapport d'auto-évaluation") == 2
    assert "Relancer les points focaux" in text  # the follow-up of December's decision
    # The portal's own figures (the mean of the table, 72 %, and the comparison with December)
    # are on the meeting page, not in the minutes.
    table = progress_table(meeting)
    assert table.frozen and not shows_percent(text, table.global_percent)
    assert "Transparence budgétaire" in text and shows_percent(text, 43)
    assert "Concevoir un mécanisme de consultation 30\u00a0%" in text
    assert "Mettre en place le mécanisme" in text
    assert "Gouvernance médicale" in text and completed in text
    assert flag not in text
    assert "Avril – Mai 2023" in text and "Mise à jour de la plateforme de suivi" in text
    assert "15 juin 2023 – 30 juin 2023" in text and "Consultation publique" in text
    assert "Organisation d'un atelier de deux jours" in text and "31 mai 2023" in text


def test_arabic_minutes_are_right_to_left_in_an_arabic_font(meeting, request_minutes):
    version = request_minutes(meeting, "ar")
    assert version.status == MinutesVersion.Status.READY, version.error
    with version.pdf.open("rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert any("Arabic" in name for name in fonts), fonts
    text = pdf_text(version)
    (remote,) = labels("ar", "remote")
    for fact in [
        "لجنة القيادة للحكومة المنفتحة",
        "رحبت الكاتبة العامة بالأعضاء",
        "حالة تقدم الالتزامات",
        "شفافية الميزانية",
        "تصميم آلية للتشاور",
        "تحيين منصة التتبع",
        "تنظيم ورشة عمل لمدة يومين",
        "مارس",
        remote,
        "Sarah LAMRANI",
    ]:
        assert fact in text, fact
    assert shows_percent(text, 43) and shows_percent(text, 30)
    assert "Rapport d'auto-évaluation" in text  # no Arabic title: the French one


def test_english_minutes(meeting, request_minutes):
    version = request_minutes(meeting, "en")
    text = pdf_text(version)
    remote, represented = labels("en", "remote", "represented by %(who)s")
    assert "Open government steering committee" in text
    assert "Tuesday 28 March 2023" in text
    assert f"CHOKAIRI ({remote})" in text
    assert represented % {"who": "Karim BENNIS"} in text
    assert "Design a consultation mechanism 30\u00a0%" in text
    assert "April – May 2023" in text and "Update of the monitoring platform" in text
    assert "A two-day workshop" in text


def test_without_unfinished_activities_the_column_is_left_out(steering, request_minutes):
    commitment = CommitmentFactory(title_fr="Portail de l'intégrité")
    activity(commitment, 1, 100)
    meeting = MeetingFactory(committee=steering, plan=commitment.plan, mode=Meeting.Mode.REMOTE)
    AgendaItemFactory(meeting=meeting, kind=AgendaItem.Kind.PROGRESS, title_fr="Avancement")
    version = request_minutes(meeting, "fr")
    text = pdf_text(version)
    unfinished, remote_meeting, preview = labels(
        "fr",
        "Unfinished activities",
        "Remote meeting",
        "Preview: the meeting is not marked held yet, the figures are live.",
    )
    assert "Portail de l'intégrité" in text and shows_percent(text, 100)
    assert unfinished not in text
    # A remote meeting's place says how it was held ("Réunion à distance via vidéo-conférence").
    assert "Rabat" in text and f"{remote_meeting} – Rabat" not in text
    assert preview in text  # not held: a preview with live figures


def test_same_data_gives_the_same_fingerprint_and_a_change_a_new_one(
    meeting, request_minutes, fake_pdf
):
    first = request_minutes(meeting, "fr")
    second = request_minutes(meeting, "fr")
    assert second.data_hash == first.data_hash and second.same_data_as == first
    assert request_minutes(meeting, "en").same_data_as is None  # another language
    decision = meeting.decisions.get()
    decision.text_fr = "Organisation d'un atelier de trois jours"
    decision.save()
    third = request_minutes(meeting, "fr")
    assert third.data_hash != first.data_hash and third.same_data_as is None
    assert meeting.minutes.latest_ready("fr") == third
    assert meeting.minutes.latest_ready("ar") is None


def test_a_second_delivery_and_a_missing_id_do_nothing(meeting, fake_pdf):
    version = MinutesVersionFactory(meeting=meeting)
    assert generate_minutes_version.apply(args=[version.pk]).get().endswith(".pdf")
    version.refresh_from_db()
    finished = version.finished_at
    assert generate_minutes_version.apply(args=[version.pk]).get() is None
    version.refresh_from_db()
    assert (version.finished_at, version.attempts) == (finished, 1)
    assert generate_minutes_version.apply(args=[987654]).get() is None


def test_failure_is_recorded_and_the_version_can_be_retried(
    meeting, monkeypatch, fake_pdf, django_capture_on_commit_callbacks
):
    def broken(html):
        raise RuntimeError("disk full")

    monkeypatch.setattr(documents.pdf, "html_to_pdf", broken)
    version = MinutesVersionFactory(meeting=meeting)
    with pytest.raises(RuntimeError, match="disk full"):
        generate_minutes_version.apply(args=[version.pk])
    version.refresh_from_db()
    assert version.status == MinutesVersion.Status.FAILED and "disk full" in version.error

    monkeypatch.setattr(documents.pdf, "html_to_pdf", fake_pdf)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_version_retry(version=version)
    version.refresh_from_db()
    assert version.status == MinutesVersion.Status.READY
    assert version.attempts == 2 and version.error == ""


def test_a_version_whose_worker_died_is_sent_again_by_beat(meeting, fake_pdf):
    version = MinutesVersionFactory(meeting=meeting)
    assert MINUTES.claim(version.pk)
    assert not MINUTES.claim(version.pk)  # another delivery while it runs
    long_ago = timezone.now() - lease() - datetime.timedelta(minutes=5)
    MinutesVersion.objects.filter(pk=version.pk).update(
        heartbeat_at=long_ago, requested_at=long_ago
    )
    assert recover_minutes_versions.apply().get() == [version.pk]
    version.refresh_from_db()
    assert version.status == MinutesVersion.Status.READY and version.attempts == 2


def test_task_declares_time_limits_and_late_acknowledgement():
    assert generate_minutes_version.acks_late is True
    assert generate_minutes_version.reject_on_worker_lost is True
    assert generate_minutes_version.soft_time_limit < generate_minutes_version.time_limit
    # The heartbeat keeps a live generation claimed: a dead worker is seen within two minutes.
    assert lease().total_seconds() <= 120 < generate_minutes_version.time_limit


def test_beat_recovers_minutes_too(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"reports.recover_report_versions", "meetings.recover_minutes_versions"} <= tasks


def test_minutes_of_a_held_meeting_are_published_and_withdrawn(meeting, secretariat):
    services.minutes_publish(meeting=meeting, user=secretariat)
    meeting.refresh_from_db()
    published = meeting.minutes_published_at
    assert published is not None
    assert meeting.history.first().history_user == secretariat
    services.minutes_publish(meeting=meeting, user=secretariat)  # the first date stays
    meeting.refresh_from_db()
    assert meeting.minutes_published_at == published
    services.minutes_unpublish(meeting=meeting, user=secretariat)
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is None


def test_minutes_of_a_planned_meeting_cannot_be_published(steering, plan, secretariat):
    planned = MeetingFactory(committee=steering, plan=plan)
    with translation.override("en"):
        with pytest.raises(ValidationError, match="held"):
            services.minutes_publish(meeting=planned, user=secretariat)
        with pytest.raises(ValidationError, match="held"):
            services.minutes_unpublish(meeting=planned, user=secretariat)
    planned.refresh_from_db()
    assert planned.minutes_published_at is None


def test_generate_minutes_command_writes_the_pdf(meeting, tmp_path, capsys, fake_pdf):
    out = tmp_path / "releve.pdf"
    call_command(
        "generate_minutes", "--meeting", str(meeting.pk), "--lang", "fr", "--out", str(out)
    )
    version = MinutesVersion.objects.get(meeting=meeting)
    assert version.status == MinutesVersion.Status.READY
    with version.pdf.open("rb") as pdf:
        assert pdf.read() == out.read_bytes()
    assert "pages" in capsys.readouterr().out


def test_generate_minutes_command_refuses_an_unknown_meeting(tmp_path):
    with pytest.raises(CommandError, match="No meeting"):
        call_command("generate_minutes", "--meeting", "987654", "--out", str(tmp_path / "x.pdf"))


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_minutes_generated_by_a_real_worker_through_the_broker(worker, steering, monkeypatch):
    monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
    meeting = MeetingFactory(committee=steering)
    AttendanceFactory(meeting=meeting, name="Sarah LAMRANI")
    version, _created = services.minutes_generation_request(
        meeting=meeting, language="ar", user=None
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        version.refresh_from_db()
        if version.is_done:
            break
        assert worker.poll() is None, "the worker stopped"
        time.sleep(0.5)
    assert version.status == MinutesVersion.Status.READY, version.error
    text = pdf_text(version)
    assert "لجنة القيادة للحكومة المنفتحة" in text and "Sarah LAMRANI" in text
    assert version.attempts == 1 and version.started_at is not None


def test_admin_lists_the_versions_read_only(meeting, request_minutes, fake_pdf):
    version = request_minutes(meeting, "fr")
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    listing = client.get("/en/admin/meetings/minutesversion/")
    assert listing.status_code == 200 and str(meeting) in listing.content.decode()
    assert client.get("/en/admin/meetings/minutesversion/add/").status_code == 403
    page = client.get(f"/en/admin/meetings/minutesversion/{version.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
