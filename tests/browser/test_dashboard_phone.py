"""The dashboard on a phone (390 px): the answer first, the details one tap away, a readable
chart whose time runs right to left in Arabic."""

import datetime

import pytest
from django.utils import timezone

from commitments.models import Activity
from commitments.services import progress_update_record
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PLAN = "PAN-2021-2023"
PHONE = {"width": 390, "height": 844}
MIN_FONT_PX = 12

# Each label's rendered font size: its font-size in SVG units times the SVG's scale on screen.
TICKS_JS = """svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text.tick')].map(text => {
    const box = text.getBoundingClientRect();
    return {
      axis: text.dataset.axis, day: text.dataset.day || null, text: text.textContent,
      size: parseFloat(getComputedStyle(text).fontSize) * scale,
      x: box.x, y: box.y, width: box.width, height: box.height,
    };
  });
}"""


def overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.fixture
def phone(demo, live_server, new_page):
    def open_dashboard(lang: str):
        page = new_page(PHONE)
        page.goto(f"{live_server.url}/{lang}/")
        return page

    return open_dashboard


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_commitment_list_comes_within_two_screens_on_a_phone(phone, lang):
    page = phone(lang)
    table = page.locator("table.commitments").bounding_box()
    assert table is not None
    assert table["y"] < 2 * PHONE["height"], f"the commitments start at {table['y']:.0f}px"
    search = page.locator("form.filters input[name=q]").bounding_box()
    assert search is not None and search["y"] < table["y"]
    headline = page.locator("[data-testid=plan-progress]").bounding_box()
    assert headline is not None and headline["y"] < PHONE["height"]
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    screenshot(page, f"dashboard-390-{lang}")
    assert scroll_width <= inner_width + 1, f"{scroll_width}px wide for {inner_width}px"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_in_page_navigation_reaches_each_panel(phone, lang):
    page = phone(lang)
    nav = page.locator("nav.dashboard-nav")
    assert nav.get_attribute("aria-label")
    table = page.locator("table.commitments").bounding_box()
    nav_box = nav.bounding_box()
    assert table is not None and nav_box is not None and nav_box["y"] < table["y"]
    targets = nav.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    # Commitments, progress over time, axes, institutions, meetings, requirement, timelines.
    assert len(targets) == 7
    for target in ["#commitments", "#axes", "#institutions", "#meetings", "#timelines"]:
        assert target in targets
    for target in targets:
        assert target.startswith("#")
        panel = page.locator(target)
        assert panel.count() == 1, target
        page.evaluate("window.scrollTo(0, 0)")
        nav.locator(f'a[href="{target}"]').click()
        page.wait_for_function("hash => location.hash === hash", arg=target)
        assert panel.evaluate(
            "el => { const box = el.getBoundingClientRect();"
            " return box.top >= -1 && box.top < window.innerHeight; }"
        ), f"{target} is not on screen after following its link"
    # The panels come after the commitments.
    page.evaluate("window.scrollTo(0, 0)")
    commitments_top = table["y"]
    for target in ["#history", "#axes", "#institutions", "#meetings", "#timelines"]:
        panel_box = page.locator(target).bounding_box()
        assert panel_box is not None and panel_box["y"] > commitments_top, target


@pytest.fixture
def a_second_day(demo):
    """The demo's history is one day (the meeting of 28 March 2023): a validated update a
    year later gives the chart a time axis."""
    activity = Activity.objects.filter(commitment__plan__code=PLAN, progress=0).first()
    assert activity is not None
    moment = timezone.make_aware(datetime.datetime(2024, 3, 28, 12))
    progress_update_record(
        activity=activity, author=None, new_progress=50, source="web", created_at=moment
    )


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_progress_chart_labels_are_readable_and_apart_on_a_phone(a_second_day, phone, lang):
    page = phone(lang)
    chart = page.locator("svg.chart.progress-chart")
    chart.scroll_into_view_if_needed()
    ticks = chart.evaluate(TICKS_JS)
    assert {tick["axis"] for tick in ticks} == {"x", "y"}
    for tick in ticks:
        assert tick["size"] >= MIN_FONT_PX, tick
    for index, tick in enumerate(ticks):
        for other in ticks[index + 1 :]:
            assert not overlap(tick, other), (tick["text"], other["text"])
    days = sorted((tick for tick in ticks if tick["axis"] == "x"), key=lambda tick: tick["day"])
    assert [tick["day"] for tick in days] == ["2023-03-28", "2024-03-28"]
    first, last = days[0], days[-1]
    if lang == "ar":
        assert first["x"] > last["x"], "in Arabic the time should run from right to left"
    else:
        assert first["x"] < last["x"]
    # The line itself is mirrored with its axis: the earliest point sits beside the first date.
    points = chart.locator("circle").evaluate_all(
        "dots => dots.map(dot => dot.getBoundingClientRect().x)"
    )
    assert len(points) == 2
    if lang == "ar":
        assert points[0] > points[-1]
    else:
        assert points[0] < points[-1]
