"""Settings for the test suite: the production settings with fast substitutes where allowed.

DATABASE_URL and CELERY_BROKER_URL still apply, so CI runs the suite on PostgreSQL and Redis.
"""

from .settings import *  # noqa: F403
from .settings import STORAGES, VAR_DIR

# A fast hasher: the suite creates many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# whitenoise's manifest storage needs collectstatic; tests use the plain storage.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

MEDIA_ROOT = VAR_DIR / "test-media"

# Unit tests run tasks in-process; the smoke tests in tests/test_services.py switch this off and
# go through the real broker to a real worker, on a queue of their own.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = "ogp_portal_test"

# django-axes needs the request in authenticate(), which the test client's login() does not
# pass; tests/commitments/test_auth.py switches it on to test throttling through the login page.
AXES_ENABLED = False
