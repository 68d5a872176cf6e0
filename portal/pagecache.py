"""Public pages and API reads served from Django's cache, and made afresh after any write.

Every cached page is keyed by the version of its scope (``PageVersion`` rows): a plan's pages
by "global" and "plan:<code>", every other page by "any". A save or delete of any model of the
domain apps (whatever the road: a service, an import, the admin, a translation) bumps, once its
transaction commits, "any" and the plan the row belongs to, or "global" when it belongs to no
single plan. With a shared cache (Redis, production) the versions are tokens kept in it beside
the pages, removed by a bump and made anew by the next reader, so that a page from the cache
costs one round trip to Redis and none to the database; with a cache of one process, the rows
in the database, where a write in a Celery worker is seen. The same versions give the ETag and
Last-Modified, so a browser's conditional GET is a 304. The middleware sits right after
WhiteNoise: a hit skips the rest of the chain and the view, doing itself, with their own
methods, what it needs of the language, common and CSRF middleware; the outer middleware still
add their headers. A shared cache that cannot be reached leaves every page to the view. See
docs/caching.md.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import hashlib
import logging
import os
import pickle
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from celery.signals import task_postrun
from django.apps import apps
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache
from django.db import models, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.common import CommonMiddleware
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, CsrfViewMiddleware
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from commitments.models import Activity, Axis, Commitment, Plan
from ogp_portal.cache import UNREACHABLE
from ogp_portal.middleware import has_nul_byte, use_api_language

from .checks import PER_PROCESS_CACHES
from .models import PageVersion

logger = logging.getLogger(__name__)
ANY, GLOBAL = "any", "global"
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{32,})"')
# In the key: pages kept in another shape (by an earlier release) are never read.
ENTRY_FORMAT = 3
CSRF_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
# A random byte stands for CSRF_ALLOWED_CHARS[byte % 62], unless it is one of the last
# 256 % 62 values, which would make the first characters likelier: those are dropped.
CSRF_BYTES = bytes(ord(CSRF_ALLOWED_CHARS[b % len(CSRF_ALLOWED_CHARS)]) for b in range(256))
CSRF_BIASED = bytes(range(256 - 256 % len(CSRF_ALLOWED_CHARS), 256))

# The pages of one plan: keyed by that plan's version and the global one.
PLAN_PAGES = frozenset(
    {
        "commitments:plan_detail",
        "commitments:axis_detail",
        "commitments:detail",
        "commitments:activity_detail",
    }
)
# Every other public page and API read: keyed by the version of the whole site.
SITE_PAGES = frozenset(
    {
        "commitments:home",
        "commitments:institution_list",
        "commitments:institution_detail",
        "commitments:methodology",
        "meetings:list",
        "meetings:detail",
        "meetings:committees",
        "meetings:timelines",
        "meetings:timeline",
        "reports:list",
        "reports:detail",
        "cocreation:index",
        "cocreation:process",
        "cocreation:proposal",
        "cocreation:statistics",
        # A plan's repository too: it lists the meetings of an earlier plan that agreed the
        # timeline of this plan's co-creation, whose writes bump only their own plan.
        "portal:repository",
        "portal:plan_repository",
        "portal:open_data",
        "opendata:datapackage",
        "opendata:resource",
        "opendata:zip",
        "opendata:catalog",
        *(
            f"{name}-{kind}"
            for name in ("plan", "commitment", "activity", "update", "institution", "meeting")
            for kind in ("list", "detail")
        ),
        "report-list",
        "report-detail",
    }
)
# The apps whose rows the public pages show; "auth" for the names of people.
WATCHED_APPS = frozenset({"auth", "commitments", "meetings", "reports", "cocreation", "documents"})
# Of those, rows no public page shows: a report's laid-out parts, written by the hundred.
UNWATCHED = frozenset({"documents.LaidOutPart"})
# Rows that carry their plan, or a row that does: (attribute, model it points to).
PLAN_LINKS: tuple[tuple[str, type[models.Model]], ...] = (
    ("plan_id", Plan),
    ("commitment_id", Commitment),
    ("activity_id", Activity),
)
# The models whose moving to another row changes which plan they belong to.
MOVABLE = {Axis: "plan_id", Commitment: "plan_id", Activity: "commitment_id"}


# Writes ---------------------------------------------------------------------------------------


class _Pending(threading.local):
    """What the transactions of this thread have changed and not yet bumped."""

    def __init__(self) -> None:
        self.rows: set[tuple[type[models.Model], int]] = set()
        self.everything = False


_pending = _Pending()


def changed(row: models.Model | None) -> None:
    """Note that ``row`` changed (None: something no single plan owns); bump on commit.
    With the cache off nothing is kept, so there is nothing to bump."""
    if not getattr(settings, "PAGE_CACHE_ENABLED", True):
        return
    link = _plan_link(row) if row is not None else None
    if link is None:
        _pending.everything = True
    else:
        _pending.rows.add(link)
    # One callback a write, each flushing everything pending: a callback dropped with a
    # rolled-back savepoint never leaves a later write unbumped.
    transaction.on_commit(flush)


def _plan_link(row: models.Model) -> tuple[type[models.Model], int] | None:
    if isinstance(row, Plan):
        return None  # its name and code show on every plan's pages
    for attribute, model in PLAN_LINKS:
        value = getattr(row, attribute, None)
        if value is not None:
            return model, value
    return None


def flush_discard() -> None:
    """Forget what is pending (for tests, whose set-up writes never commit)."""
    _pending.rows, _pending.everything = set(), False


def flush() -> None:
    rows, everything = _pending.rows, _pending.everything
    _pending.rows, _pending.everything = set(), False
    if not rows and not everything:
        return
    codes = _plan_codes(rows)
    scopes = {ANY, GLOBAL} if everything or codes is None else {ANY, *codes}
    bump(scopes)


def _plan_codes(rows: set[tuple[type[models.Model], int]]) -> set[str] | None:
    """The codes of the plans the rows belong to; None when one of them is gone."""
    paths = {Plan: "pk", Commitment: "commitments", Activity: "commitments__activities"}
    codes: set[str] = set()
    for model, path in paths.items():
        ids = {pk for kind, pk in rows if kind is model}
        if ids:
            found = Plan.objects.filter(**{f"{path}__in": ids}).values_list(path, "code")
            if {pk for pk, _ in found} != ids:
                return None
            codes.update(f"plan:{code}" for _, code in found)
    return codes


def bump(scopes: Iterable[str]) -> None:
    """Move each scope to a new version (each scope its own statement: no lock is held), in
    the database and, removed there, in a shared cache (the next reader makes a new one)."""
    now = timezone.now()
    for scope in sorted(scopes):
        moved = PageVersion.objects.filter(scope=scope).update(
            version=F("version") + 1, changed_at=now
        )
        if not moved:
            PageVersion.objects.bulk_create(
                [PageVersion(scope=scope, changed_at=now)], ignore_conflicts=True
            )
    try:
        cache.delete_many([version_key(scope) for scope in scopes])
    except UNREACHABLE as error:
        # Committed all the same; the pages kept before may be served until they expire.
        logger.error("the page cache could not be reached to bump %s: %s", sorted(scopes), error)
        return
    _leases.end(cache.make_key(version_key(scope)) for scope in scopes)
    if shared_cache() and version_lease() > 0:
        # Every lease on the old versions, in any process, ends within this: the writer's
        # request (or task, or command) waits until then before it returns.
        _writer.until = time.monotonic() + version_lease()


class _Writer(threading.local):
    """When the last bump of this thread is seen by every process."""

    until = 0.0


_writer = _Writer()


def wait_for_every_process() -> None:
    """Wait, once this thread's writes have bumped versions, until every process's lease on
    the old ones has ended (see Leases): called before a request's response goes back, when a
    Celery task ends, and when a command's process exits. At once when nothing was bumped."""
    until, _writer.until = _writer.until, 0.0
    remaining = until - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)


