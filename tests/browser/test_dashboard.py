"""The public dashboard in Chromium: three languages, filters, drill-down to evidence, a phone."""

import re

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PLAN = "PAN-2021-2023"
NBSP = "\u00a0"
# Progress of the commitments in the steering committee minutes of 28 March 2023.
# Commitment 10 is at 62 % in the table, then the meeting moves one activity from 20 % to 60 %.
MINUTES = {1: 65, 3: 47, 10: 69, 21: 93}
COMPLETE = [6, 7, 8, 22]
HEALTH = [6, 7, 8]
STEERING_2023 = "Comité de pilotage du 28 mars 2023"


def shown_numbers(page) -> list[int]:
    return [
        int(number)
        for number in page.locator("table.commitments tbody tr[data-commitment]").evaluate_all(
            "rows => rows.map(row => row.dataset.commitment)"
        )
    ]


def progress_of(page, number: int) -> str:
    return page.inner_text(f'tr[data-commitment="{number}"] [data-testid=progress]')


@pytest.mark.parametrize(
    ("lang", "direction"), [("fr", "ltr"), ("ar", "rtl"), ("en", "ltr")], ids=["fr", "ar", "en"]
)
def test_dashboard_in_each_language(demo, live_server, new_page, lang, direction):
    page = new_page()
    response = page.goto(f"{live_server.url}/{lang}/")
    assert response.status == 200

    html = page.locator("html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == direction
    assert page.evaluate("getComputedStyle(document.body).direction") == direction

    assert page.locator("table.commitments tbody tr[data-commitment]").count() == 22
    assert shown_numbers(page) == list(range(1, 23))
    for number, percent in MINUTES.items():
        assert progress_of(page, number) == f"{percent}{NBSP}%"
    assert re.fullmatch(rf"\d+{NBSP}%", page.inner_text("[data-testid=plan-progress]"))

    charts = page.locator("svg.chart")
    assert charts.count() >= 2
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0

    viewport_width = page.viewport_size["width"]
    brand = page.locator(".site-header .brand").bounding_box()
    assert brand is not None
    if lang == "ar":
        assert brand["x"] > viewport_width / 2, "the brand should be mirrored to the right"
    elif lang == "fr":
        assert brand["x"] + brand["width"] < viewport_width / 2, "the brand should be on the left"

    screenshot(page, f"dashboard-{lang}")


def test_dashboard_filter_applied(demo, live_server, new_page):
    page = new_page()
    page.goto(f"{live_server.url}/fr/")
    assert page.locator("[data-testid=filter-count]").count() == 0

    page.select_option("form.filters select[name=level]", "complete")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "level=complete" in page.url
    assert shown_numbers(page) == COMPLETE
    for number in COMPLETE:
        assert progress_of(page, number) == f"100{NBSP}%"
    count = page.inner_text("[data-testid=filter-count]")
    assert re.search(r"\b4\b", count), count
    assert page.input_value("form.filters select[name=level]") == "complete"
    screenshot(page, "dashboard-filtered-fr")

    page.goto(f"{live_server.url}/fr/")
    page.fill("form.filters input[name=q]", "santé")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    numbers = shown_numbers(page)
    for number in HEALTH:
        assert number in numbers
    assert 1 not in numbers
    assert page.locator("[data-testid=filter-count]").is_visible()
    assert page.input_value("form.filters input[name=q]") == "santé"


def test_drill_down_from_plan_to_evidence(demo, live_server, new_page):
    base = live_server.url
    page = new_page()
    page.goto(f"{base}/fr/")

    axis_link = page.locator(f'.two-columns a[href="/fr/plans/{PLAN}/axes/1/"]')
    assert axis_link.count() == 1
    axis_link.click()
    page.wait_for_url(re.compile(rf"/fr/plans/{PLAN}/axes/1/$"))
    assert re.fullmatch(rf"\d+{NBSP}%", page.inner_text("[data-testid=axis-progress]"))
    assert shown_numbers(page) == list(range(1, 11))
    assert progress_of(page, 3) == f"47{NBSP}%"
    screenshot(page, "drilldown-axis")

    page.click(f'tr[data-commitment="3"] a[href="/fr/plans/{PLAN}/commitments/3/"]')
    page.wait_for_url(re.compile(rf"/fr/plans/{PLAN}/commitments/3/$"))
    assert page.inner_text("[data-testid=commitment-progress]") == f"47{NBSP}%"
    screenshot(page, "drilldown-commitment")

    at_90 = page.locator("tr[data-activity]").filter(
        has=page.locator(".percent", has_text=re.compile(rf"^90{NBSP}%$"))
    )
    assert at_90.count() >= 1
    link = at_90.first.locator("a").first
    title = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(rf"/fr/plans/{PLAN}/commitments/3/activities/\d+/$"))
    assert page.inner_text("h1") == title
    assert page.inner_text("[data-testid=activity-progress]") == f"90{NBSP}%"
    timeline = page.locator("ol.timeline")
    assert timeline.locator("li").count() >= 1
    assert STEERING_2023 in timeline.inner_text()
    assert f"90{NBSP}%" in timeline.inner_text()
    screenshot(page, "drilldown-activity")


def test_dashboard_on_a_phone(demo, live_server, new_page):
    page = new_page({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("table.commitments tbody tr[data-commitment]").count() == 22
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    screenshot(page, "dashboard-phone-ar")
    assert scroll_width <= inner_width + 1, (
        f"the page scrolls sideways on a phone: {scroll_width}px wide for {inner_width}px"
    )
