"""Asking again for a report or for minutes in a language while the same is waiting or being
made gives that version back instead of making another: the API answers 202 with the same
Location, the page shows the same row with a message. Two simultaneous requests make one
version (a row lock on the report or the meeting, tested on PostgreSQL). Tasks go to the real
broker and stay in the test's queue (``queued_only``), so that the first version stays
pending."""

import threading
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from documents.models import lease
from meetings.models import MinutesVersion
from reports.models import ReportVersion
from reports.services import report_generation_request
from tests.meetings.factories import MinutesVersionFactory
from tests.reports.factories import ReportVersionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued_only")]

UNDER_WAY = "already being generated in this language"


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def test_the_api_gives_back_the_pending_version_with_the_same_location(public_report, staff_api):
    body = {"report": public_report.pk, "language": "fr"}
    first = staff_api.post("/api/v1/reports/", body, format="json")
    again = staff_api.post("/api/v1/reports/", body, format="json")
    by_plan = {"plan": public_report.plan.code, "language": "fr"}
    third = staff_api.post("/api/v1/reports/", by_plan, format="json")
    assert [r.status_code for r in (first, again, third)] == [202, 202, 202]
    assert first["Location"] == again["Location"] == third["Location"]
    assert ReportVersion.objects.count() == 1


def test_a_running_version_is_given_back_too(public_report):
    running = ReportVersionFactory(report=public_report, sent_at=timezone.now())
    ReportVersion.objects.filter(pk=running.pk).update(
        status=ReportVersion.Status.RUNNING, heartbeat_at=timezone.now()
    )
    version, created = report_generation_request(report=public_report, language="fr", user=None)
    assert (version.pk, created) == (running.pk, False)


def test_a_done_version_or_another_language_makes_a_new_one(public_report):
    ReportVersionFactory(report=public_report, ready=True)
    ReportVersionFactory(report=public_report, status=ReportVersion.Status.FAILED)
    ReportVersionFactory(report=public_report, language="ar")
    version, created = report_generation_request(report=public_report, language="fr", user=None)
    assert created and version.status == ReportVersion.Status.PENDING
    assert ReportVersion.objects.count() == 4


def test_a_stalled_version_asked_for_again_is_put_back_in_the_queue(public_report):
    stalled = ReportVersionFactory(report=public_report, sent_at=timezone.now())
    silent = timezone.now() - lease() - lease()
    ReportVersion.objects.filter(pk=stalled.pk).update(
        status=ReportVersion.Status.RUNNING, heartbeat_at=silent, progress=60
    )
    version, created = report_generation_request(report=public_report, language="fr", user=None)
    assert (version.pk, created) == (stalled.pk, False)
    assert (version.status, version.progress) == (ReportVersion.Status.PENDING, 0)


def test_the_page_shows_the_same_row_with_a_message(public_report, staff):
    pending = ReportVersionFactory(report=public_report, sent_at=timezone.now())
    url = en("reports:generate", public_report.pk)
    response = staff.post(url, {"language": "fr"})
    assert response["Location"].endswith(f"#version-{pending.pk}")
    page = staff.get(response["Location"]).content.decode()
    assert UNDER_WAY in page.split('class="messages"')[1]
    assert page.count('<tr id="version-') == 1


def test_the_meeting_page_gives_back_the_pending_minutes(published_meeting, staff):
    pending = MinutesVersionFactory(meeting=published_meeting, sent_at=timezone.now())
    response = staff.post(en("meetings:minutes_generate", published_meeting.pk), {"language": "fr"})
    assert response["Location"].endswith(f"#version-{pending.pk}")
    assert UNDER_WAY in staff.get(response["Location"]).content.decode()
    assert MinutesVersion.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_make_one_version(public_report, secretariat, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite ignores row locks: PostgreSQL is what production runs")
    original = ReportVersion.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.5)  # between "nothing is under way" and the insert
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ReportVersion, "save", slow_save)
    body = {"report": public_report.pk, "language": "fr"}
    start = threading.Barrier(2)
    responses = []

    def post() -> None:
        api = APIClient()
        api.force_authenticate(secretariat)
        start.wait()
        try:
            responses.append(api.post("/api/v1/reports/", body, format="json"))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [response.status_code for response in responses] == [202, 202]
    assert responses[0]["Location"] == responses[1]["Location"]
    assert ReportVersion.objects.count() == 1
