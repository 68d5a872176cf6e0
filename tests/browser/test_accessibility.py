"""WCAG 2.1 AA by test: axe-core on every public page type and the main workspace and
secretariat pages, in French and Arabic, before and after a form error and with a message shown;
and no sideways scrolling on a phone (320 and 390 px)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from cocreation.models import Process, Proposal
from commitments.models import Commitment, Plan
from meetings.models import Meeting, Timeline
from reports.models import Report
from tests.factories import IrmAssessmentFactory

from .axe import axe_violations, horizontal_overflow, require_axe
from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PLAN = "PAN-2021-2023"
LANGUAGES = ["fr", "ar"]


def public_paths() -> list[str]:
    """One page of each public type, language-neutral (``/{lang}`` is prefixed by the caller)."""
    plan = Plan.objects.get(code=PLAN)
    commitment = Commitment.objects.get(plan=plan, number=3)
    activity = commitment.activities.order_by("pk").first()
    assert activity is not None
    institution = commitment.lead_institution
    meeting = Meeting.objects.order_by("starts_at").last()
    assert meeting is not None
    timeline = Timeline.objects.order_by("pk").first()
    assert timeline is not None
    process = Process.objects.get(plan__code="PAN-2024-2027")
    # The demo's reports are drafts, which the public does not see: one goes to consultation.
    report = Report.objects.get(plan=plan)
    Report.objects.filter(pk=report.pk).update(stage=Report.Stage.CONSULTATION)
    # The demo records no IRM assessment: one is made for a commitment with a difference.
    assessed = Commitment.objects.get(plan=plan, number=4)
    if not hasattr(assessed, "irm_assessment"):
        IrmAssessmentFactory(commitment=assessed, completion="complete")
    proposal = Proposal.objects.create(
        process=process,
        title="Publier les budgets des communes",
        description="Chaque trimestre, en données ouvertes.",
        moderation=Proposal.Moderation.PUBLISHED,
        consent=True,
    )
    with translation.override("fr"):
        paths = [
            "/fr/",
            plan.get_absolute_url(),
            f"/fr/plans/{plan.code}/axes/{commitment.axis.number}/",
            commitment.get_absolute_url(),
            assessed.get_absolute_url(),
            activity.get_absolute_url(),
            "/fr/institutions/",
            f"/fr/institutions/{institution.code}/",
            "/fr/methodology/",
            "/fr/meetings/",
            f"/fr/meetings/{meeting.pk}/",
            "/fr/committees/",
            "/fr/timelines/",
            f"/fr/timelines/{timeline.pk}/",
            "/fr/reports/",
            report.get_absolute_url(),
            "/fr/co-creation/",
            process.get_absolute_url(),
            f"/fr/co-creation/{process.pk}/propose/",
            f"/fr/co-creation/{process.pk}/statistics/",
            proposal.get_absolute_url(),
            "/fr/accounts/login/",
            "/fr/accessibility/",
            f"/fr/plans/{plan.code}/repository/",
            "/fr/repository/",
            "/fr/open-data/",
        ]
    return [path.removeprefix("/fr") for path in paths]


def workspace_paths() -> list[str]:
    commitment = Commitment.objects.get(plan__code=PLAN, number=3)
    return [
        "/workspace/",
        f"/workspace/commitments/{commitment.pk}/update/",
        "/workspace/sheets/",
        "/notifications/",
        "/notifications/preferences/",
    ]


def secretariat_paths() -> list[str]:
    meeting = Meeting.objects.order_by("starts_at").last()
    assert meeting is not None
    report = Report.objects.get(plan__code=PLAN)
    return [
        "/secretariat/",
        "/secretariat/review/",
        "/secretariat/reports/",
        f"/secretariat/reports/{report.pk}/",
        "/secretariat/meetings/new/",
        f"/secretariat/meetings/{meeting.pk}/edit/",
    ]


def audit(page, base: str, lang: str, paths: list[str]) -> list[str]:
    """axe on each page; every violation of every page, so that one run shows them all."""
    violations = []
    for path in paths:
        response = page.goto(f"{base}/{lang}{path}")
        if response is None or response.status != 200:
            violations.append(f"{path}: {response and response.status}")
            continue
        violations += axe_violations(page)
    return violations


def axe_page(new_page, **options):
    """A page where axe can be injected: the portal's CSP refuses inline scripts, and
    Playwright adds axe as one, so this browser context bypasses the CSP (only here)."""
    require_axe()
    return new_page(bypass_csp=True, **options)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_public_page_type_has_no_wcag_violation(demo, live_server, new_page, lang):
    page = axe_page(new_page)
    violations = audit(page, live_server.url, lang, public_paths())
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_irm_comparison_has_no_wcag_violation_nor_scrolls_on_a_phone(
    demo, live_server, new_page, lang
):
    """The page type above, with its IRM table and a flagged difference (in public_paths too)."""
    commitment = Commitment.objects.get(plan__code=PLAN, number=4)
    IrmAssessmentFactory(commitment=commitment, completion="complete")
    path = f"/plans/{PLAN}/commitments/4/"
    page = axe_page(new_page)
    violations = audit(page, live_server.url, lang, [path])
    assert page.locator("tr.differs").count() >= 1
    assert not violations, "\n".join(violations)
    phone = new_page(viewport={"width": 320, "height": 800})
    phone.goto(f"{live_server.url}/{lang}{path}")
    assert horizontal_overflow(phone) == 0


@pytest.mark.parametrize("lang", LANGUAGES)
def test_workspace_and_secretariat_pages_have_no_wcag_violation(demo, live_server, new_page, lang):
    focal = axe_page(new_page)
    log_in(focal, live_server.url, lang, "focal3")
    secretariat = axe_page(new_page)
    log_in(secretariat, live_server.url, lang, "secretariat")
    violations = audit(focal, live_server.url, lang, workspace_paths())
    violations += audit(secretariat, live_server.url, lang, secretariat_paths())
    assert not violations, "\n".join(violations)


def error_summary_is_focused(page) -> None:
    """The answer to a submission has its error summary at the top, focused. The checks wait
    for that answer: a click returns once the request is sent, not once the new page is in."""
    summary = page.locator(".error-summary")
    expect(summary, "the error summary is at the top of the form").to_have_count(1)
    expect(page.locator(":focus")).to_have_class(re.compile(r"\berror-summary\b"))
    for link in summary.locator("a[href^='#']").all():
        target = link.get_attribute("href")
        assert page.locator(target).count() == 1, f"{target} names a field of the form"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_forms_after_an_error_and_a_message_have_no_wcag_violation(
    demo, live_server, new_page, lang
):
    base = live_server.url
    visitor = axe_page(new_page)
    process = Process.objects.get(plan__code="PAN-2024-2027")
    visitor.goto(f"{base}/{lang}/co-creation/{process.pk}/propose/")
    visitor.fill("input[name=title]", "Publier les budgets des communes")
    visitor.click("main form button[type=submit]")
    assert visitor.input_value("input[name=title]") == "Publier les budgets des communes"
    error_summary_is_focused(visitor)
    violations = axe_violations(visitor)

    visitor.goto(f"{base}/{lang}/accounts/login/")
    visitor.fill("input[name=username]", "focal3")
    visitor.fill("input[name=password]", "not the password")
    visitor.click("main form button[type=submit]")
    visitor.wait_for_selector(".errorlist, .form-errors")
    violations += axe_violations(visitor)

    focal = axe_page(new_page)
    log_in(focal, base, lang, "focal3")
    commitment = Commitment.objects.get(plan__code=PLAN, number=3)
    activity = commitment.activities.order_by("pk").first()
    assert activity is not None
    focal.goto(f"{base}/{lang}/workspace/commitments/{commitment.pk}/update/")
    focal.fill(f"input[name=a{activity.pk}-progress]", "150")
    focal.click("form.update-form button[type=submit]")
    error_summary_is_focused(focal)
    violations += axe_violations(focal)

    focal.goto(f"{base}/{lang}/notifications/preferences/")
    focal.click("main form button[type=submit]")
    focal.wait_for_selector(".messages .message")
    violations += axe_violations(focal)
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_public_page_scrolls_sideways_on_a_phone(demo, live_server, new_page, lang, width):
    page = new_page(viewport={"width": width, "height": 800})
    wide = {}
    for path in public_paths():
        page.goto(f"{live_server.url}/{lang}{path}")
        if overflow := horizontal_overflow(page):
            wide[path] = overflow
    assert wide == {}, f"pages wider than {width} px (by how many px)"


def test_the_skip_link_appears_on_focus_and_leads_to_the_content(demo, live_server, new_page):
    page = new_page()
    page.goto(f"{live_server.url}/en/")
    skip = page.locator(".skip-link")
    box = skip.bounding_box()
    assert box is None or box["x"] + box["width"] <= 0, "hidden until focused"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "visible once focused"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus is visible"
    page.keyboard.press("Enter")
    assert re.search(r"#main$", page.url)


@pytest.mark.parametrize("selector", ["a.brand", "main form button[type=submit]", "select"])
def test_focused_controls_show_an_outline(demo, live_server, new_page, selector):
    page = new_page()
    page.goto(f"{live_server.url}/en/")
    page.locator(selector).first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert style[0] != "none" and style[1] >= 2, f"{selector}: {style}"


def test_printed_dashboard_commitment_and_meeting_keep_the_content_only(
    demo, live_server, new_page
):
    meeting = Meeting.objects.order_by("starts_at").last()
    assert meeting is not None
    page = new_page()
    for path in ["/en/", f"/en/plans/{PLAN}/commitments/3/", f"/en/meetings/{meeting.pk}/"]:
        page.emulate_media(media="screen")
        page.goto(f"{live_server.url}{path}")
        assert page.locator(".site-header").is_visible()
        page.emulate_media(media="print")
        assert not page.locator(".site-header").is_visible(), path
        assert not page.locator(".site-footer").is_visible(), path
        assert not any(form.is_visible() for form in page.locator("main form").all()), path
        assert page.locator("main h1").is_visible(), path
        link = page.locator("main a[href^='/']:visible").first
        shown = page.evaluate(
            "link => getComputedStyle(link, '::after').content", link.element_handle()
        )
        assert link.get_attribute("href") in shown, f"{path}: the printed link shows its address"
        row = page.locator("main tr").first
        assert row.evaluate("row => getComputedStyle(row).breakInside") == "avoid", path


def submit_without_browser_checks(page, form: str) -> None:
    """Submit the form as a browser without validation would, so the server's errors show."""
    page.evaluate(f"document.querySelector({form!r}).noValidate = true")
    page.click(f"{form} button[type=submit]")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_secretariat_and_preference_forms_after_an_error_have_no_wcag_violation(
    demo, live_server, new_page, lang
):
    base = live_server.url
    secretariat = axe_page(new_page)
    log_in(secretariat, base, lang, "secretariat")
    secretariat.goto(f"{base}/{lang}/secretariat/meetings/new/")
    secretariat.fill("input[name=date]", "")
    submit_without_browser_checks(secretariat, "main form")
    error_summary_is_focused(secretariat)
    violations = axe_violations(secretariat)

    focal = axe_page(new_page)
    log_in(focal, base, lang, "focal3")
    focal.goto(f"{base}/{lang}/notifications/preferences/")
    # No choice of the page is invalid: post one the form does not offer.
    focal.evaluate(
        "const s = document.querySelector('main form select[name=language]');"
        "s.add(new Option('xx', 'xx')); s.value = 'xx';"
    )
    submit_without_browser_checks(focal, "main form")
    error_summary_is_focused(focal)
    violations += axe_violations(focal)

    # The self-assessment sheet: another level than the computed one, without a justification.
    report = Report.objects.get(plan__code=PLAN)
    commitment = Commitment.objects.get(plan=report.plan, number=3)
    focal.goto(f"{base}/{lang}/workspace/reports/{report.pk}/commitments/{commitment.pk}/sheet/")
    focal.select_option("select[name=completion_override]", index=1)
    focal.fill("textarea[name=results]", "La charte des services publics est promulguée.")
    focal.click("button[name=save]")
    error_summary_is_focused(focal)
    assert focal.input_value("textarea[name=results]").startswith("La charte"), "nothing lost"
    violations += axe_violations(focal)
    assert not violations, "\n".join(violations)
