"""The API's request rates: an address without an account (API_THROTTLE_ANON), an account with a
token or a session (API_THROTTLE_USER); beyond, 429 with Retry-After. The rest of the suite runs
unthrottled (settings_test); these tests set the rates."""

import os
import sys
import time
import uuid

import pytest
import redis
import requests
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.processes import production_env, serving

pytestmark = pytest.mark.django_db

URL = "/api/v1/institutions/"


@pytest.fixture
def rates(settings):
    """Set the rates for the test, in a cache that starts empty."""
    cache.clear()

    def set_rates(anon: str | None = None, user: str | None = None) -> None:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user},
        }

    return set_rates


def test_an_address_beyond_the_anonymous_rate_gets_429_with_retry_after(rates):
    rates(anon="3/minute")
    client = APIClient()
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(URL)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "detail" in response.json()
    assert APIClient(REMOTE_ADDR="192.0.2.44").get(URL).status_code == 200  # someone else


def test_a_token_is_counted_by_its_account_not_its_address(rates, focal_point):
    rates(anon="100/minute", user="2/minute")
    token = Token.objects.create(user=focal_point)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 429]
    assert int(client.get(URL)["Retry-After"]) > 0
    assert APIClient().get(URL).status_code == 200  # the same address without the token


def test_an_address_without_an_account_is_held_to_the_anonymous_rate_alone(rates):
    """The account rate counts accounts only: DRF's UserRateThrottle would also count an
    anonymous address, at the account rate, capping API_THROTTLE_ANON at API_THROTTLE_USER."""
    rates(anon="5/minute", user="2/minute")
    client = APIClient()
    assert [client.get(URL).status_code for _ in range(6)] == [200] * 5 + [429]


def test_a_forged_forwarded_for_header_does_not_open_a_new_count(rates):
    """Without a proxy (AXES_PROXY_COUNT=0) the address is the connection's, whatever the
    client writes in X-Forwarded-For."""
    rates(anon="2/minute")
    statuses = [
        APIClient(HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").get(URL).status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_behind_one_proxy_the_address_it_saw_is_counted(rates, settings):
    rates(anon="1/minute")
    settings.REVERSE_PROXY_COUNT = 1  # AXES_PROXY_COUNT=1
    assert APIClient(HTTP_X_FORWARDED_FOR="198.51.100.1").get(URL).status_code == 200
    assert APIClient(HTTP_X_FORWARDED_FOR="198.51.100.2").get(URL).status_code == 200
    forged = APIClient(HTTP_X_FORWARDED_FOR="192.0.2.99, 198.51.100.1")  # the proxy appended
    assert forged.get(URL).status_code == 429


def test_the_api_answers_unthrottled_when_the_cache_does_not(rates, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    rates(anon="1/minute")
    assert [APIClient().get(URL).status_code for _ in range(2)] == [200, 200]


# Across processes ---------------------------------------------------------------------------------


def redis_url() -> str:
    for name in ("CACHE_URL", "CELERY_BROKER_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("redis://", "rediss://")):
            return url
    pytest.skip("needs Redis (CACHE_URL or a Redis CELERY_BROKER_URL; CI sets one)")


@pytest.mark.django_db(False)
def test_every_gunicorn_worker_counts_in_the_same_redis(tmp_path):
    """Two gunicorn workers, the count in Redis: an address gets the rate once, not once per
    worker. The access log says which worker answered each request."""
    url = redis_url()
    redis.Redis.from_url(url).ping()
    env = production_env(
        tmp_path,
        CACHE_URL=url,
        CACHE_KEY_PREFIX=f"test-throttle-{uuid.uuid4().hex}",
        API_THROTTLE_ANON="5/minute",
    )
    command = [
        sys.executable, "-m", "gunicorn", "ogp_portal.wsgi", "--workers", "2",
        "--bind", "127.0.0.1:{port}", "--access-logfile", str(tmp_path / "access.log"),
        "--access-logformat", "%(p)s %(s)s",
    ]  # fmt: skip
    with serving(env, command, tmp_path / "gunicorn.log") as base:
        statuses = []
        for _ in range(30):  # a new connection each time, so that either worker may take it
            # The schema: an API answer that needs no database, so none is set up.
            response = requests.get(
                f"{base}/api/schema/", headers={"Connection": "close"}, timeout=30
            )
            statuses.append(response.status_code)
            if response.status_code == 429:
                assert int(response.headers["Retry-After"]) > 0
            if len(workers_in(tmp_path / "access.log")) == 2 and len(statuses) >= 10:
                break
    assert len(workers_in(tmp_path / "access.log")) == 2, "one worker took every request"
    assert statuses.count(200) == 5, statuses
    assert set(statuses) == {200, 429}


def workers_in(access_log) -> set[str]:
    time.sleep(0.05)  # the worker writes its line after answering
    lines = access_log.read_text().split("\n") if access_log.exists() else []
    return {line.split()[0] for line in lines if line.strip()}
