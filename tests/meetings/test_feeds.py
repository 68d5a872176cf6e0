"""The Atom feed of published minutes: a meeting is in it once its minutes are published, and
leaves it when they are withdrawn; announced on the meetings list and on each meeting's page."""

import datetime
import html

import pytest
from django.test import Client
from django.utils import timezone

from meetings import services
from meetings.models import Meeting
from ogp_portal.feeds import FEED_ITEMS
from tests.factories import PlanFactory
from tests.feeds import announced, fetch, query_count
from tests.meetings.factories import (
    AgendaItemFactory,
    CommitteeFactory,
    DecisionFactory,
    MeetingFactory,
    MinutesVersionFactory,
)

pytestmark = pytest.mark.django_db

FEED = "/{lang}/meetings/feed/"
PAST = timezone.make_aware(datetime.datetime(2023, 3, 28, 13, 0))


def feed_of(client: Client, lang: str = "fr"):
    return fetch(client, FEED.format(lang=lang))


@pytest.fixture
def steering():
    return CommitteeFactory(name_fr="Comité de pilotage", name_ar="لجنة القيادة")


@pytest.fixture
def plan():
    return PlanFactory(code="PAN-T", title_fr="Plan d'action national", title_ar="خطة العمل")


def held(steering, plan, when=PAST, **fields) -> Meeting:
    meeting = MeetingFactory(committee=steering, plan=plan, starts_at=when, **fields)
    services.meeting_hold(meeting=meeting, user=None)
    return meeting


@pytest.fixture
def meetings(steering, plan):
    """One meeting with published minutes, one held but not published, one planned."""
    published = held(steering, plan)
    AgendaItemFactory(meeting=published, title_fr="Avancement des engagements")
    DecisionFactory(meeting=published, text_fr="Actualiser la plateforme", text_ar="تحيين المنصة")
    DecisionFactory(meeting=published, text_fr="Suivi interne", in_minutes=False)
    services.minutes_publish(meeting=published, user=None)
    unpublished = held(steering, plan, when=PAST + datetime.timedelta(days=30))
    planned = MeetingFactory(
        committee=steering, plan=plan, starts_at=timezone.now() + datetime.timedelta(days=7)
    )
    return {"published": published, "unpublished": unpublished, "planned": planned}


def test_the_feed_lists_the_meetings_whose_minutes_are_published(anonymous, meetings):
    feed = feed_of(anonymous)
    published = meetings["published"]
    published.refresh_from_db()
    assert len(feed.entries) == 1
    entry = feed.entries[0]
    assert entry.link == f"http://testserver/fr/meetings/{published.pk}/"
    assert "Comité de pilotage" in entry.title
    assert "28 mars 2023" in entry.title
    assert entry.updated == published.minutes_published_at
    assert entry.author == "Comité de pilotage"
    assert "Actualiser la plateforme" in entry.summary
    assert "Avancement des engagements" in entry.summary
    assert "Suivi interne" not in entry.summary, "only the decisions the minutes list"
    assert "Plan d'action national" in html.unescape(entry.summary)


def test_withdrawn_minutes_leave_the_feed_and_new_ones_come_first(anonymous, meetings):
    services.minutes_unpublish(meeting=meetings["published"], user=None)
    assert feed_of(anonymous).entries == []
    services.minutes_publish(meeting=meetings["unpublished"], user=None)
    services.minutes_publish(meeting=meetings["published"], user=None)
    entries = feed_of(anonymous).entries
    assert [entry.link.rsplit("/", 2)[-2] for entry in entries] == [
        str(meetings["published"].pk),
        str(meetings["unpublished"].pk),
    ]


def test_a_correction_updates_the_entry(anonymous, meetings):
    before = feed_of(anonymous).entries[0]
    correction = services.correction_add(
        meeting=meetings["published"], author=None, text="La date du prochain comité est le 5 mai"
    )
    after = feed_of(anonymous).entries[0]
    assert after.id == before.id
    assert after.updated == correction.created_at > before.updated
    assert "La date du prochain comité est le 5 mai" in after.summary


def test_the_secretariat_reads_the_same_public_feed(meetings, secretariat):
    client = Client()
    client.force_login(secretariat)
    assert len(feed_of(client).entries) == 1


def test_the_feed_is_the_language_of_its_url(anonymous, meetings):
    french, arabic = feed_of(anonymous, "fr"), feed_of(anonymous, "ar")
    assert (french.language, arabic.language) == ("fr", "ar")
    assert french.title != arabic.title
    assert "لجنة القيادة" in arabic.entries[0].title
    assert "تحيين المنصة" in arabic.entries[0].summary
    assert arabic.entries[0].link.startswith("http://testserver/ar/meetings/")
    assert arabic.entries[0].id != french.entries[0].id
    assert arabic.self_link == "http://testserver/ar/meetings/feed/"
    english = feed_of(anonymous, "en")
    assert english.entries[0].link.startswith("http://testserver/en/meetings/")


def test_a_ready_pdf_of_the_minutes_is_linked_in_the_language_of_the_feed(anonymous, meetings):
    published = meetings["published"]
    MinutesVersionFactory(meeting=published, language="ar", ready=True)
    assert f"/ar/meetings/{published.pk}/minutes/ar/" in feed_of(anonymous, "ar").entries[0].summary
    assert "/minutes/fr/" not in feed_of(anonymous, "fr").entries[0].summary


def test_the_feed_keeps_the_latest_minutes_in_flat_queries(anonymous, steering, plan):
    def publish(count: int, start: datetime.datetime) -> None:
        for step in range(count):
            meeting = MeetingFactory(
                committee=steering,
                plan=plan,
                starts_at=start + datetime.timedelta(days=step),
                status=Meeting.Status.HELD,
                minutes_published_at=start + datetime.timedelta(days=step, hours=5),
            )
            DecisionFactory(meeting=meeting)
            AgendaItemFactory(meeting=meeting)

    publish(3, PAST)
    small = query_count(anonymous, FEED.format(lang="fr"))
    publish(FEED_ITEMS + 5, PAST - datetime.timedelta(days=400))
    assert query_count(anonymous, FEED.format(lang="fr")) == small
    feed = feed_of(anonymous)
    assert len(feed.entries) == FEED_ITEMS
    assert feed.entries[0].updated == PAST + datetime.timedelta(days=2, hours=5)


def test_the_meeting_pages_announce_the_feed(anonymous, meetings):
    pages = [
        ("/fr/meetings/", "/fr/meetings/feed/"),
        ("/ar/meetings/", "/ar/meetings/feed/"),
        (f"/fr/meetings/{meetings['published'].pk}/", "/fr/meetings/feed/"),
    ]
    for page, feed_url in pages:
        html = anonymous.get(page).content.decode()
        links = announced(html)
        assert [href for _title, href in links] == [feed_url], page
        assert links[0][0] == fetch(anonymous, feed_url).title
        assert f'href="{feed_url}"' in html.split("</head>", 1)[1], "and a visible link"


def test_the_feed_is_only_read(anonymous):
    assert anonymous.post(FEED.format(lang="fr")).status_code == 405


def test_the_demo_minutes_are_in_the_feed(demo, anonymous):
    feed = feed_of(anonymous, "fr")
    assert len(feed.entries) == Meeting.objects.with_published_minutes().count() == 2
    assert len({entry.id for entry in feed.entries}) == 2