def _saved(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if sender._meta.label == "auth.User" and set(kwargs.get("update_fields") or ()) == {
        "last_login"
    }:
        return
    changed(instance)


def _deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    changed(instance)


def _moving(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """A row moved to another plan changes the pages of the plan it leaves."""
    attribute = MOVABLE[sender]
    fields = kwargs.get("update_fields")
    if instance._state.adding or kwargs.get("raw") or (fields and attribute[:-3] not in fields):
        return
    before = sender._base_manager.filter(pk=instance.pk).values_list(attribute, flat=True)
    if list(before) != [getattr(instance, attribute)]:
        changed(None)


def _m2m(sender: type[models.Model], instance: models.Model, action: str, **kwargs: Any) -> None:
    if action.startswith("post_"):
        changed(instance)


def connect() -> None:
    """Listen to every model of the watched apps (not simple_history's copies, which change
    with their originals, nor the models of migrations, which are other classes), and wait for
    the leases at the end of each Celery task and of the process."""
    for model in apps.get_models():
        if (
            model._meta.app_label not in WATCHED_APPS
            or model._meta.label in UNWATCHED
            or hasattr(model, "instance_type")
        ):
            continue
        uid = f"pagecache:{model._meta.label}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through  # type: ignore[attr-defined]
            m2m_changed.connect(_m2m, sender=through, dispatch_uid=f"{uid}:{field.name}")
    for model in MOVABLE:
        pre_save.connect(_moving, sender=model, dispatch_uid=f"pagecache:move:{model}")
    task_postrun.connect(_task_ended, dispatch_uid="pagecache:task", weak=False)
    atexit.register(wait_for_every_process)


def _task_ended(**kwargs: Any) -> None:
    wait_for_every_process()


# Reads ----------------------------------------------------------------------------------------


class View(NamedTuple):
    """What a cached page's key and scopes need of its resolved URL."""

    name: str
    code: str  # the plan's, on a plan's pages


def anonymous_get(request: HttpRequest) -> bool:
    """An anonymous GET or HEAD with nothing of its own: no session (so no login, no pending
    message in it), no message cookie, no credentials."""
    return (
        getattr(settings, "PAGE_CACHE_ENABLED", True)
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


@functools.lru_cache(maxsize=4096)
def _view(urlconf: str, language: str, path: str) -> View | None:
    """The cached view a path resolves to, remembered: resolving costs a page from the cache
    a third of its time. By language too, as i18n_patterns resolve by the active one."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    if match.view_name in PLAN_PAGES:
        return View(match.view_name, match.kwargs["code"])
    return View(match.view_name, "") if match.view_name in SITE_PAGES else None


def scopes_of(view: View) -> list[str]:
    return [GLOBAL, f"plan:{view.code}"] if view.name in PLAN_PAGES else [ANY]


def shared_cache() -> bool:
    """Whether every process reads the same cache (Redis): the versions are then kept in it
    beside the pages, so that a page from the cache costs one round trip to it, none to the
    database. A cache of one process keeps only pages; their versions are read from the
    database, where a write in a Celery worker or another process is seen."""
    return settings.CACHES[DEFAULT_CACHE_ALIAS]["BACKEND"] not in PER_PROCESS_CACHES


def version_key(scope: str) -> str:
    return f"page-version:{scope}"


class Page:
    """One request's cache key; once looked up, the versions its stored page must have been
    made at, and the ETag and Last-Modified they give."""

    def __init__(self, request: HttpRequest, view: View) -> None:
        self.scopes = scopes_of(view)
        self.shared = shared_cache()
        self.today = timezone.localdate()  # pages say "N days ago": a new day, a new page
        self.midnight = timezone.make_aware(dt.datetime.combine(self.today, dt.time()))
        parts = [
            view.name,
            request.path,
            request.META.get("QUERY_STRING", ""),
            get_language() or "",
            request.META.get("HTTP_ACCEPT", "") if request.path.startswith("/api/") else "",
            request.META.get("HTTP_HX_REQUEST", ""),
            request.META.get("HTTP_HX_TARGET", ""),
            self.today.isoformat(),
        ]
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        self.key = f"page:{ENTRY_FORMAT}:{digest}"
        self.entry: tuple[tuple[str, ...], HttpResponse, tuple[bytes, ...] | None] | None = None

    def look_up(self) -> bool:
        """Read the versions and the stored page (one round trip to a shared cache); False
        when a version could not be read (a writer removed it as it was being made, or the
        shared cache cannot be reached: the page is then made by the view)."""
        try:
            versions = self._versions()
            if versions is None:
                return False
            self.stamp = tuple(
                f"{scope}={versions.get(scope, ('', 0))[0]}" for scope in self.scopes
            )
            digest = hashlib.sha256(f"{self.key}{self.stamp}".encode()).hexdigest()
            self.etag = f'"{digest[:32]}"'
            self.last_modified = max([self.midnight, *(at for _, at in versions.values())])
            self.entry = _recent.get(self.key, self.stamp) if self.shared else None
            if self.entry is None:
                self.entry = cache.get(self.key)
                if self.shared and self.entry is not None and self.entry[0] == self.stamp:
                    _recent.put(self.key, self.entry)
        except UNREACHABLE as error:
            logger.warning("the page cache could not be reached: %s", error)
            return False
        return True

    def _versions(self) -> dict[str, tuple[Any, dt.datetime]] | None:
        """The versions of the page's scopes: from the database with a cache of one process;
        with a shared cache, those this process holds a lease on, the others read (and leased)
        in one round trip. None when a version could not be made."""
        if not self.shared:
            rows = PageVersion.objects.filter(scope__in=self.scopes)
            return {scope: (version, at) for scope, version, at in rows.values_list(
                "scope", "version", "changed_at"
            )}  # fmt: skip
        now = time.monotonic()  # before the read is sent: a lease never outlasts a bump's wait
        versions = {}
        keys = {}  # scope: (its key, and its key in the cache, by which its lease is held)
        for scope in self.scopes:
            key = version_key(scope)
            held_by = cache.make_key(key)
            held = _leases.get(held_by, now)
            if held is None:
                keys[scope] = (key, held_by)
            else:
                versions[scope] = held
        if keys:
            found = cache.get_many([key for key, _ in keys.values()])
            for scope, (key, held_by) in keys.items():
                version = found.get(key) or _new_version(key)
                if version is None:
                    return None
                versions[scope] = version
                _leases.put(held_by, version, now + version_lease())
        return versions

    def not_modified(self, request: HttpRequest) -> HttpResponseBase | None:
        """A 304 when the browser holds this very page."""
        modified = int(self.last_modified.timestamp())
        response = get_conditional_response(request, etag=self.etag, last_modified=modified)
        return None if response is None else self.headers(response)

    def headers(self, response: HttpResponseBase) -> HttpResponseBase:
        response["ETag"] = self.etag
        response["Last-Modified"] = http_date(self.last_modified.timestamp())
        # Kept by browsers, asked again each time: the answer is then a 304.
        response["Cache-Control"] = "no-cache"
        patch_vary_headers(response, ["Cookie"])
        return response

    def stored(self, request: HttpRequest) -> HttpResponse | None:
        """The stored page, if it was made at the current versions, its headers as stored."""
        if self.entry is None or self.entry[0] != self.stamp:
            return None
        _stamp, response, around_token = self.entry
        if around_token:
            # This visitor's own token, as the page's forms would have had it (and the cookie);
            # the page kept cut around it, so that its bytes are not searched again.
            response.content = csrf_token(request).encode().join(around_token)
        return response

    def store(self, request: HttpRequest, response: HttpResponseBase) -> None:
        """Keep the response with its headers (those of this page and of the middleware inside
        this one), as a plain HttpResponse, unless it holds anything of this visitor's."""
        if _personal(request, response):
            return
        assert isinstance(response, HttpResponse)
        content, around_token = response.content, None
        if settings.CSRF_COOKIE_NAME in response.cookies:
            # A form's token (the follow form on a plan's pages): the page is kept without it,
            # filled in for each visitor. A cookie set with no form's token in the page (a
            # token used elsewhere, or a visitor's malformed cookie replaced) keeps it out.
            tokens = set(CSRF_INPUT.findall(content))
            if len(tokens) != 1:
                return
            around_token, content = tuple(content.split(tokens.pop())), b""
        headers = {name: value for name, value in response.items() if name != "Content-Length"}
        kept = HttpResponse(content, status=response.status_code, headers=headers)
        expires = min(
            getattr(settings, "PAGE_CACHE_SECONDS", 3600),
            int((self.midnight + dt.timedelta(days=1) - timezone.now()).total_seconds()) + 1,
        )
        try:
            cache.set(self.key, (self.stamp, kept, around_token), expires)
        except UNREACHABLE as error:
            logger.warning("the page cache could not be reached: %s", error)
            return
        if self.shared:
            _recent.put(self.key, (self.stamp, kept, around_token))


class RecentPages:
    """The pages this process last served from a shared cache, as it keeps them (pickled):
    read from the process's memory when their versions, read from the cache at each request,
    still match, so that a page of 150 KB is not carried from Redis at each request. At most
    ``limit`` bytes; the least recently used go first. Locked, for threaded workers."""

    def __init__(self, limit: int) -> None:
        self.limit, self.size = limit, 0
        self.pages: OrderedDict[str, tuple[tuple[str, ...], bytes]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, stamp: tuple[str, ...]) -> Any:
        with self.lock:
            kept = self.pages.get(key)
            if kept is None or kept[0] != stamp:
                return None
            self.pages.move_to_end(key)
        return pickle.loads(kept[1])  # a response of its own for each request

    def put(self, key: str, entry: tuple[tuple[str, ...], HttpResponse, Any]) -> None:
        data = pickle.dumps(entry, pickle.HIGHEST_PROTOCOL)
        with self.lock:
            if key in self.pages:
                self.size -= len(self.pages.pop(key)[1])
            self.pages[key] = (entry[0], data)
            self.size += len(data)
            while self.size > self.limit:
                self.size -= len(self.pages.popitem(last=False)[1][1])


_recent = RecentPages(limit=32 * 1024 * 1024)


def version_lease() -> float:
    return float(getattr(settings, "PAGE_CACHE_VERSION_LEASE", 0.05))


class Leases:
    """The versions this process last read from a shared cache (by their key in it), each
    trusted, without asking the cache again, until its lease ends: ``version_lease()`` seconds
    from the moment the read was sent. A bump, once it has removed the versions from the cache,
    makes its writer wait as long before it goes on (``wait_for_every_process``): every lease
    taken before the removal, in any process, has then ended, so a request that starts after
    the write has returned reads the versions anew. A lease costs a write that long instead of
    costing each page from the cache a round trip."""

    def __init__(self) -> None:
        self.held: dict[str, tuple[float, Any]] = {}

    def get(self, key: str, now: float) -> Any:
        held = self.held.get(key)
        return held[1] if held is not None and now < held[0] else None

    def put(self, key: str, version: Any, until: float) -> None:
        self.held[key] = (until, version)

    def end(self, keys: Iterable[str]) -> None:
        for key in keys:
            self.held.pop(key, None)


_leases = Leases()


def _new_version(key: str) -> tuple[str, dt.datetime] | None:
    """A scope's version in a shared cache: made by the first reader after it was removed
    (by a write, or by the cache's eviction), and never a value used before, so no page
    stored before a write is served after it. Made now, so Last-Modified is never too old."""
    cache.add(key, (secrets.token_hex(8), timezone.now()), None)
    return cache.get(key)


def csrf_token(request: HttpRequest) -> str:
    """``django.middleware.csrf.get_token``, its random characters drawn in one call: Django
    draws each of the 64 with its own call to the system's generator, which costs more than
    all the rest of a page from the cache. The same secret and masked token, the same flags
    for CsrfViewMiddleware, which sets the cookie."""
    secret = request.META.get("CSRF_COOKIE") or _random_chars(CSRF_SECRET_LENGTH)
    request.META.update({"CSRF_COOKIE": secret, "CSRF_COOKIE_NEEDS_UPDATE": True})
    mask = _random_chars(CSRF_SECRET_LENGTH)
    chars, size = CSRF_ALLOWED_CHARS, len(CSRF_ALLOWED_CHARS)
    pairs = zip(secret, mask, strict=True)
    return mask + "".join(chars[(CSRF_INDEX[x] + CSRF_INDEX[y]) % size] for x, y in pairs)


def _random_chars(length: int) -> str:
    """``length`` characters of CSRF_ALLOWED_CHARS, uniformly drawn: of the random bytes, those
    below the largest multiple of the alphabet's size are kept, each standing for itself
    modulo that size (a translation table, so no Python loop runs over them)."""
    chars = b""
    while len(chars) < length:
        chars += os.urandom(2 * length).translate(CSRF_BYTES, CSRF_BIASED)
    return chars[:length].decode()


def _personal(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether the response holds or sets anything of this visitor's, or is not a page. The
    CSRF cookie is each visitor's, set on each hit: the page is kept without it."""
    messages = getattr(request, "_messages", None)
    session = getattr(request, "session", None)
    return (
        response.status_code != 200
        or response.streaming
        or bool(set(response.cookies) - {settings.CSRF_COOKIE_NAME})
        or bool(session is not None and session.modified)
        or bool(messages is not None and getattr(messages, "added_new", False))
        or "private" in response.get("Cache-Control", "")
        or "no-store" in response.get("Cache-Control", "")
    )


class PageCacheMiddleware:
    """Right after WhiteNoise: a page from the cache is answered before the rest of the chain
    (session, language, CommonMiddleware, CSRF, authentication, messages, the view's
    resolution again), yet has the headers a page made by the view has. The outer middleware
    (security, CSP) add theirs on the way back; of the skipped ones, what a hit needs is done
    by calling their own methods: LocaleMiddleware's choice of the language (and the API's
    ?lang=), CommonMiddleware's host check, CsrfViewMiddleware's reading of the visitor's
    secret and setting of the cookie, and Content-Length. The session's middleware has nothing
    to do for a visitor without a session cookie. What is kept is the page as the whole chain
    returns it, its language and Vary headers included, without the CSRF cookie, which is
    each visitor's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.locale = LocaleMiddleware(get_response)
        self.common = CommonMiddleware(get_response)
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            return self.answer(request)
        finally:
            wait_for_every_process()  # after a write: until no process serves the old pages

    def answer(self, request: HttpRequest) -> HttpResponseBase:
        view = self.view(request)
        if view is None:
            return self.get_response(request)
        page = Page(request, view)
        if not page.look_up():
            return self.get_response(request)
        not_modified = page.not_modified(request)
        if not_modified is not None:  # its language and Vary, as the view's 304 would have
            return self.on_the_way_out(request, self.locale.process_response(request, not_modified))
        hit = page.stored(request)
        if hit is not None:
            return self.on_the_way_out(request, hit)
        response = self.get_response(request)
        page.headers(response)
        page.store(request, response)
        return response

    def view(self, request: HttpRequest) -> View | None:
        """The cached view of an anonymous GET, once what the skipped middleware do before the
        view is done: the language active, the host checked (a host not allowed raises, as in
        CommonMiddleware: a 400), the visitor's CSRF secret read. None for a page that is not
        kept (the chain does the host and the secret then, once), or for a request the chain
        answers itself (a NUL byte, a redirect to www.)."""
        if not anonymous_get(request):
            return None
        self.locale.process_request(request)
        if has_nul_byte(request.path, request.META.get("QUERY_STRING", "")):
            return None
        use_api_language(request)
        urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
        view = _view(urlconf, get_language() or "", request.path_info)
        if view is None or self.common.process_request(request) is not None:
            return None
        self.csrf.process_request(request)
        return view

    def on_the_way_out(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        """The CSRF cookie (when the page holds a token, or the visitor's cookie was not one)
        and Content-Length, as CsrfViewMiddleware and CommonMiddleware add them."""
        return self.common.process_response(request, self.csrf.process_response(request, response))
