"""The blocker register in Chromium, on a phone, in Arabic: found from the secretariat overview,
filtered with the keyboard."""

import re

import pytest

from .conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PLAN = "PAN-2021-2023"


def test_the_secretariat_filters_the_blocker_register_on_a_phone(demo, live_server, new_page):
    base = live_server.url
    page = new_page({"width": 390, "height": 844})
    log_in(page, base, "ar", "secretariat")
    page.goto(f"{base}/ar/secretariat/?plan={PLAN}")
    page.click(f'a[href="/ar/secretariat/blockers/?plan={PLAN}"]')
    page.wait_for_url(re.compile(rf"/ar/secretariat/blockers/\?plan={PLAN}$"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    rows = page.locator("tr[data-activity]")
    assert rows.count() == 1
    assert "تصميم آلية تشاور دائمة" in rows.inner_text()  # commitment 1's blocked activity
    assert rows.get_attribute("data-states") == "blocked"
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    screenshot(page, "blocker-register-phone-ar")
    assert scroll_width <= inner_width + 1, f"{scroll_width}px wide for {inner_width}px"

    # With the keyboard: the state, then Tab to the filter button and Enter.
    page.focus("select[name=state]")
    page.select_option("select[name=state]", "resolved")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"state=resolved"))
    assert page.locator("tr[data-activity]").count() == 0
    assert page.input_value("select[name=plan]") == PLAN  # what was chosen stays chosen
    assert page.input_value("select[name=state]") == "resolved"
