"""Settings for the test suite: the production settings with fast substitutes where allowed.

DATABASE_URL and CELERY_BROKER_URL still apply, so CI runs the suite on PostgreSQL and Redis.
"""

import os
from pathlib import Path

from .settings import *  # noqa: F403
from .settings import DATABASES, REST_FRAMEWORK, STORAGES, VAR_DIR

# A fast hasher: the suite creates many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# whitenoise's manifest storage needs collectstatic; tests use the plain storage.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "test-media"))

# On SQLite the test database is a file rather than memory, so that a real Celery worker
# (tests marked "services") can open the same database as the test.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}

# Unit tests run tasks in-process; the smoke tests in tests/test_services.py switch this off and
# go through the real broker to a real worker, on a queue of their own.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# One queue per pytest-xdist worker, so that two real workers started by tests running side by
# side never take each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = f"ogp_portal_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"

# The API is not throttled, so that the tests that hammer it (schemathesis, the hostile requests)
# are never refused; tests/test_api_throttling.py sets rates. The cache is each test process's
# own memory, even when CACHE_URL or a Redis broker is set, so that parallel test processes
# never share counts.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests run inside a transaction that never commits, so the page versions bumped on commit
# never move: the public pages are not cached, but in tests/test_page_cache.py, which runs the
# commits (django_capture_on_commit_callbacks) and switches the cache on.
PAGE_CACHE_ENABLED = False

# django-axes needs the request in authenticate(), which the test client's login() does not
# pass; tests/commitments/test_auth.py switches it on to test throttling through the login page.
AXES_ENABLED = False
