"""Who sees which report, at each stage, from one table: the report pages, the list, the PDF and
the API's versions all follow ``Report.objects.visible_to`` (committee members see a report from
the committee review on; the public from the public consultation on)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

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


def ready(report: Report, language: str, **fields) -> ReportVersion:
    return ReportVersion.objects.create(
        report=report, language=language, status=ReportVersion.Status.READY,
        pdf="reports/v.pdf", **fields,
    )  # fmt: skip


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
        ready(report, "fr")
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


def api_ids(client: Client, **query) -> set[int]:
    answer = client.get("/api/v1/reports/", {"page_size": 100, **query}).json()
    return {item["id"] for item in answer["results"]}


def offered_on_the_page(client: Client, report: Report) -> set[int]:
    page = client.get(f"/fr/reports/{report.pk}/")
    return {version.pk for _code, _label, version in page.context["downloads"]}


@pytest.fixture
def consulted() -> dict[str, ReportVersion]:
    """A report under consultation with its whole history: two ready French versions, a failed
    and a waiting one, and an Arabic one. Its page offers the newest ready one per language."""
    plan = PlanFactory()
    report = Report.objects.create(
        plan=plan, title_fr="Rapport", period_start=plan.start_date,
        period_end=plan.end_date, stage=Report.Stage.CONSULTATION,
    )  # fmt: skip
    earlier = timezone.now() - datetime.timedelta(days=2)
    return {
        "old_fr": ready(report, "fr", requested_at=earlier),
        "new_fr": ready(report, "fr"),
        "failed": ReportVersion.objects.create(
            report=report, language="fr", status=ReportVersion.Status.FAILED, error="boom"
        ),
        "pending": ReportVersion.objects.create(report=report, language="fr"),
        "ar": ready(report, "ar", requested_at=earlier),
    }


@pytest.mark.parametrize("persona", ["anonymous", "focal_point", "committee_member"])
def test_the_api_lists_a_reports_versions_as_its_page_offers_them(persona, consulted, client_of):
    client = client_of(persona)
    report = consulted["new_fr"].report
    offered = {consulted["new_fr"].pk, consulted["ar"].pk}
    assert offered_on_the_page(client, report) == offered
    assert api_ids(client) == api_ids(client, report=report.pk) == offered
    for hidden in ["old_fr", "failed", "pending"]:
        version = consulted[hidden]
        assert client.get(f"/api/v1/reports/{version.pk}/").status_code == 404
        assert client.get(f"/api/v1/reports/{version.pk}/pdf/").status_code == 404


@pytest.mark.parametrize("persona", ["anonymous", "committee_member"])
def test_a_published_report_lists_its_validated_version_alone(persona, consulted, client_of):
    report = consulted["new_fr"].report
    report.validated_version = consulted["old_fr"]
    report.stage = Report.Stage.PUBLISHED
    report.save()
    client = client_of(persona)
    assert offered_on_the_page(client, report) == {consulted["old_fr"].pk}
    assert api_ids(client) == {consulted["old_fr"].pk}


def test_the_secretariat_sees_every_version(consulted, client_of):
    assert api_ids(client_of("secretariat")) == {version.pk for version in consulted.values()}
