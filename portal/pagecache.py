"""Public pages and API reads served from Django's cache, and made afresh after any write.

Every cached page is keyed by the version of its scope (``PageVersion`` rows): a plan's pages
by "global" and "plan:<code>", every other page by "any". A save or delete of any model of the
domain apps (whatever the road: a service, an import, the admin, a translation) bumps, once its
transaction commits, "any" and the plan the row belongs to, or "global" when it belongs to no
single plan. The versions live in the database, so a write in a Celery worker or another web
process is seen by all of them whatever the cache backend; the cached bodies live in the cache
(Redis in production, the process's memory otherwise). The same versions give the ETag and
Last-Modified, so a browser's conditional GET is a 304. See docs/caching.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from commitments.models import Activity, Axis, Commitment, Plan

from .models import PageVersion

ANY, GLOBAL = "any", "global"
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{32,})"')
CSRF_MARK = b"__page_cache_csrf_token__"

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
    """Move each scope to a new version (each scope its own statement: no lock is held)."""
    now = timezone.now()
    for scope in sorted(scopes):
        moved = PageVersion.objects.filter(scope=scope).update(
            version=F("version") + 1, changed_at=now
        )
        if not moved:
            PageVersion.objects.bulk_create(
                [PageVersion(scope=scope, changed_at=now)], ignore_conflicts=True
            )


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
    with their originals, nor the models of migrations, which are other classes)."""
    for model in apps.get_models():
        if model._meta.app_label not in WATCHED_APPS or hasattr(model, "instance_type"):
            continue
        uid = f"pagecache:{model._meta.label}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through  # type: ignore[attr-defined]
            m2m_changed.connect(_m2m, sender=through, dispatch_uid=f"{uid}:{field.name}")
    for model in MOVABLE:
        pre_save.connect(_moving, sender=model, dispatch_uid=f"pagecache:move:{model}")


# Reads ----------------------------------------------------------------------------------------


def cacheable(request: HttpRequest) -> bool:
    """Anonymous GETs of the listed pages, with nothing of their own: no session (so no
    login, no pending message in it), no message cookie, no credentials."""
    match = request.resolver_match
    return (
        getattr(settings, "PAGE_CACHE_ENABLED", True)
        and request.method in ("GET", "HEAD")
        and match is not None
        and match.view_name in PLAN_PAGES | SITE_PAGES
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def scopes_of(request: HttpRequest) -> list[str]:
    match = request.resolver_match
    if match is not None and match.view_name in PLAN_PAGES:
        return [GLOBAL, f"plan:{match.kwargs['code']}"]
    return [ANY]


class Page:
    """One request's cache key, ETag and Last-Modified, from the versions of its scopes."""

    def __init__(self, request: HttpRequest) -> None:
        scopes = scopes_of(request)
        rows = PageVersion.objects.filter(scope__in=scopes).values_list(
            "scope", "version", "changed_at"
        )
        versions = {scope: (version, changed_at) for scope, version, changed_at in rows}
        today = timezone.localdate()
        # Pages say "N days ago": a new day is a new version.
        midnight = timezone.make_aware(dt.datetime.combine(today, dt.time()))
        parts = [
            request.resolver_match.view_name if request.resolver_match else "",
            request.path,
            request.META.get("QUERY_STRING", ""),
            get_language() or "",
            request.META.get("HTTP_ACCEPT", "") if request.path.startswith("/api/") else "",
            request.META.get("HTTP_HX_REQUEST", ""),
            request.META.get("HTTP_HX_TARGET", ""),
            today.isoformat(),
            *(f"{scope}={versions.get(scope, '')}" for scope in scopes),
        ]
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        self.key = f"page:{digest}"
        self.etag = f'"{digest[:32]}"'
        self.last_modified = max([midnight, *(at for _, at in versions.values())])
        self.expires = min(
            getattr(settings, "PAGE_CACHE_SECONDS", 3600),
            int((midnight + dt.timedelta(days=1) - timezone.now()).total_seconds()) + 1,
        )

    def headers(self, response: HttpResponseBase) -> HttpResponseBase:
        response["ETag"] = self.etag
        response["Last-Modified"] = http_date(self.last_modified.timestamp())
        # Kept by browsers, asked again each time: the answer is then a 304.
        response["Cache-Control"] = "no-cache"
        patch_vary_headers(response, ["Cookie"])
        return response

    def stored(self, request: HttpRequest) -> HttpResponse | None:
        entry = cache.get(self.key)
        if entry is None:
            return None
        status, headers, content = entry
        if CSRF_MARK in content:
            # This visitor's own token, as the page's forms would have had it (and the cookie).
            content = content.replace(CSRF_MARK, get_token(request).encode())
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response

    def store(self, request: HttpRequest, response: HttpResponseBase) -> None:
        if _personal(request, response):
            return
        assert isinstance(response, HttpResponse)
        content = response.content
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            # A form's token (the follow form on a plan's pages): kept as a mark, filled in
            # for each visitor; a token used anywhere else keeps the page out of the cache.
            tokens = set(CSRF_INPUT.findall(content))
            if len(tokens) != 1:
                return
            content = content.replace(tokens.pop(), CSRF_MARK)
        headers = [(name, value) for name, value in response.items() if name != "Content-Length"]
        cache.set(self.key, (response.status_code, headers, content), self.expires)


def _personal(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether the response holds or sets anything of this visitor's, or is not a page."""
    messages = getattr(request, "_messages", None)
    session = getattr(request, "session", None)
    return (
        response.status_code != 200
        or response.streaming
        or bool(response.cookies)
        or bool(session is not None and session.modified)
        or bool(messages is not None and getattr(messages, "added_new", False))
        or "private" in response.get("Cache-Control", "")
        or "no-store" in response.get("Cache-Control", "")
    )


class PageCacheMiddleware:
    """Last in MIDDLEWARE: what it keeps is the view's answer, before the outer middleware add
    their headers (security, CSP, language), which they add again to an answer from the cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        page = getattr(request, "page_cache", None)
        if page is None:
            return response
        page.store(request, response)
        return page.headers(response)

    def process_view(
        self, request: HttpRequest, view: Callable, args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        if not cacheable(request):
            return None
        page = Page(request)
        not_modified = get_conditional_response(
            request, etag=page.etag, last_modified=int(page.last_modified.timestamp())
        )
        if not_modified is not None:
            return page.headers(not_modified)
        response = page.stored(request)
        if response is not None:
            return page.headers(response)
        request.page_cache = page  # type: ignore[attr-defined]
        return None
