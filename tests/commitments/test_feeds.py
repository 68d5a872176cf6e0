"""The Atom feeds of a plan's and of a commitment's validated updates: public facts only, in the
language of the URL, announced on the pages they follow."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from commitments.models import ProgressUpdate
from commitments.services import (
    EvidenceInput,
    UpdateEntry,
    progress_update_record,
    progress_update_return,
    progress_update_submit,
    progress_update_validate,
)
from ogp_portal.feeds import FEED_ITEMS
from tests.factories import ActivityFactory, CommitmentFactory
from tests.feeds import announced, fetch, parse, query_count

pytestmark = pytest.mark.django_db


def submit(activity, author, progress, **kwargs) -> ProgressUpdate:
    return progress_update_submit(
        entry=UpdateEntry(activity=activity, progress=progress, **kwargs), author=author
    )


@pytest.fixture
def plan(commitment):
    commitment.plan.title_ar = "خطة العمل الوطنية"
    commitment.plan.save()
    return commitment.plan


@pytest.fixture
def updates(plan, commitment, other_commitment, focal_point, other_focal_point, secretariat):
    """On commitment 3: one update validated by the secretariat, one waiting, one returned;
    on commitment 4, one validated."""
    focal_point.first_name, focal_point.last_name = "Fatima", "Zahra"
    focal_point.save()
    first, second, third = (
        ActivityFactory(commitment=commitment, title_fr=title, title_ar=title_ar)
        for title, title_ar in [
            ("Feuille de route", "خارطة الطريق"),
            ("Atelier", "ورشة"),
            ("Portail", "بوابة"),
        ]
    )
    validated = submit(
        first,
        focal_point,
        40,
        narrative="Feuille de route adoptée",
        evidence=[EvidenceInput(title="Compte rendu", url="https://example.org/cr")],
    )
    progress_update_validate(update=validated, reviewer=secretariat)
    waiting = submit(second, focal_point, 60, narrative="Atelier en attente")
    returned = submit(third, focal_point, 30, narrative="Portail renvoyé")
    progress_update_return(update=returned, reviewer=secretariat, note="Joindre la preuve")
    elsewhere = submit(ActivityFactory(commitment=other_commitment), other_focal_point, 20)
    progress_update_validate(update=elsewhere, reviewer=secretariat)
    return {
        "validated": validated,
        "waiting": waiting,
        "returned": returned,
        "elsewhere": elsewhere,
    }


def plan_feed(plan, lang: str = "fr") -> str:
    return f"/{lang}/plans/{plan.code}/feed/"


def commitment_feed(commitment, lang: str = "fr") -> str:
    return f"/{lang}/plans/{commitment.plan.code}/commitments/{commitment.number}/feed/"


def test_the_plan_feed_lists_the_validated_updates_only(anonymous, plan, updates):
    feed = fetch(anonymous, plan_feed(plan))
    assert len(feed.entries) == 2
    summaries = " ".join(entry.summary for entry in feed.entries)
    assert "Feuille de route adoptée" in summaries
    assert "Atelier en attente" not in summaries
    assert "Portail renvoyé" not in summaries
    assert "Joindre la preuve" not in summaries
    validated = updates["validated"]
    entry = next(e for e in feed.entries if "Feuille de route" in e.title)
    assert "40" in entry.title
    assert entry.updated == validated.reviewed_at
    assert entry.author == "Fatima Zahra"
    assert entry.link == (
        f"http://testserver/fr/plans/{plan.code}/commitments/3/activities/"
        f"{validated.activity_id}/#update-{validated.pk}"
    )
    assert "https://example.org/cr" in entry.summary


def test_the_commitment_feed_lists_its_own_validated_updates(anonymous, commitment, updates):
    feed = fetch(anonymous, commitment_feed(commitment))
    assert [entry.title.split(":")[0].strip() for entry in feed.entries] == ["Feuille de route"]
    assert "Charte des services publics" in feed.title


def test_an_update_appears_once_validated(anonymous, commitment, updates, secretariat):
    url = commitment_feed(commitment)
    assert len(fetch(anonymous, url).entries) == 1
    progress_update_validate(update=updates["waiting"], reviewer=secretariat)
    entries = fetch(anonymous, url).entries
    assert len(entries) == 2
    assert "Atelier" in entries[0].title, "the newest validation comes first"


def test_what_a_focal_point_or_the_secretariat_sees_stays_out_of_the_feed(
    commitment, updates, focal_point, secretariat
):
    for user in (focal_point, secretariat):
        client = Client()
        client.force_login(user)
        assert len(fetch(client, commitment_feed(commitment)).entries) == 1


def test_the_feed_is_the_language_of_its_url(anonymous, plan, commitment, updates):
    french, arabic = (
        fetch(anonymous, plan_feed(plan, "fr")),
        fetch(anonymous, plan_feed(plan, "ar")),
    )
    assert (french.language, arabic.language) == ("fr", "ar")
    assert plan.title_fr in french.title
    assert "خطة العمل الوطنية" in arabic.title
    assert french.title != arabic.title
    assert french.id != arabic.id
    assert arabic.self_link == f"http://testserver{plan_feed(plan, 'ar')}"
    assert all("/ar/plans/" in entry.link for entry in arabic.entries)
    assert all("/fr/plans/" in entry.link for entry in french.entries)
    assert any("خارطة الطريق" in entry.title for entry in arabic.entries)
    english = fetch(anonymous, commitment_feed(commitment, "en"))
    assert english.language == "en"
    assert all("/en/plans/" in entry.link for entry in english.entries)


def test_entry_ids_are_stable_and_unique(anonymous, plan, updates):
    first, again = fetch(anonymous, plan_feed(plan)), fetch(anonymous, plan_feed(plan))
    ids = [entry.id for entry in first.entries]
    assert ids == [entry.id for entry in again.entries]
    assert len(set(ids)) == len(ids)
    assert all(entry_id.startswith("tag:127.0.0.1,") for entry_id in ids)
    assert first.id == first.self_link
    arabic = {entry.id for entry in fetch(anonymous, plan_feed(plan, "ar")).entries}
    assert arabic.isdisjoint(ids)


def test_an_update_without_an_author_takes_the_portal_as_author(anonymous, commitment):
    progress_update_record(
        activity=ActivityFactory(commitment=commitment),
        author=None,
        new_progress=50,
        source=ProgressUpdate.Source.MEETING,
        source_reference="Comité de pilotage du 28 mars 2023",
    )
    response = anonymous.get(commitment_feed(commitment))
    entry = parse(response.content).entries[0]
    assert entry.author is None
    assert "Comité de pilotage du 28 mars 2023" in entry.summary
    assert b"<author><name>" in response.content


def test_unknown_plans_and_commitments_are_not_found(anonymous, commitment):
    assert anonymous.get("/fr/plans/PAN-1999/feed/").status_code == 404
    assert (
        anonymous.get(f"/fr/plans/{commitment.plan.code}/commitments/99/feed/").status_code == 404
    )
    other_plan_commitment = CommitmentFactory(number=7)
    assert anonymous.get(commitment_feed(other_plan_commitment)).status_code == 200
    wrong_plan = f"/fr/plans/{commitment.plan.code}/commitments/7/feed/"
    assert anonymous.get(wrong_plan).status_code == 404


def test_a_feed_is_only_read(anonymous, commitment):
    assert anonymous.post(plan_feed(commitment.plan)).status_code == 405
    assert anonymous.post(commitment_feed(commitment)).status_code == 405


def record_validated(activities, count: int) -> None:
    start = timezone.now() - datetime.timedelta(days=count)
    for step in range(count):
        progress_update_record(
            activity=activities[step % len(activities)],
            author=None,
            new_progress=1 + step % 99,
            source=ProgressUpdate.Source.IMPORT,
            created_at=start + datetime.timedelta(days=step),
        )


def test_a_feed_keeps_the_latest_entries(anonymous, commitment):
    activities = [ActivityFactory(commitment=commitment) for _ in range(3)]
    record_validated(activities, FEED_ITEMS + 5)
    feed = fetch(anonymous, commitment_feed(commitment))
    assert len(feed.entries) == FEED_ITEMS
    dates = [entry.updated for entry in feed.entries]
    assert dates == sorted(dates, reverse=True)
    newest = ProgressUpdate.objects.latest()
    assert feed.entries[0].updated == newest.created_at
    assert feed.updated == newest.created_at


def test_the_feeds_queries_do_not_grow_with_their_entries(anonymous, commitment, other_commitment):
    record_validated([ActivityFactory(commitment=commitment)], 3)
    record_validated([ActivityFactory(commitment=other_commitment) for _ in range(5)], 40)
    small, large = (
        query_count(anonymous, commitment_feed(c)) for c in (commitment, other_commitment)
    )
    assert small == large
    assert query_count(anonymous, plan_feed(commitment.plan)) <= large


def test_the_dashboard_and_the_commitment_page_announce_their_feeds(anonymous, commitment):
    commitment.plan.is_current = True
    commitment.plan.save()
    pages = {
        "/fr/": plan_feed(commitment.plan),
        f"/fr/plans/{commitment.plan.code}/": plan_feed(commitment.plan),
        "/ar/": plan_feed(commitment.plan, "ar"),
        commitment.get_absolute_url(): commitment_feed(commitment),
    }
    for page, feed_url in pages.items():
        html = anonymous.get(page).content.decode()
        links = announced(html)
        assert [href for _title, href in links] == [feed_url], page
        title = links[0][0]
        assert title == fetch(anonymous, feed_url).title
        assert f'href="{feed_url}"' in html.split("</head>", 1)[1], "and a visible link"


def test_the_demo_plans_have_their_feeds(demo, anonymous):
    validated = ProgressUpdate.objects.validated().filter(
        activity__commitment__plan__code="PAN-2021-2023"
    )
    french = fetch(anonymous, "/fr/plans/PAN-2021-2023/feed/")
    arabic = fetch(anonymous, "/ar/plans/PAN-2021-2023/feed/")
    assert len(french.entries) == min(FEED_ITEMS, validated.count())
    assert french.title != arabic.title
    assert len({entry.id for entry in french.entries}) == len(french.entries)
    commitment = fetch(anonymous, "/en/plans/PAN-2021-2023/commitments/10/feed/")
    assert len(commitment.entries) == validated.filter(activity__commitment__number=10).count()
    prefix = "http://testserver/en/plans/PAN-2021-2023/commitments/10/"
    assert all(entry.link.startswith(prefix) for entry in commitment.entries)
