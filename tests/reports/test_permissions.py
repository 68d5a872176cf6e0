"""Who may use the secretariat's report pages: every one of them (read from the URLconf) × every
persona, with the exact status; the secretariat alone gets through."""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation

from reports.models import Report
from tests.conftest import PERSONAS, SecretariatPage, client_for, secretariat_url_names
from tests.reports.factories import (
    AssessmentSheetFactory,
    ReportCommentFactory,
    ReportFactory,
    ReportVersionFactory,
)

pytestmark = pytest.mark.django_db


def report(o):
    return {"pk": o.report.pk}


def report_version(o):
    return {"pk": o.version.pk}


# Keyed by URL name, in the order of reports/urls.py; a renamed URL is renamed here (the polled
# status partial, for one). With an empty POST, the list is shown again with its form unbound
# (200), the consultation's dates are shown again with their errors (400), an action that cannot
# apply redirects with a message (302).
PAGES = {
    "manage_list": SecretariatPage(lambda o: {}, {"GET": 200, "POST": 200}),
    "manage_detail": SecretariatPage(report, {"GET": 200}),
    "generate": SecretariatPage(report, {"POST": 302}),
    "stage": SecretariatPage(report, {"POST": 302}),
    "consultation": SecretariatPage(report, {"POST": 400}),
    "exemption": SecretariatPage(
        lambda o: {"pk": o.report.pk, "commitment_pk": o.sheet.commitment_id}, {"POST": 302}
    ),
    "version_hx": SecretariatPage(report_version, {"GET": 200}),
    "version_retry": SecretariatPage(report_version, {"POST": 302}),
    "version_download": SecretariatPage(report_version, {"GET": 200}),
    "moderate": SecretariatPage(lambda o: {"pk": o.comment.pk}, {"POST": 302}),
    "answer": SecretariatPage(lambda o: {"pk": o.comment.pk}, {"POST": 302}),
    "review_sheet": SecretariatPage(lambda o: {"pk": o.sheet.pk}, {"POST": 302}),
}

URL_NAMES = secretariat_url_names("reports")
CELLS = [
    (name, method)
    for name in URL_NAMES
    for method in (PAGES[name].secretariat if name in PAGES else ["GET"])
]


@pytest.fixture
def objects(commitment):
    """A report on ``commitment``'s plan, with a ready version, a comment awaiting moderation
    and ``commitment``'s submitted sheet."""
    made = ReportFactory(plan=commitment.plan)
    return SimpleNamespace(
        report=made,
        version=ReportVersionFactory(report=made, ready=True),
        comment=ReportCommentFactory(report=made),
        sheet=AssessmentSheetFactory(report=made, commitment=commitment, state="submitted"),
    )


def request_page(client, name: str, method: str, objects):
    with translation.override("en"):
        url = reverse(f"reports:{name}", kwargs=PAGES[name].kwargs(objects))
    response = getattr(client, method.lower())(url)
    response.close()
    return response


def test_every_secretariat_page_is_in_the_matrix():
    assert set(URL_NAMES) == set(PAGES), "add the new page to PAGES (or drop the removed one)"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "method"), CELLS)
def test_secretariat_pages_permission_matrix(request, objects, name, method, persona):
    assert name in PAGES, f"{name}: add it to PAGES"
    response = request_page(client_for(request, persona), name, method, objects)
    assert response.status_code == PAGES[name].expected(persona, method)
    if persona == "anonymous":
        assert response["Location"].startswith("/en/accounts/login/?next=/en/secretariat/")


@pytest.mark.parametrize("name", URL_NAMES)
def test_secretariat_pages_refuse_other_methods(secretariat, client, objects, name):
    client.force_login(secretariat)
    response = request_page(client, name, PAGES[name].refused_method, objects)
    assert response.status_code == 405


def test_a_refused_post_changes_nothing(focal_point, client, objects):
    client.force_login(focal_point)
    url = reverse("reports:stage", args=[objects.report.pk])
    assert client.post(url, {"stage": "review"}).status_code == 403
    assert Report.objects.get(pk=objects.report.pk).stage == Report.Stage.DRAFT
