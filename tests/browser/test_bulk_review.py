"""In Chromium: the secretariat ticks two updates of the queue and validates them together."""

import re

import pytest
from django.contrib.auth.models import User

from commitments.models import Activity, ProgressUpdate
from commitments.services import progress_update_record
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def waiting_updates(count: int) -> list[ProgressUpdate]:
    """The demo focal point of commitment 3 adds five points to its unfinished activities."""
    author = User.objects.get(username="focal3")
    activities = Activity.objects.filter(
        commitment__plan__code="PAN-2021-2023",
        commitment__number=3,
        progress__lt=95,
    ).order_by("position")[:count]
    assert len(activities) == count
    return [
        progress_update_record(
            activity=activity,
            author=author,
            new_progress=activity.progress + 5,
            source=ProgressUpdate.Source.WEB,
            state=ProgressUpdate.State.SUBMITTED,
        )
        for activity in activities
    ]


def test_secretariat_selects_two_updates_and_validates_them(demo, live_server, new_page):
    first, second, third = waiting_updates(3)
    page = new_page({"width": 390, "height": 844})  # a phone
    log_in(page, live_server.url, "en", "secretariat")
    queue = f"{live_server.url}/en/secretariat/review/"
    page.goto(queue)
    boxes = page.locator("input[type=checkbox][name=update]")
    assert boxes.count() == 3

    # "Select all" ticks every box in place (the script), without reloading the page.
    page.click("a[data-select=all]")
    assert page.url == queue
    assert all(boxes.nth(i).is_checked() for i in range(3))
    page.click("a[data-select=none]")
    assert not any(boxes.nth(i).is_checked() for i in range(3))

    for update in (first, second):
        title = update.activity.title_en or update.activity.title_fr
        page.get_by_role("checkbox", name=re.compile(re.escape(title))).check()
    page.fill("#bulk-note", "Vu en comité de pilotage")
    screenshot(page, "bulk-review-selected")
    page.click("#bulk-validate button[type=submit]")
    page.wait_for_selector(".messages .message")

    messages = page.locator(".messages .message").all_inner_texts()
    assert messages[0] == "2 updates validated."
    assert len(messages) == 3
    assert page.locator(f"#update-{third.pk}").is_visible()
    assert page.locator(f"#update-{first.pk}").count() == 0
    screenshot(page, "bulk-review-validated")
    states = {u.pk: ProgressUpdate.objects.get(pk=u.pk) for u in (first, second, third)}
    assert [states[u.pk].state for u in (first, second, third)] == [
        "validated",
        "validated",
        "submitted",
    ]
    assert states[first.pk].review_note == "Vu en comité de pilotage"
    first.activity.refresh_from_db()
    assert first.activity.progress == first.new_progress
