"""Who sees which report, at each stage, from one table: the report pages, the list, the PDF and
the API's versions all follow ``Report.objects.visible_to`` (committee members see a report from
the committee review on; the public from the public consultation on)."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from reports.models import Report, ReportVersion
from tests.factories import PlanFactory, UserFactory

pytestmark = pytest.mark.django_db

STAGES = [stage.value for stage in Report.Stage]
PUBLIC = {"consultation", "published", "transmitted"}
SEES = {
    "anonymous": PUBLIC,
    "focal_point": PUBLIC,
    "committee_member": set(STAGES) - {"draft"},
    "secretariat": set(STAGES),
}


@pytest.fixture
def reports() -> dict[str, Report]:
    plan = PlanFactory()
    found = {}
    for stage in STAGES:
        report = Report.objects.create(
            plan=plan,
            title_fr=f"Rapport {stage}",
            period_start=plan.start_date,
            period_end=plan.end_date,
            stage=stage,
        )
        ReportVersion.objects.create(report=report, language="fr")
        found[stage] = report
    return found


@pytest.fixture
def client_of(request, secretariat, focal_point):
    def make(persona: str) -> Client:
        client = Client()
        if persona == "committee_member":
            member = UserFactory(username="aimane")
            member.groups.add(Group.objects.get_or_create(name="committee")[0])
            client.force_login(member)
        elif persona != "anonymous":
            client.force_login({"secretariat": secretariat, "focal_point": focal_point}[persona])
        return client

    return make


@pytest.mark.parametrize("persona", list(SEES))
def test_pages_and_api_show_the_same_reports(persona, reports, client_of):
    client = client_of(persona)
    pages = {
        stage
        for stage, report in reports.items()
        if client.get(f"/fr/reports/{report.pk}/").status_code == 200
    }
    listing = client.get("/fr/reports/").content.decode()
    listed = {stage for stage in STAGES if f"Rapport {stage}" in listing}
    api = client.get("/api/v1/reports/", {"page_size": 100}).json()["results"]
    by_api = {item["report_title"].removeprefix("Rapport ") for item in api}
    assert pages == listed == by_api == SEES[persona]


@pytest.mark.parametrize("persona", ["anonymous", "committee_member"])
def test_a_hidden_report_does_not_exist_for_them(persona, reports, client_of):
    client = client_of(persona)
    draft = reports["draft"]
    assert client.get(f"/fr/reports/{draft.pk}/").status_code == 404
    assert client.get(f"/fr/reports/{draft.pk}/pdf/fr/").status_code == 404
    version = draft.versions.get()
    assert client.get(f"/api/v1/reports/{version.pk}/").status_code == 404
