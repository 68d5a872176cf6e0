"""End to end in Chromium: a focal point updates, the secretariat validates, the public sees it."""

import pytest

from commitments.models import Commitment, ProgressUpdate
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PDF_BYTES, url_in

pytestmark = pytest.mark.django_db(transaction=True)


def commitment(number: int) -> Commitment:
    return Commitment.objects.get(plan__code="PAN-2021-2023", number=number)


def public_progress(page, base: str, lang: str, number: int) -> str:
    page.goto(f"{base}/{lang}/")
    return page.inner_text(f'tr[data-commitment="{number}"] [data-testid=progress]')


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_focal_point_updates_with_a_file_secretariat_validates_public_sees_it(
    demo, live_server, new_page, tmp_path, lang
):
    base = live_server.url
    charter = commitment(3)
    activity = charter.activities.get(title_fr__startswith="Elaboration d'une feuille de route")
    evidence = tmp_path / "feuille-de-route.pdf"
    evidence.write_bytes(PDF_BYTES)

    visitor = new_page()
    assert public_progress(visitor, base, lang, 3).startswith("47")

    focal = new_page()
    log_in(focal, base, lang, "focal3")
    assert focal.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    focal.click(f'a[href="/{lang}/workspace/commitments/{charter.pk}/update/"]')
    prefix = f"a{activity.pk}"
    focal.fill(f"input[name={prefix}-progress]", "95")
    focal.fill(f"textarea[name={prefix}-narrative]", "Feuille de route validée par le comité")
    focal.set_input_files(f"input[name={prefix}-evidence_file]", str(evidence))
    screenshot(focal, f"update-form-{lang}")
    focal.click("form.update-form button[type=submit]")
    focal.wait_for_selector(".messages .message")
    assert ProgressUpdate.objects.pending().filter(activity=activity).exists()

    secretariat = new_page()
    log_in(secretariat, base, lang, "secretariat")
    secretariat.goto(f"{base}/{lang}/secretariat/review/")
    assert "Feuille de route validée par le comité" in secretariat.inner_text("main")
    screenshot(secretariat, f"review-queue-{lang}")
    secretariat.click("form[action$='/validate/'] button")
    secretariat.wait_for_selector(".messages .message")

    assert public_progress(visitor, base, lang, 3).startswith("48")
    visitor.goto(f"{base}{url_in(charter, lang)}")
    assert "Feuille de route validée par le comité" in visitor.inner_text(".timeline")
    assert visitor.evaluate("getComputedStyle(document.body).direction") == (
        "rtl" if lang == "ar" else "ltr"
    )
    screenshot(visitor, f"commitment-page-{lang}")


def test_focal_point_cannot_reach_another_commitment(demo, live_server, new_page):
    page = new_page()
    log_in(page, live_server.url, "fr", "focal3")
    response = page.goto(f"{live_server.url}/fr/workspace/commitments/{commitment(4).pk}/update/")
    assert response.status == 403
    response = page.request.patch(
        f"{live_server.url}/api/v1/activities/{commitment(4).activities.first().pk}/",
        data={"progress": 50},
        headers={
            "X-CSRFToken": next(
                c["value"] for c in page.context.cookies() if c["name"] == "csrftoken"
            )
        },
    )
    assert response.status == 403


def test_wrong_file_type_is_refused_with_a_message(demo, live_server, new_page, tmp_path):
    fake = tmp_path / "rapport.pdf"
    fake.write_bytes(b"MZ\x90\x00 a program, not a PDF")
    page = new_page({"width": 390, "height": 844})  # a phone
    log_in(page, live_server.url, "fr", "focal3")
    charter = commitment(3)
    activity = charter.activities.exclude(progress=100).first()
    page.goto(f"{live_server.url}/fr/workspace/commitments/{charter.pk}/update/")
    page.fill(f"input[name=a{activity.pk}-progress]", "92")
    page.fill(f"textarea[name=a{activity.pk}-narrative]", "Texte conservé")
    page.set_input_files(f"input[name=a{activity.pk}-evidence_file]", str(fake))
    page.click("form.update-form button[type=submit]")
    error = page.locator(f"#activity-{activity.pk} .errorlist")
    assert "rapport.pdf" in error.inner_text()
    assert page.input_value(f"textarea[name=a{activity.pk}-narrative]") == "Texte conservé"
    assert page.input_value(f"input[name=a{activity.pk}-progress]") == "92"
    screenshot(page, "wrong-file-phone-fr")
    assert not ProgressUpdate.objects.filter(activity=activity, new_progress=92).exists()
