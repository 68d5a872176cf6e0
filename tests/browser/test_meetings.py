"""A new meeting created in the browser: the open decision of 28 March 2023 is on its agenda, the
commitments that did not move since are flagged, and its minutes come out as a PDF (rendered but
not laid out, ``fake_pdf``: what the minutes say is tested in tests/meetings/test_minutes.py)."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from meetings.models import Decision, Meeting

from .conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_secretariat_prepares_holds_and_publishes_a_meeting(
    demo, live_server, new_page, lang, fake_pdf
):
    base = live_server.url
    page = new_page()
    log_in(page, base, lang, "secretariat")
    page.goto(f"{base}/{lang}/meetings/")
    page.click("[data-testid=new-meeting]")
    page.wait_for_url(re.compile(r"/secretariat/meetings/new/$"))

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.select_option(
        "select[name=committee]",
        label="Comité de pilotage du gouvernement ouvert"
        if lang == "fr"
        else "لجنة القيادة للحكومة المنفتحة",
    )
    page.fill("input[name=date]", yesterday.isoformat())
    page.fill("input[name=time]", "10:00")
    page.select_option("select[name=mode]", "in_person")
    page.fill("textarea[name=agenda]", "Suivi des engagements\nQuestions diverses")
    page.click("main form button[type=submit]")
    # No place for a meeting in person: the error shows next to the field, the agenda is kept.
    assert page.locator("#id_place_error, .errorlist").count() >= 1
    assert "Questions diverses" in page.input_value("textarea[name=agenda]")
    page.fill("input[name=place]", "Rabat")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.latest("pk")
    if lang == "ar":
        assert page.locator("html").get_attribute("dir") == "rtl"

    # The open decision of 28 March 2023 is on the agenda; the attendance lists the 24 seats.
    follow_up = page.locator("[data-kind=follow_up]")
    assert follow_up.count() == 1
    workshop = Decision.objects.get(meeting__starts_at__year=2023)
    assert getattr(workshop, f"text_{lang}")[:40] in follow_up.inner_text()
    assert page.locator("[data-attendance]").count() == 24
    # Compared with 28 March 2023, only commitment 10 moved (20 % → 60 % at that meeting).
    flagged = page.inner_text("[data-testid=flagged]")
    assert "10" not in [n.strip() for n in flagged.split(",")]
    assert "1" in [n.strip() for n in flagged.split(",")]
    screenshot(page, f"meeting-planned-{lang}")

    page.click("[data-testid=mark-held]")
    page.wait_for_selector("[data-testid=meeting-status]")
    meeting.refresh_from_db()
    assert meeting.is_held and meeting.snapshot.rows.count() == 22

    page.select_option("#minutes select[name=language]", lang)
    page.click("[data-testid=generate-minutes]")
    page.wait_for_selector('#minutes tr[data-status="ready"]', timeout=60_000)
    with page.expect_download() as info:
        page.click("#minutes [data-testid=version-download]")
    content = Path(info.value.path()).read_bytes()
    assert content == fake_pdf.pdf
    html = fake_pdf.html[-1]  # what the minutes say
    assert "Rabat" in html
    assert ("Suivi des engagements" in html) and ("Questions diverses" in html)

    page.click("[data-testid=publish-minutes]")
    page.wait_for_selector(f"[data-testid=minutes-{lang}]")
    screenshot(page, f"meeting-held-{lang}")
    public = new_page()
    public.goto(f"{base}/{lang}/meetings/{meeting.pk}/")
    assert public.locator(f"[data-testid=minutes-{lang}]").count() == 1


def test_meeting_page_on_a_phone(demo, live_server, new_page):
    page = new_page(viewport={"width": 390, "height": 844})
    steering = Meeting.objects.get(committee__kind="steering", starts_at__year=2023)
    page.goto(f"{live_server.url}/ar/meetings/{steering.pk}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the page scrolls sideways ({width}px)"
    assert page.locator("[data-testid=participants] li").count() == 20
    screenshot(page, "meeting-phone-ar")
