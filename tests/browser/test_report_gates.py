"""The demo report taken through every gate of its workflow in Chromium, in French: before each
click the secretariat's page lists what the next step needs, each refused step shows that same
list, and the file the public downloads once published is the validated version.

Generations run eagerly in the live server (the PDF is rendered, not laid out: every layout is
a different file, so the test can tell versions apart). "Two weeks later" is the consultation's
dates moved back in the database.
"""

import datetime
import re

import pytest
from django.utils import timezone, translation

from commitments.models import Commitment
from reports.gates import stage_missing
from reports.models import AssessmentSheet, Report
from tests.browser.conftest import log_in, screenshot
from tests.reports.factories import AssessmentSheetFactory
from tests.reports.steps import close_the_consultation

pytestmark = pytest.mark.django_db(transaction=True)

LANG = "fr"
PLAN = "PAN-2021-2023"


def demo_report() -> Report:
    return Report.objects.select_related("plan").get(plan__code=PLAN)


def expected(stage: str, **details) -> list[str]:
    """What the gate says is missing, in the page's language."""
    with translation.override(LANG):
        return stage_missing(demo_report(), stage, **details)


def checklist(page) -> list[str]:
    return page.locator("[data-testid=next-stage-checklist] li").all_inner_texts()


def next_step(page, **fields) -> list[str]:
    """Click "Move to" (after filling ``fields``); what the refusal lists, [] when it moved."""
    for name, value in fields.items():
        page.fill(f"form[action$='/stage/'] [name={name}]", value)
    with page.expect_navigation():
        page.click("[data-testid=next-stage]")
    return page.locator("[data-testid=stage-refused] li").all_inner_texts()


def stage_shown(page) -> str:
    return page.inner_text("[data-testid=report-stage]")


