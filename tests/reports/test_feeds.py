"""The Atom feed of published self-assessment reports: a report is in it once published (and
stays when transmitted to the OGP), never at an earlier stage; announced on the reports' pages."""

import datetime
import html

import pytest
from django.test import Client
from django.utils import timezone

from ogp_portal.feeds import FEED_ITEMS
from reports.models import Report, ReportStageChange
from tests.factories import PlanFactory
from tests.feeds import announced, fetch, query_count
from tests.reports.factories import ReportFactory
from tests.reports.steps import walk

pytestmark = pytest.mark.django_db

FEED = "/{lang}/reports/feed/"
PUBLISHED_AT = timezone.make_aware(datetime.datetime(2023, 10, 2, 10, 0))


def feed_of(client: Client, lang: str = "fr"):
    return fetch(client, FEED.format(lang=lang))


def at_stage(plan, stage: str, moment: datetime.datetime = PUBLISHED_AT, **fields) -> Report:
    """A report left at ``stage``, with the dated step of each stage it went through."""
    report = ReportFactory(plan=plan, stage=stage, **fields)
    stages = [s.value for s in Report.Stage]
    for offset, step in enumerate(stages[: stages.index(stage) + 1]):
        changed_at = moment + datetime.timedelta(days=offset - stages.index("published"))
        ReportStageChange.objects.create(report=report, stage=step, changed_at=changed_at)
    return report


@pytest.fixture
def reports():
    plan = PlanFactory(title_fr="Plan d'action national", title_ar="خطة العمل")
    return {
        stage.value: at_stage(
            plan,
            stage.value,
            title_fr=f"Rapport {stage.value}",
            title_ar=f"تقرير {stage.value}",
        )
        for stage in Report.Stage
    }


def test_the_feed_lists_the_published_and_transmitted_reports(anonymous, reports):
    feed = feed_of(anonymous)
    assert sorted(feed.titles) == ["Rapport published", "Rapport transmitted"]
    published = next(entry for entry in feed.entries if entry.title == "Rapport published")
    assert published.link == f"http://testserver/fr/reports/{reports['published'].pk}/"
    assert published.updated == PUBLISHED_AT
    transmitted = next(entry for entry in feed.entries if entry.title == "Rapport transmitted")
    assert transmitted.updated == PUBLISHED_AT + datetime.timedelta(days=1)
    assert feed.entries[0] == transmitted, "the latest step first"
    assert "Plan d'action national" in html.unescape(published.summary)


def test_a_report_enters_the_feed_when_it_is_published(anonymous, report, secretariat, fake_pdf):
    walk(report, "review", "consultation", "validated", user=secretariat)
    assert feed_of(anonymous).entries == []
    walk(report, "published", user=secretariat)
    entries = feed_of(anonymous).entries
    assert [entry.title for entry in entries] == [report.title_fr]
    published = report.stage_changes.get(stage="published").changed_at
    assert entries[0].updated == published
    assert f"/fr/reports/{report.pk}/pdf/fr/" in entries[0].summary
    walk(report, "transmitted", user=secretariat)
    after = feed_of(anonymous).entries
    assert [entry.id for entry in after] == [entries[0].id]
    assert after[0].updated > published


def test_everyone_reads_the_same_public_feed(reports, secretariat):
    client = Client()
    client.force_login(secretariat)
    assert len(feed_of(client).entries) == 2


def test_the_feed_is_the_language_of_its_url(anonymous, reports):
    french, arabic = feed_of(anonymous, "fr"), feed_of(anonymous, "ar")
    assert (french.language, arabic.language) == ("fr", "ar")
    assert french.title != arabic.title
    assert sorted(arabic.titles) == ["تقرير published", "تقرير transmitted"]
    assert all(entry.link.startswith("http://testserver/ar/reports/") for entry in arabic.entries)
    assert {e.id for e in arabic.entries}.isdisjoint(e.id for e in french.entries)
    assert arabic.self_link == "http://testserver/ar/reports/feed/"


def test_the_feed_keeps_the_latest_reports_in_flat_queries(anonymous):
    plan = PlanFactory()
    for day in range(3):
        at_stage(plan, "published", PUBLISHED_AT + datetime.timedelta(days=day))
    small = query_count(anonymous, FEED.format(lang="fr"))
    for day in range(FEED_ITEMS):
        at_stage(plan, "transmitted", PUBLISHED_AT - datetime.timedelta(days=10 + day))
    assert query_count(anonymous, FEED.format(lang="fr")) == small
    feed = feed_of(anonymous)
    assert len(feed.entries) == FEED_ITEMS
    assert feed.entries[0].updated == PUBLISHED_AT + datetime.timedelta(days=2)


def test_the_report_pages_announce_the_feed(anonymous, reports):
    pages = [
        ("/fr/reports/", "/fr/reports/feed/"),
        ("/ar/reports/", "/ar/reports/feed/"),
        (f"/fr/reports/{reports['published'].pk}/", "/fr/reports/feed/"),
        (f"/en/reports/{reports['consultation'].pk}/", "/en/reports/feed/"),
    ]
    for page, feed_url in pages:
        page_html = anonymous.get(page).content.decode()
        links = announced(page_html)
        assert [href for _title, href in links] == [feed_url], page
        assert links[0][0] == fetch(anonymous, feed_url).title
        assert f'href="{feed_url}"' in page_html.split("</head>", 1)[1], "and a visible link"


def test_the_feed_is_only_read(anonymous):
    assert anonymous.post(FEED.format(lang="fr")).status_code == 405
