"""No 500 from input: every URL pattern of the portal, and every API list with every filter,
fetched with hostile values (NUL, a superscript digit, a huge number, an emoji, a 10 KB string),
as an anonymous visitor and as the secretariat, answers below 500."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from commitments.filters import ActivityFilter, CommitmentFilter

HOSTILE = ["\x00", "%00", "²", "9" * 30, "😀", "x" * 10_000, "-1", "1\x00"]
# For the walk over every page: the same cases, fewer requests (an emoji, a superscript digit and
# 10 KB in one value; a number no column holds; a NUL byte).
WALK = ["😀²" + "x" * 10_000, "9" * 30, "1\x00"]

API_LISTS = {
    "/api/v1/activities/": [*ActivityFilter.base_filters, "page", "page_size", "lang"],
    "/api/v1/commitments/": [*CommitmentFilter.base_filters, "page", "page_size", "lang"],
    "/api/v1/updates/": ["activity", "commitment", "state", "page", "page_size"],
    "/api/v1/plans/": ["page", "page_size", "lang"],
    "/api/v1/institutions/": ["kind", "page", "page_size"],
    "/api/v1/reports/": ["page", "page_size", "plan"],
    "/api/v1/meetings/": ["page", "page_size", "plan"],
}
PAGE_PARAMS = [
    "plan",
    "level",
    "axis",
    "institution",
    "q",
    "page",
    "next",
    "lang",
    "status",
    "state",
]


def patterns(resolver: URLResolver | None = None, prefix: str = ""):
    """Every URL pattern as a route string with its converters, e.g. ``plans/<str:code>/``."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from patterns(pattern, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield prefix + route


def concrete(route: str, value: str) -> str | None:
    """The route with every converter replaced by ``value`` (or by a small number where the
    converter only matches digits); None for regex routes and the admin, which Django guards."""
    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    if route.startswith(("admin/", "static/", "media/")) or "format" in route:
        return None
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(?:\w+:)?\w+>", value, route)
    route = re.sub(r"\(\?P<\w+>\[0-9\]\+\)", "1", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", value, route)
    return "/" + route


@pytest.fixture
def clients(demo):
    # Exceptions become 500 answers, so that one test lists every failing address.
    staff = Client(raise_request_exception=False)
    staff.force_login(User.objects.get(username="secretariat"))
    return {"anonymous": Client(raise_request_exception=False), "secretariat": staff}


OUR_APPS = (
    "commitments",
    "meetings",
    "cocreation",
    "reports",
    "documents",
    "portal",
    "notifications",
)


def walked(route: str) -> bool:
    """The portal's own pages, and the admin pages of its own models (the admin of Django's
    and the libraries' models is theirs to guard)."""
    if "admin/" not in route:
        return True
    return any(f"admin/{app}/" in route for app in OUR_APPS) or route.endswith("admin/")


def hostile_requests(route: str) -> set[tuple[str, str | None]]:
    """(address, value of every query parameter) for each hostile value: in the route's
    converters, and in the query of the plain address. A route without converters gives the
    same address for every value: it is asked for once."""
    plain = concrete(route, "1")
    requests = {(concrete(route, value), None) for value in WALK}
    if "admin/" not in route or route.endswith("add/"):
        requests |= {(plain, value) for value in WALK}
    return {(url, value) for url, value in requests if url is not None}


def test_every_page_answers_hostile_paths_and_queries_below_500(clients):
    routes = sorted(r for r in set(patterns()) if walked(r))
    assert len(routes) > 60
    failures = []
    for route in routes:
        for url, value in sorted(hostile_requests(route), key=str):
            query = dict.fromkeys(PAGE_PARAMS, value) if value is not None else {}
            for who, client in clients.items():
                if who == "anonymous" and "/admin/" in url:
                    continue  # the log-in page, whatever the address
                status = client.get(url, query).status_code
                if status >= 500:
                    failures.append((who, url[:80], repr((value or url)[:12]), status))
    assert failures == [], "\n".join(map(str, failures))


def test_every_api_filter_answers_hostile_values_below_500(clients):
    failures = []
    for who, client in clients.items():
        for url, params in API_LISTS.items():
            for param in params:
                for value in HOSTILE:
                    status = client.get(url, {param: value}).status_code
                    if status >= 500:
                        failures.append((who, url, param, repr(value[:12]), status))
    assert failures == [], "\n".join(map(str, failures))


def test_a_nul_byte_is_a_400_on_pages_and_api_alike(clients):
    anonymous = clients["anonymous"]
    assert anonymous.get("/fr/plans/%00/").status_code == 400
    assert anonymous.get("/fr/institutions/", {"plan": "\x00"}).status_code == 400
    response = anonymous.get("/api/v1/updates/", {"activity": "\x00"})
    assert response.status_code == 400 and "detail" in response.json()


def test_non_ascii_digits_are_not_numbers(clients):
    anonymous = clients["anonymous"]
    # The schema says the filter is an integer: "²" is none, a 400 naming the field.
    response = anonymous.get("/api/v1/updates/", {"activity": "²"})
    assert response.status_code == 400 and "activity" in response.json()
    assert anonymous.get("/api/v1/updates/", {"page_size": "²"}).status_code == 400