def post_and_wait(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def generate(page) -> None:
    page.select_option("select[name=language]", LANG)
    post_and_wait(page, "[data-testid=generate]")
    page.wait_for_selector("tr[data-status=ready]")


def label(stage: str) -> str:
    with translation.override(LANG):
        return str(Report.Stage(stage).label)


def test_secretariat_takes_the_report_through_every_gate(
    demo, live_server, new_page, numbered_pdf, tmp_path
):
    base = live_server.url
    report = demo_report()
    charter = Commitment.objects.get(plan=report.plan, number=3)
    suspended = Commitment.objects.get(plan=report.plan, number=5)
    # The other focal points submitted their sheets during the draft.
    for commitment in Commitment.objects.filter(plan=report.plan).active():
        if commitment.number not in {3, 5}:
            AssessmentSheetFactory(
                report=report, commitment=commitment, state="submitted", results="Fait."
            )

    # The focal point of commitment 3 submits theirs.
    focal = new_page()
    log_in(focal, base, LANG, "focal3")
    sheet_url = f"{base}/{LANG}/workspace/reports/{report.pk}/commitments/{charter.pk}/sheet/"
    focal.goto(sheet_url)
    focal.fill("textarea[name=results]", "La charte des services publics est promulguée.")
    post_and_wait(focal, "button[name=submit]")
    assert AssessmentSheet.objects.get(report=report, commitment=charter).state == "submitted"

    staff = new_page()
    log_in(staff, base, LANG, "secretariat")
    manage = f"{base}/{LANG}/secretariat/reports/{report.pk}/"
    staff.goto(manage)

    # Draft → committee review: a PDF made from the current data.
    assert checklist(staff) == expected("review") != []
    refusal = next_step(staff)
    assert refusal == expected("review")
    assert label("review") in staff.inner_text("[data-testid=stage-refused]")
    screenshot(staff, "gates-review-refused-fr")
    post_and_wait(staff, 'tr[data-commitment="3"] form:has(input[name=accept]) button')
    generate(staff)
    first = demo_report().versions.get()
    assert staff.locator("[data-testid=nothing-missing]").is_visible()
    assert next_step(staff) == []
    assert stage_shown(staff) == label("review")

    # The accepted sheet, and the report past its draft: read-only for the focal point.
    focal.goto(sheet_url)
    assert focal.locator("[data-testid=sheet-locked]").is_visible()
    assert focal.locator("button[name=submit]").count() == 0

    # Committee review → public consultation: every sheet or an exception, two weeks.
    missing = checklist(staff)
    assert missing == expected("consultation")
    assert any(item.startswith("Engagement 5 ") for item in missing)
    assert next_step(staff) == missing
    staff.fill("[data-testid=exemption-form-5] input[name=reason]", "Suspendu par le comité.")
    post_and_wait(staff, "[data-testid=exemption-form-5] button")
    assert "Suspendu par le comité." in staff.inner_text("[data-testid=exemption-5]")
    today = timezone.localdate()
    staff.fill("input[name=opens_on]", today.isoformat())
    staff.fill("input[name=closes_on]", (today + datetime.timedelta(days=6)).isoformat())
    post_and_wait(staff, "[data-testid=save-consultation]")
    refusal = next_step(staff)
    assert refusal == expected("consultation") and len(refusal) == 1
    assert "7 jours" in refusal[0]
    staff.fill("input[name=closes_on]", (today + datetime.timedelta(days=13)).isoformat())
    post_and_wait(staff, "[data-testid=save-consultation]")
    assert next_step(staff) == []
    assert stage_shown(staff) == label("consultation")
    assert suspended.pk not in set(
        AssessmentSheet.objects.filter(report=report).values_list("commitment_id", flat=True)
    )

    # The public comments on the draft.
    visitor = new_page()
    visitor.goto(f"{base}/{LANG}/reports/{report.pk}/")
    assert visitor.locator("[data-testid=consultation-dates]").is_visible()
    visitor.fill("input[name=name]", "Houda")
    visitor.fill("textarea[name=body]", "Ajouter le bilan des ateliers régionaux.")
    post_and_wait(visitor, "main form button[type=submit]")

    # Public consultation → validated: closed, every comment answered, a current PDF.
    staff.goto(manage)
    refusal = next_step(staff)
    assert refusal == expected("validated") and len(refusal) == 2
    screenshot(staff, "gates-validation-refused-fr")
    post_and_wait(staff, "form[action$='/moderate/']:has(input[value='1']) button")
    close_the_consultation(report)  # two weeks later
    Commitment.objects.filter(pk=charter.pk).update(remarks_fr="Décret publié le 3 mai.")
    staff.goto(manage)
    missing = checklist(staff)
    assert missing == expected("validated") and len(missing) == 2  # no answer, PDF behind
    assert next_step(staff) == missing
    staff.fill("form[data-testid^=answer-] textarea[name=answer]", "Ajouté en annexe 2.")
    post_and_wait(staff, "form[data-testid^=answer-] button")
    generate(staff)
    assert next_step(staff) == []
    assert stage_shown(staff) == label("validated")
    validated = demo_report().validated_version
    assert validated is not None and validated != first
    fingerprint = staff.inner_text("[data-testid=validated-fingerprint]")
    assert fingerprint == validated.data_hash != first.data_hash

    # Validated → published: exactly the validated version.
    assert next_step(staff) == []
    assert stage_shown(staff) == label("published")
    visitor.goto(f"{base}/{LANG}/reports/{report.pk}/")
    shown = visitor.get_attribute(f"[data-testid=fingerprint-{LANG}]", "data-fingerprint")
    assert shown == fingerprint
    with visitor.expect_download() as info:
        visitor.click(f"[data-testid=download-{LANG}]")
    target = tmp_path / "published.pdf"
    info.value.save_as(target)
    with validated.pdf.open("rb") as file:
        assert target.read_bytes() == file.read()
    with first.pdf.open("rb") as file:
        assert target.read_bytes() != file.read()

    # Published → transmitted to the OGP: when and how.
    sent = today.isoformat()
    refusal = next_step(staff, transmitted_on=sent)
    assert refusal == expected("transmitted", transmitted_on=today) and len(refusal) == 1
    assert next_step(staff, transmitted_on=sent, transmitted_how="Courriel à l'unité OGP") == []
    assert stage_shown(staff) == label("transmitted")
    screenshot(staff, "gates-transmitted-fr")
    visitor.goto(f"{base}/{LANG}/reports/{report.pk}/")
    assert "Courriel à l'unité OGP" in visitor.inner_text("[data-testid=transmission]")
    assert re.search(r"\d", visitor.inner_text("[data-testid=transmission]"))
    assert [c.stage for c in demo_report().stage_changes.all()] == [
        "draft", "review", "consultation", "validated", "published", "transmitted",
    ]  # fmt: skip
