"""The OGP repository: a plan's (and the whole portal's) public documents and evidence, each with
a working link, its date and languages, filterable; the minimum requirements with their state."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from commitments.models import Activity, Plan
from commitments.services import (
    EvidenceInput,
    UpdateEntry,
    progress_update_submit,
    progress_update_validate,
)
from meetings.models import Meeting
from meetings.services import meeting_hold
from reports.models import Report
from tests.conftest import make_upload
from tests.factories import PDF_BYTES
from tests.meetings.factories import MeetingFactory, MinutesVersionFactory
from tests.reports.factories import ReportVersionFactory
from tests.reports.steps import walk

PLAN = "PAN-2021-2023"
PAGE = f"/en/plans/{PLAN}/repository/"


def user(username: str):
    return get_user_model().objects.get(username=username)


def rows(html: str) -> list[str]:
    """The rows of the entries' table."""
    table = html.split('data-testid="repository-entries"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr data-kind=.*?</tr>", table, re.S)


def hrefs(html: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', html)]


def evidence_of_commitment_3(title: str, *, validated: bool) -> Activity:
    """Focal point 3 sends an update with a file as evidence; the secretariat validates it."""
    activity = Activity.objects.filter(commitment__plan__code=PLAN, commitment__number=3).first()
    assert activity is not None
    evidence = EvidenceInput(title=title, file=make_upload("preuve.pdf", PDF_BYTES))
    update = progress_update_submit(
        entry=UpdateEntry(activity=activity, progress=90, narrative="Atelier", evidence=[evidence]),
        author=user("focal3"),
    )
    if validated:
        progress_update_validate(update=update, reviewer=user("secretariat"))
    return activity


@pytest.fixture
def published(demo, fake_pdf):
    """What the issue's "done" asks for: the demo, its 2021-2023 report published, a public
    evidence file of a validated update, the minutes of both seed meetings as PDFs."""
    report = Report.objects.get(plan__code=PLAN)
    walk(report, "review", "consultation", "validated", "published", user=user("secretariat"))
    evidence_of_commitment_3("Liste de présence de l'atelier", validated=True)
    for meeting in Meeting.objects.all():
        MinutesVersionFactory(meeting=meeting, language="fr", ready=True)
    return report


def test_the_plan_repository_lists_minutes_reports_and_evidence_with_working_links(published):
    client = Client()
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    listed = "".join(rows(html))
    for meeting in Meeting.objects.all():  # both seed meetings: 2023's, and 2020's co-creation
        assert f'href="/en/meetings/{meeting.pk}/"' in listed
        assert f'href="/en/meetings/{meeting.pk}/minutes/fr/"' in listed
    assert f'href="/en/reports/{published.pk}/"' in listed
    assert f'href="/en/reports/{published.pk}/pdf/fr/"' in listed
    assert "Liste de présence de l&#x27;atelier" in listed
    assert "/en/evidence/" in listed
    checks = html.split('data-testid="requirements"', 1)[1].split('id="entries-title"', 1)[0]
    links = {urlsplit(href).path for href in hrefs(listed + checks) if href.startswith("/")}
    assert any(f"/meetings/{m.pk}/" in path for path in links for m in Meeting.objects.all())
    assert len(links) >= 8
    for path in sorted(links):
        assert Client().get(path).status_code == 200, path
    states = dict(re.findall(r'data-check="(\w+)" data-state="(\w+)"', html))
    assert states == {
        "meetings": "not_met",  # 2021 and 2022: no meeting recorded
        "rules": "missing",
        "updates": "not_met",
        "responses": "missing",  # 232 proposals reported, none recorded one by one
        "consultation": "met",  # 15 days
    }
    assert "No rules published" in html
    assert "232 proposals reported" in html


def test_each_entry_says_its_date_and_languages(published):
    html = Client().get(PAGE).content.decode()
    minutes = next(row for row in rows(html) if 'data-kind="minutes"' in row and "2023" in row)
    assert '<time datetime="2023-03-28">' in minutes
    assert 'lang="fr"' in minutes
    report = next(row for row in rows(html) if 'data-kind="report"' in row)
    assert 'hreflang="fr"' in report


def test_nothing_that_is_not_public_is_listed(demo, secretariat, fake_pdf):
    plan = Plan.objects.get(code=PLAN)
    draft = MeetingFactory(plan=plan)  # held, its minutes not published
    meeting_hold(meeting=draft, user=None)
    MinutesVersionFactory(meeting=draft, ready=True)
    evidence_of_commitment_3("Preuve en attente de validation", validated=False)
    report = Report.objects.get(plan=plan)
    ReportVersionFactory(report=report, ready=True)  # the report is a draft
    html = Client().get(PAGE).content.decode()
    keys = re.findall(r'data-key="([^"]+)"', html)
    assert f"minutes-{draft.pk}" not in keys and f"/meetings/{draft.pk}/" not in html
    assert "Preuve en attente de validation" not in html
    assert not [key for key in keys if key.startswith("report-")]
    assert f"/reports/{report.pk}/" not in html
    # The secretariat, who may see them all, is shown the same public repository.
    client = Client()
    client.force_login(secretariat)
    assert f"/meetings/{draft.pk}/" not in client.get(PAGE).content.decode()


def test_the_filters_keep_the_matching_entries(published):
    client = Client()
    kinds = {re.search(r'data-kind="(\w+)"', row)[1] for row in rows(client.get(PAGE).text)}
    assert {"minutes", "report", "evidence", "co_creation"} <= kinds
    minutes = rows(client.get(PAGE, {"kind": "minutes"}).text)
    assert len(minutes) == 2 and all('data-kind="minutes"' in row for row in minutes)
    third = rows(client.get(PAGE, {"commitment": 3}).text)
    assert third and all("/commitments/3/" in row for row in third)
    in_2020 = rows(client.get(PAGE, {"period": "2020-H2"}).text)
    assert in_2020 and all("2020-12-21" in row for row in in_2020)
    arabic = rows(client.get(PAGE, {"language": "ar"}).text)
    assert all('lang="ar"' in row for row in arabic)
    assert not any('data-kind="evidence"' in row for row in arabic)  # its language is unknown


def test_an_unknown_filter_value_is_ignored_and_said(published):
    response = Client().get(PAGE, {"kind": "minutes", "commitment": "999", "period": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters were not understood and were ignored." in html
    assert all('data-kind="minutes"' in row for row in rows(html))


def test_the_whole_portal_repository_lists_both_plans(published):
    html = Client().get("/en/repository/").content.decode()
    listed = "".join(rows(html))
    for code in ("PAN-2018-2020", PLAN):
        assert f'<td data-label="Plan">{code}</td>' in listed
    table = html.split('data-testid="requirements-by-plan"', 1)[1]
    assert 'data-plan="PAN-2018-2020"' in table and f'data-plan="{PLAN}"' in table
    assert f'href="/en/plans/{PLAN}/repository/"' in table
    only = rows(Client().get("/en/repository/", {"plan": "PAN-2018-2020"}).text)
    assert only and all('<td data-label="Plan">PAN-2018-2020</td>' in row for row in only)


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_the_repositories_render_in_each_language(demo, lang):
    for path in (f"/{lang}/plans/{PLAN}/repository/", f"/{lang}/repository/"):
        response = Client().get(path)
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
        assert 'data-check="rules"' in html or 'data-state="missing"' in html


def test_the_dashboard_and_the_footer_link_the_repositories(demo):
    html = Client().get(f"/fr/plans/{PLAN}/").content.decode()
    assert f'href="/fr/plans/{PLAN}/repository/"' in html
    assert 'href="/fr/repository/"' in html
