"""Deploy checks: nothing the site remembers between requests lives in one process.

Behind several gunicorn workers or machines, a cache held in a process's memory (or a machine's
files) gives each its own API request counts and its own cached pages, and a session kept only
there logs people out when the next request reaches another worker. Sessions, login attempts
(django-axes) and sending limits (limits) are in the database; the cache must be Redis (or
another shared server) in production. Run by ``manage.py check --deploy``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.filebased.FileBasedCache",
    "django.core.cache.backends.dummy.DummyCache",
}
CACHE_SESSIONS = {
    "django.contrib.sessions.backends.cache",
    "django.contrib.sessions.backends.file",
    "django.contrib.sessions.backends.signed_cookies",
}


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    per_process = [
        alias
        for alias, cache in settings.CACHES.items()
        if cache.get("BACKEND") in PER_PROCESS_CACHES
    ]
    return [
        Warning(
            f"The cache {alias!r} lives in one process or machine: each worker would keep its "
            "own API request counts and cached pages.",
            hint="Set CACHE_URL (or a redis:// CELERY_BROKER_URL) to a Redis server.",
            id="portal.W001",
        )
        for alias in per_process
    ]


@register(Tags.security, deploy=True)
def check_shared_sessions(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    engine = settings.SESSION_ENGINE
    if engine not in CACHE_SESSIONS:
        return []
    return [
        Warning(
            f"SESSION_ENGINE {engine!r} does not keep sessions in the database: behind several "
            "workers or machines they are lost, or (signed cookies) cannot be ended server-side.",
            hint="Use django.contrib.sessions.backends.db (the default) or cached_db.",
            id="portal.W002",
        )
    ]
