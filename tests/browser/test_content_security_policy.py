"""The strict Content-Security-Policy in Chromium: the pages a person uses work under it and the
browser reports no violation (it would block an inline script or style and say so)."""

import pytest

from commitments.models import Commitment
from tests.browser.conftest import log_in
from tests.conftest import url_in

pytestmark = pytest.mark.django_db(transaction=True)

# Collects every violation the document reports, from before the page's own scripts run.
LISTEN = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


class Watched:
    """A page whose console and document violations are recorded."""

    def __init__(self, page) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        self.page.wait_for_load_state("networkidle")

    def violations(self) -> list[str]:
        return self.console + self.page.evaluate("window.cspViolations")


@pytest.fixture
def watched(new_page):
    return lambda: Watched(new_page())


def test_the_listener_sees_a_violation(demo, live_server, watched):
    """The test itself can fail: an inline style written into the page is reported."""
    visitor = watched()
    visitor.visit(f"{live_server.url}/fr/")
    visitor.page.evaluate("document.body.setAttribute('style', 'color: red')")
    visitor.page.wait_for_timeout(200)
    assert visitor.violations()


def test_public_pages_hold_under_the_policy(demo, live_server, watched):
    charter = Commitment.objects.get(plan__code="PAN-2021-2023", number=3)
    visitor = watched()
    for path in [url_in(charter, "fr"), "/ar/", "/fr/methodology/", "/fr/reports/", "/fr/"]:
        visitor.visit(f"{live_server.url}{path}")
        assert visitor.violations() == [], path
    # The progress bars are drawn by the stylesheet, not by inline styles.
    bar = visitor.page.locator("svg.bar").first.bounding_box()
    assert bar is not None and bar["width"] > 0


def test_the_workspace_form_holds_under_the_policy(demo, live_server, watched):
    charter = Commitment.objects.get(plan__code="PAN-2021-2023", number=3)
    focal = watched()
    log_in(focal.page, live_server.url, "fr", "focal3")
    focal.visit(f"{live_server.url}/fr/workspace/commitments/{charter.pk}/update/")
    assert focal.page.locator("form.update-form").count() == 1
    assert focal.violations() == []


def test_the_api_docs_work_under_their_exception(demo, live_server, watched):
    reader = watched()
    reader.visit(f"{live_server.url}/api/docs/")
    reader.page.wait_for_selector(".swagger-ui .opblock-tag", timeout=30_000)
    assert "OGP Portal API" in reader.page.inner_text(".swagger-ui .info")
    assert reader.page.locator(".swagger-ui .opblock").count() > 10
    assert reader.violations() == []


def test_the_admin_translation_tabs_hold_under_the_policy(demo, live_server, watched):
    """modeltranslation's tabs need jQuery UI, served by the portal (no other host is allowed)."""
    charter = Commitment.objects.get(plan__code="PAN-2021-2023", number=3)
    staff = watched()
    log_in(staff.page, live_server.url, "fr", "secretariat")
    staff.visit(f"{live_server.url}/fr/admin/commitments/commitment/{charter.pk}/change/")
    staff.page.wait_for_selector(".ui-tabs .ui-tabs-nav")
    assert staff.page.locator(".ui-tabs").count() > 0
    assert staff.violations() == []
