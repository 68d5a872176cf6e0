"""Public pages and API reads come from the cache until a write changes them: after each kind
of write the next request shows the change, a repeated request costs one query (the versions)
or none (the versions in Redis), and a conditional GET is a 304. Each test runs with the cache
in the process's memory and in Redis."""

import os
import re
import socket
import uuid

import pytest
import redis
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from commitments.models import Commitment
from commitments.services import (
    UpdateEntry,
    focal_point_hand_over,
    progress_update_submit,
    progress_update_validate,
)
from portal import pagecache
from tests.factories import ActivityFactory, CommitmentFactory, UserFactory


@pytest.fixture(autouse=True, params=["process", "redis"])
def page_cache(request, settings):
    """The cache on (the suite keeps it off) and empty, for this test alone: the process's
    memory (the versions read from the database), then Redis as in production (the versions
    kept beside the pages), under keys of this test's own, removed after it."""
    redis_only = request.node.get_closest_marker("redis_page_cache")
    if redis_only and request.param != "redis":
        pytest.skip(redis_only.args[0])  # before any other fixture is built
    settings.PAGE_CACHE_ENABLED = True
    if request.param == "process":
        cache.clear()
        yield request.param
        cache.clear()
        return
    prefix = f"test-pagecache-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {"BACKEND": "ogp_portal.cache.RedisCache", "LOCATION": redis_url(),
                    "KEY_PREFIX": prefix},
    }  # fmt: skip
    yield request.param
    client = redis.Redis.from_url(redis_url())
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture
def hit_queries(page_cache):
    """What a page from the cache costs the database: nothing when the versions are in Redis,
    one query (the versions) otherwise."""
    return 0 if page_cache == "redis" else 1


def redis_url() -> str:
    for name in ("CACHE_URL", "CELERY_BROKER_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("redis://", "rediss://")):
            return url
    pytest.skip("needs Redis (CACHE_URL or a Redis CELERY_BROKER_URL; CI sets one)")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write as if its transaction committed: its on_commit bumps run."""

    def run(write, *args, **kwargs):
        # The test's own set-up never commits: what it left pending is not this write's.
        pagecache.flush_discard()
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


@pytest.fixture
def activity(commitment):
    return ActivityFactory(commitment=commitment, title_fr="Atelier de lancement")


def page(commitment: Commitment, lang: str = "fr") -> str:
    with translation.override(lang):
        return reverse(
            "commitments:detail",
            kwargs={"code": commitment.plan.code, "number": commitment.number},
        )


def tokenless(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", html)


def api_list() -> str:
    return reverse("commitment-list")


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_repeated_anonymous_request_is_served_from_the_cache(
    activity, django_assert_num_queries, hit_queries
):
    client = Client()
    first = text(client.get(page(activity.commitment)))
    with django_assert_num_queries(hit_queries):  # the page comes from the cache
        again = text(client.get(page(activity.commitment)))
    assert tokenless(again) == tokenless(first)


@pytest.mark.django_db
def test_the_api_list_is_served_from_the_cache(activity, django_assert_num_queries, hit_queries):
    client = Client()
    first = client.get(api_list()).json()
    with django_assert_num_queries(hit_queries):
        assert client.get(api_list()).json() == first


@pytest.mark.django_db
def test_a_conditional_get_is_a_304(activity):
    client = Client()
    first = client.get(page(activity.commitment))
    assert first["Cache-Control"] == "no-cache"
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(page(activity.commitment), HTTP_IF_NONE_MATCH=etag).status_code == 304
    since = client.get(page(activity.commitment), HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304
    api = client.get(api_list())
    assert client.get(api_list(), HTTP_IF_NONE_MATCH=api["ETag"]).status_code == 304


@pytest.mark.django_db
def test_a_write_changes_the_etag(activity, committed):
    client = Client()
    etag = client.get(page(activity.commitment))["ETag"]
    activity.commitment.title_fr = "Charte révisée"
    committed(activity.commitment.save)
    response = client.get(page(activity.commitment), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "Charte révisée" in text(response)


@pytest.mark.django_db
def test_a_logged_in_visitor_is_never_served_the_anonymous_page(activity, secretariat):
    text(Client().get(page(activity.commitment)))
    staff = Client()
    staff.force_login(secretariat)
    html = text(staff.get(page(activity.commitment)))
    assert "sara" in html  # "Log out (sara)"
    assert "ETag" not in staff.get(page(activity.commitment))


@pytest.mark.django_db
def test_an_accepted_update_shows_on_the_next_request(
    activity, focal_point, secretariat, committed
):
    activity.commitment.plan.requires_validation = True
    activity.commitment.plan.save()
    client = Client()
    before = client.get(api_list()).json()
    html = text(client.get(page(activity.commitment)))
    update = committed(progress_update_submit, entry=UpdateEntry(activity, 40), author=focal_point)
    committed(progress_update_validate, update=update, reviewer=secretariat)
    after = client.get(api_list()).json()
    assert after != before
    assert tokenless(text(client.get(page(activity.commitment)))) != tokenless(html)
    assert '"progress": 40' in client.get(api_list()).content.decode().replace('":40', '": 40')


@pytest.mark.django_db
def test_a_hand_over_shows_on_the_next_request(activity, focal_point, committed):
    client = Client()
    html = text(client.get(page(activity.commitment)))
    newcomer = UserFactory(username="nadia", first_name="Nadia", last_name="Benali")
    committed(focal_point_hand_over, commitment=activity.commitment, user=newcomer)
    assert tokenless(text(client.get(page(activity.commitment)))) != tokenless(html)


@pytest.mark.django_db
def test_a_translation_edit_shows_on_the_next_request(activity, committed):
    client = Client()
    text(client.get(page(activity.commitment, "ar")))
    activity.title_ar = "ورشة الانطلاق"
    committed(activity.save)
    assert "ورشة الانطلاق" in text(client.get(page(activity.commitment, "ar")))


@pytest.mark.django_db
def test_an_admin_change_shows_on_the_next_request(activity, secretariat, committed):
    secretariat.is_superuser = True
    secretariat.save()
    institution = activity.commitment.lead_institution
    client = Client()
    listing = reverse("commitments:institution_list")
    assert "Agence renommée" not in text(client.get(listing))
    staff = Client()
    staff.force_login(secretariat)
    change = reverse("admin:commitments_institution_change", args=[institution.pk])
    form = staff.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(name_fr="Agence renommée")
    response = committed(staff.post, change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Agence renommée" in text(client.get(listing))


@pytest.mark.django_db
def test_a_write_in_another_plan_keeps_this_plans_pages(
    activity, committed, django_assert_num_queries, hit_queries
):
    elsewhere = CommitmentFactory(number=9)
    client = Client()
    text(client.get(page(activity.commitment)))
    elsewhere.title_fr = "Ailleurs"
    committed(elsewhere.save)
    with django_assert_num_queries(hit_queries):
        text(client.get(page(activity.commitment)))


@pytest.mark.django_db
def test_a_commitment_moved_to_another_plan_leaves_its_old_plan_page(activity, committed):
    client = Client()
    other = CommitmentFactory(number=9, title_fr="Engagement déplacé")
    plan_page = reverse("commitments:plan_detail", kwargs={"code": other.plan.code})
    old_plan_page = reverse(
        "commitments:plan_detail", kwargs={"code": activity.commitment.plan.code}
    )
    assert "Engagement déplacé" in text(client.get(plan_page))
    text(client.get(old_plan_page))
    other.plan = activity.commitment.plan
    other.number = 10
    committed(other.save)
    assert "Engagement déplacé" not in text(client.get(plan_page))
    assert "Engagement déplacé" in text(client.get(old_plan_page))


@pytest.mark.django_db
def test_an_institution_saved_changes_every_plans_pages(activity, committed):
    client = Client()
    text(client.get(page(activity.commitment)))
    institution = activity.commitment.lead_institution
    institution.name_fr = "Ministère renommé"
    committed(institution.save)
    assert "Ministère renommé" in text(client.get(page(activity.commitment)))


@pytest.mark.django_db
def test_a_visitor_with_a_session_is_not_served_from_the_cache(activity, django_assert_num_queries):
    client = Client()
    text(client.get(page(activity.commitment)))
    client.cookies["sessionid"] = "unknown"
    html = text(client.get(page(activity.commitment)))
    assert "ETag" not in client.get(page(activity.commitment))
    assert html


@pytest.mark.django_db
def test_a_page_from_the_cache_carries_the_visitors_own_csrf_token(activity):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    text(first.get(page(activity.commitment)))
    html = text(second.get(page(activity.commitment)))
    assert "__page_cache_csrf_token__" not in html
    token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', html)
    assert token and "csrftoken" in second.cookies
    follow = second.post(
        reverse("notifications:follow"),
        {"csrfmiddlewaretoken": token[1], "email": "a@example.org", "target": "x"},
    )
    assert follow.status_code != 403


@pytest.mark.django_db
def test_an_import_shows_on_the_next_request(activity, secretariat, committed):
    from commitments.imports import plan_import
    from commitments.spreadsheets import export_csv, read_table

    plan = activity.commitment.plan
    client = Client()
    text(client.get(page(activity.commitment)))
    rows = read_table("plan.csv", export_csv(plan))
    for row in rows:
        if row["activity_title_fr"] == "Atelier de lancement":
            row["progress"], row["activity_status"] = "35", "in_progress"
    report = committed(plan_import, plan=plan, rows=rows, author=secretariat, dry_run=False)
    assert report.progress_updates == 1
    assert "35&nbsp;%" in text(client.get(page(activity.commitment)))


@pytest.mark.django_db
def test_a_meeting_held_and_its_minutes_published_show_on_the_next_request(activity, committed):
    from meetings.services import meeting_hold, minutes_publish
    from tests.meetings.factories import MeetingFactory

    meeting = MeetingFactory(plan=activity.commitment.plan)
    client = Client()
    with translation.override("en"):
        listing, detail = reverse("meetings:list"), reverse("meetings:detail", args=[meeting.pk])
    before = text(client.get(listing))
    assert client.get(detail).status_code == 404  # the public sees published minutes only
    committed(meeting_hold, meeting=meeting, user=None)
    committed(minutes_publish, meeting=meeting, user=None)
    assert detail in text(client.get(listing)) and detail not in before
    assert client.get(detail).status_code == 200


@pytest.mark.django_db
def test_a_report_published_shows_on_the_next_request(activity, committed):
    from reports.models import Report, ReportVersion
    from reports.services import report_stage_change

    plan = activity.commitment.plan
    report = Report.objects.create(
        plan=plan, title_fr="Rapport d'autoévaluation", title_en="Annual review of the plan",
        period_start=plan.start_date, period_end=plan.end_date, stage=Report.Stage.VALIDATED,
    )  # fmt: skip
    report.validated_version = ReportVersion.objects.create(
        report=report, language="fr", status=ReportVersion.Status.READY, pdf="reports/v.pdf"
    )
    report.save()
    client = Client()
    with translation.override("en"):
        listing, detail = reverse("reports:list"), reverse("reports:detail", args=[report.pk])
    assert "Annual review of the plan" not in text(client.get(listing))
    assert client.get(detail).status_code == 404  # the public sees it once published
    committed(report_stage_change, report=report, stage=Report.Stage.PUBLISHED, user=None)
    assert "Annual review of the plan" in text(client.get(listing))
    assert client.get(detail).status_code == 200


# The early answer ---------------------------------------------------------------------------------


HEADERS = (
    "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
    "Cross-Origin-Opener-Policy", "X-Frame-Options", "Content-Language", "Content-Type",
    "ETag", "Last-Modified", "Cache-Control",
)  # fmt: skip


def same_cookies(made, kept) -> None:
    """The same cookies, with the same attributes (their values are each visitor's)."""
    assert set(kept.cookies) == set(made.cookies)

    def flags(cookie) -> dict[str, str]:
        return {key: value for key, value in cookie.items() if key != "expires"}

    for name, cookie in made.cookies.items():
        assert flags(kept.cookies[name]) == flags(cookie)


KINDS = {
    "a plan's page in Arabic, with a form": lambda activity: (page(activity.commitment, "ar"), {}),
    "a plan's page in English": lambda activity: (page(activity.commitment, "en"), {}),
    "the API list, ?lang=": lambda activity: (f"{api_list()}?lang=en", {}),
    "the API list, Accept-Language": lambda activity: (api_list(), {"HTTP_ACCEPT_LANGUAGE": "ar"}),
    "an open-data file (no language in its path)": lambda activity: (
        "/open-data/data/activities.csv",
        {"HTTP_ACCEPT_LANGUAGE": "en"},
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_a_page_from_the_cache_has_the_headers_of_a_page_made_by_the_view(activity, kind):
    """Answered before the session, language, common and CSRF middleware, a page from the
    cache has the headers the whole chain gives a page made by the view: the same security,
    CSP, framing and language headers, the same Vary, its own length, the same cookies."""
    path, headers = KINDS[kind](activity)
    made, kept = (Client().get(path, **headers) for _ in range(2))
    assert made.status_code == kept.status_code == 200
    assert "ETag" in kept and kept["ETag"] == made["ETag"]
    names = [name for name in HEADERS if name in made]
    assert {name: kept.get(name) for name in names} == {name: made.get(name) for name in names}
    assert {"Content-Security-Policy", "Content-Language", "ETag", "Cache-Control"} <= set(names)
    assert kept["Vary"] == made["Vary"] and "Cookie" in kept["Vary"]
    assert kept["Content-Length"] == str(len(kept.content))
    same_cookies(made, kept)


@pytest.mark.django_db
def test_a_page_from_the_cache_is_answered_before_the_session_middleware(activity, monkeypatch):
    """A hit costs none of the middleware it does not need (docs/caching.md): the session's
    does nothing for a visitor without a session cookie."""
    from django.contrib.sessions.middleware import SessionMiddleware

    Client().get(page(activity.commitment))
    opened = []
    process_request = SessionMiddleware.process_request
    monkeypatch.setattr(
        SessionMiddleware,
        "process_request",
        lambda self, request: opened.append(request.path) or process_request(self, request),
    )
    assert Client().get(page(activity.commitment))["ETag"]
    assert opened == []
    Client().get(reverse("commitments:home") + "?not-cached-yet")
    assert opened  # a page made by the view goes through it


@pytest.mark.django_db
def test_a_malformed_csrf_cookie_is_replaced_on_a_page_from_the_cache_as_on_a_made_one(
    activity, django_assert_num_queries, hit_queries
):
    """CsrfViewMiddleware gives a visitor whose cookie is not a token a new one: so does a hit,
    page with a form or not."""

    def malformed() -> Client:
        client = Client()
        client.cookies["csrftoken"] = "not a token!"
        return client

    for path in (page(activity.commitment), api_list()):
        made = malformed().get(path)
        Client().get(path)  # kept in the cache
        with django_assert_num_queries(hit_queries):
            kept = malformed().get(path)
        assert made.status_code == kept.status_code == 200 and kept["ETag"] == made["ETag"]
        same_cookies(made, kept)
        assert kept.cookies["csrftoken"].value not in ("", "not a token!")


@pytest.mark.django_db
def test_a_host_not_allowed_is_refused_before_the_cache_answers(activity, settings):
    assert Client().get(page(activity.commitment)).status_code == 200
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    assert Client().get(page(activity.commitment)).status_code == 400


@pytest.mark.django_db
def test_a_nul_byte_is_refused_before_the_cache_answers(activity):
    path = page(activity.commitment)
    assert Client().get(path).status_code == 200
    assert Client().get(path + "?q=%00").status_code == 400
    assert Client().get(path + "?q=%00").status_code == 400


@pytest.mark.django_db
def test_each_visitor_gets_a_token_of_their_own_that_django_accepts(activity):
    from django.middleware.csrf import _unmask_cipher_token

    text(Client().get(page(activity.commitment)))
    tokens, secrets = set(), set()
    for _ in range(3):
        client = Client()
        html = text(client.get(page(activity.commitment)))
        token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', html)[1]
        secret = client.cookies["csrftoken"].value
        assert len(token) == 64 and _unmask_cipher_token(token) == secret
        tokens.add(token), secrets.add(secret)
    assert len(tokens) == len(secrets) == 3


@pytest.mark.django_db
def test_a_visitor_with_a_csrf_cookie_keeps_its_secret(activity):
    from django.middleware.csrf import _unmask_cipher_token

    text(Client().get(page(activity.commitment)))
    client = Client()
    client.cookies["csrftoken"] = "a" * 32
    html = text(client.get(page(activity.commitment)))
    token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', html)[1]
    assert _unmask_cipher_token(token) == "a" * 32


@pytest.mark.django_db
def test_a_304_from_the_cache_carries_the_security_headers(activity):
    client = Client()
    etag = client.get(page(activity.commitment))["ETag"]
    response = client.get(page(activity.commitment), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response["ETag"] == etag
    assert response["Content-Security-Policy"] and response["X-Content-Type-Options"]


@pytest.mark.redis_page_cache("the versions are in Redis only there")
@pytest.mark.django_db
def test_a_version_lost_from_redis_never_brings_back_an_old_page(activity, committed, settings):
    """Evicted or flushed, a scope's version is made anew by the next reader, never a value
    used before: the page is made again, with the data as it is now."""
    settings.PAGE_CACHE_VERSION_LEASE = 0  # a process holding no lease on the lost versions
    client = Client()
    before = client.get(page(activity.commitment))
    cache.delete_many([pagecache.version_key(scope) for scope in ("global", "any")])
    cache.delete(pagecache.version_key(f"plan:{activity.commitment.plan.code}"))
    activity.commitment.title_fr = "Titre changé sans bump"
    activity.commitment.save()  # never committed: no bump, only the lost version
    after = client.get(page(activity.commitment))
    assert "Titre changé sans bump" in text(after) and after["ETag"] != before["ETag"]


@pytest.mark.redis_page_cache("the versions are in Redis only there")
@pytest.mark.django_db
def test_a_write_reaches_a_page_kept_in_redis(activity, committed):
    """The write's bump removes the versions from Redis, in the same place as the pages."""
    client = Client()
    text(client.get(page(activity.commitment)))
    key = pagecache.version_key(f"plan:{activity.commitment.plan.code}")
    assert cache.get(key) is not None
    activity.title_fr = "Atelier déplacé"
    committed(activity.save)
    assert cache.get(key) is None
    assert "Atelier déplacé" in text(client.get(page(activity.commitment)))


def test_the_recent_pages_of_a_process_stay_within_their_bytes_and_their_versions():
    from django.http import HttpResponse

    recent = pagecache.RecentPages(limit=25_000)
    for number in range(3):
        recent.put(f"page:{number}", (("any=a",), HttpResponse(b"x" * 10_000), None))
    assert recent.size <= 25_000 and recent.get("page:0", ("any=a",)) is None  # the oldest
    assert recent.get("page:2", ("any=a",))[1].content == b"x" * 10_000
    assert recent.get("page:2", ("any=b",)) is None  # made at other versions
    first, second = recent.get("page:2", ("any=a",)), recent.get("page:2", ("any=a",))
    assert first[1] is not second[1]  # each request its own response to add headers to


@pytest.mark.django_db
def test_the_open_data_files_come_from_the_cache_until_a_write(
    activity, committed, django_assert_num_queries, hit_queries
):
    client = Client()
    path = "/open-data/data/activities.csv"
    assert "Atelier de lancement" in text(client.get(path))
    with django_assert_num_queries(hit_queries):
        again = client.get(path)
    assert "Atelier de lancement" in text(again)
    assert again["Access-Control-Allow-Origin"] == "*"
    activity.title_fr = "Atelier de clôture"
    committed(activity.save)
    assert "Atelier de clôture" in text(client.get(path))


@pytest.mark.redis_page_cache("only a shared cache can be out of reach")
@pytest.mark.django_db
def test_a_cache_that_cannot_be_reached_leaves_the_pages_to_the_view(
    activity, settings, committed, caplog
):
    """Redis down: every page is made by the view (never a 500), and a write still commits;
    the failed removal of its versions is logged (docs/caching.md says what it means)."""
    with socket.socket() as unused:  # a port nothing listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    settings.CACHES = {
        "default": {"BACKEND": "ogp_portal.cache.RedisCache",
                    "LOCATION": f"redis://127.0.0.1:{port}/0"},
    }  # fmt: skip
    for _ in range(2):
        assert "Atelier de lancement" in text(Client().get(page(activity.commitment)))
        assert Client().get(api_list()).status_code == 200
    activity.title_fr = "Atelier par temps de panne"
    committed(activity.save)
    assert "Atelier par temps de panne" in text(Client().get(page(activity.commitment)))
    assert "the page cache could not be reached" in caplog.text


# Leases on the versions ------------------------------------------------------------------------


def test_a_lease_is_trusted_until_it_ends_and_no_longer():
    leases = pagecache.Leases()
    leases.put("plan:PAN", ("token", None), until=10.0)
    assert leases.get("plan:PAN", now=9.99) == ("token", None)
    assert leases.get("plan:PAN", now=10.0) is None
    assert leases.get("any", now=0.0) is None
    leases.end(["plan:PAN"])
    assert leases.get("plan:PAN", now=0.0) is None


@pytest.fixture
def redis_reads(monkeypatch):
    """The reads this process sends to Redis (get_many: the versions)."""
    from ogp_portal.cache import RedisCacheClient

    sent = []
    get_many = RedisCacheClient.get_many
    monkeypatch.setattr(
        RedisCacheClient, "get_many", lambda self, keys: sent.append(keys) or get_many(self, keys)
    )
    return sent


@pytest.mark.redis_page_cache("the versions are in Redis only there")
@pytest.mark.django_db
def test_a_process_holding_a_lease_serves_pages_without_asking_redis(
    activity, settings, committed, redis_reads
):
    settings.PAGE_CACHE_VERSION_LEASE = 60
    client = Client()
    text(client.get(page(activity.commitment)))
    redis_reads.clear()
    assert client.get(page(activity.commitment))["ETag"]
    assert client.get(page(activity.commitment, "ar"))["ETag"]
    assert redis_reads == []
    activity.title_fr = "Atelier reporté"
    committed(activity.save)  # this process's own write ends its leases at once
    assert "Atelier reporté" in text(client.get(page(activity.commitment)))
    assert len(redis_reads) == 1


@pytest.mark.redis_page_cache("only the versions in Redis are leased")
@pytest.mark.django_db
def test_a_bump_makes_its_writer_wait_until_every_lease_on_the_old_versions_has_ended(
    activity, settings, committed, monkeypatch
):
    """A lease is taken before its read is sent and lasts PAGE_CACHE_VERSION_LEASE; the bump
    removes the versions, then its writer waits as long, once, before it goes on."""
    waits = []
    key = pagecache.version_key(f"plan:{activity.commitment.plan.code}")
    monkeypatch.setattr(
        pagecache.time, "sleep", lambda seconds: waits.append((seconds, cache.get(key)))
    )
    text(Client().get(page(activity.commitment)))
    pagecache.wait_for_every_process()
    assert waits == []  # nothing written
    activity.title_fr = "Atelier avancé"
    committed(activity.save)
    pagecache.wait_for_every_process()
    pagecache.wait_for_every_process()
    [(seconds, version)] = waits
    assert 0 < seconds <= settings.PAGE_CACHE_VERSION_LEASE and version is None


@pytest.mark.redis_page_cache("only the versions in Redis are leased")
@pytest.mark.django_db(transaction=True)
def test_a_request_that_writes_returns_once_every_lease_has_ended(
    activity, secretariat, settings, monkeypatch
):
    """Through the middleware, with real commits: the admin's save commits and bumps, and its
    response waits; the page read after it shows the change."""
    secretariat.is_superuser = True
    secretariat.save()
    listing = reverse("commitments:institution_list")
    assert "Agence renommée" not in text(Client().get(listing))
    waits = []
    monkeypatch.setattr(pagecache.time, "sleep", waits.append)
    staff = Client()
    staff.force_login(secretariat)
    change = reverse(
        "admin:commitments_institution_change", args=[activity.commitment.lead_institution.pk]
    )
    form = staff.get(change).context["adminform"].form
    assert waits == []
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    response = staff.post(change, {**data, "name_fr": "Agence renommée"})
    assert response.status_code == 302, response.content.decode()[:2000]
    [seconds] = waits
    assert 0 < seconds <= settings.PAGE_CACHE_VERSION_LEASE
    assert "Agence renommée" in text(Client().get(listing))


@pytest.mark.django_db
def test_a_reports_laid_out_parts_bump_nothing(committed):
    """No public page shows them, and a report writes them by the hundred."""
    from documents.models import LaidOutPart
    from portal.models import PageVersion

    before = list(PageVersion.objects.values_list("scope", "version"))
    committed(LaidOutPart.objects.create, owner="report:1:fr", key="0" * 64, layout={})
    assert list(PageVersion.objects.values_list("scope", "version")) == before
