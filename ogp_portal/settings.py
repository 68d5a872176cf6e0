"""Settings for the OGP Portal.

One module for every environment, driven by environment variables. The defaults work on a bare
machine: SQLite, a Celery broker on the local filesystem and e-mail printed to the console.
Production sets DATABASE_URL (PostgreSQL), CELERY_BROKER_URL (Redis), SECRET_KEY, DEBUG=0 and
ALLOWED_HOSTS.
"""

import os
import re
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OGP_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_rate(name: str, default: str) -> str | None:
    """A request rate for DRF ("60/minute"), or None for "off": no limit."""
    value = (os.environ.get(name) or default).strip()
    if value == "off":
        return None
    if not re.fullmatch(r"[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)", value):
        raise RuntimeError(f"{name} must be a rate such as 60/minute or 1000/hour, or off.")
    return value


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before django.contrib.admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules",
    "csp",
    "ogp_portal.apps.AxesConfig",
    "concurrency",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "ogp_portal.apps.PeriodicTasksConfig",
    "documents",
    "limits",
    "notifications",
    "commitments",
    "meetings",
    "reports",
    "cocreation",
    "portal",
]

MIDDLEWARE = [
    # First: /healthz answers whatever the host, the scheme or the session.
    "ogp_portal.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Right after the static files: a page from the cache skips the rest, doing itself what
    # it needs of the session, language, common and CSRF middleware (docs/caching.md).
    "portal.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is known, so that its 400 page speaks it.
    "ogp_portal.middleware.RefuseNulBytesMiddleware",
    "ogp_portal.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns lockouts into a page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ogp_portal.urls"
WSGI_APPLICATION = "ogp_portal.wsgi.application"

# Forms: a field group, its label and the plain inputs written in Python (ogp_portal/widgets.py).
FORM_RENDERER = "ogp_portal.widgets.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ogp_portal.context_processors.language_links",
                "notifications.context_processors.unread",
            ],
            # {% colon %}, |label, |punctuate, |join_list and |subject in every template: the
            # punctuation each language writes where a template joins words (ogp_portal.grammar).
            "builtins": ["ogp_portal.grammar_tags", "ogp_portal.content_tags"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several requests and the Celery worker share the file. WAL lets readers and one writer
    # work side by side; IMMEDIATE takes the write lock when a transaction starts, so a
    # transaction that read never has to upgrade to writing (SQLite refuses that at once with
    # "database is locked" when another writer is busy); both wait up to SQLITE_TIMEOUT seconds.
    # synchronous=NORMAL is WAL's usual companion: a power cut may lose the last commits, never
    # the file's consistency.
    _sqlite_timeout = int(os.environ.get("SQLITE_TIMEOUT", "20"))
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=_sqlite_timeout,
        transaction_mode="IMMEDIATE",
        init_command=(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA busy_timeout={_sqlite_timeout * 1000};"
        ),
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A server that does not answer fails a request (and /healthz) in seconds, not minutes;
    # DATABASE_URL's ?connect_timeout= overrides it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: French is the default, Arabic (right to left) and English are complete alternatives.
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["ogp_portal.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Africa/Casablanca")
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)
# The admin's translation tabs need jQuery UI, which modeltranslation loads from a CDN by
# default: the portal serves its own copy (the Content-Security-Policy allows no other host).
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development whitenoise serves from the app folders; production runs collectstatic first.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"
# Uploaded evidence and generated PDFs go through Django's storage API only: local files under
# MEDIA_ROOT by default (one machine, or a volume every machine mounts), or an S3-compatible
# object store shared by every web and worker machine (STORAGE_BACKEND=s3, the "s3" extra:
# pip install '.[s3]'). Files stay private: evidence and PDFs are served by permission-checked
# views, never by the store's own URLs. See docs/deployment.md.
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local").strip().lower() or "local"
if STORAGE_BACKEND == "local":
    _default_storage: dict[str, object] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE_BACKEND == "s3":
    _s3_options = {
        "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
        "location": os.environ.get("AWS_LOCATION", ""),
        "default_acl": None,  # the bucket's own policy: private
        "querystring_auth": True,
        "file_overwrite": False,
    }
    if not _s3_options["bucket_name"]:
        raise RuntimeError("STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME.")
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
else:
    raise RuntimeError("STORAGE_BACKEND must be local or s3.")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "ogp_portal.storage.CompressedManifestStorage"
        )
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portail-ogp@localhost")
# Where the accessibility statement (/<lang>/accessibility/) asks people to report a problem.
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", DEFAULT_FROM_EMAIL)
# The portal's public address, for links in e-mails sent outside a request (reminders).
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")
# The open-data package (/<lang>/open-data/, docs/open-data.md): its licence, as a Data
# Package licence (an SPDX id, the licence's address, its title), and who publishes it (the
# DCAT catalogue's publisher; CONTACT_EMAIL is its contact point).
OPEN_DATA_LICENSE = {
    "name": os.environ.get("OPEN_DATA_LICENSE_NAME", "CC-BY-4.0"),
    "path": os.environ.get(
        "OPEN_DATA_LICENSE_PATH", "https://creativecommons.org/licenses/by/4.0/"
    ),
    "title": os.environ.get(
        "OPEN_DATA_LICENSE_TITLE", "Creative Commons Attribution 4.0 International"
    ),
}
OPEN_DATA_PUBLISHER = os.environ.get(
    "OPEN_DATA_PUBLISHER", "Open Government Partnership secretariat"
)
# Notifications (docs/notifications.md): digests go at this hour, local time (daily; weekly on
# Mondays); the secretariat hears of submitted updates at most every N minutes, in one mail.
NOTIFICATION_DIGEST_HOUR = int(os.environ.get("NOTIFICATION_DIGEST_HOUR", "7"))
NOTIFY_SUBMITTED_EVERY_MINUTES = int(os.environ.get("NOTIFY_SUBMITTED_EVERY_MINUTES", "60"))
FOLLOW_REQUESTS_PER_HOUR = int(os.environ.get("FOLLOW_REQUESTS_PER_HOUR", "5"))
# Reminders of deadlines, this many days before: a committee's decision, the report's sheets.
DECISION_DUE_SOON_DAYS = int(os.environ.get("DECISION_DUE_SOON_DAYS", "7"))
SHEET_DEADLINE_SOON_DAYS = int(os.environ.get("SHEET_DEADLINE_SOON_DAYS", "7"))

# Behind a TLS-terminating proxy in production. HTTPS_ONLY=1, once the site is served over
# HTTPS alone, redirects plain HTTP and sends HSTS for a year, subdomains and preload included
# (docs/security.md); each part can still be set on its own. The health check stays on HTTP,
# where compose asks it inside its network: HealthCheckMiddleware answers it before
# SecurityMiddleware redirects anything.
HTTPS_ONLY = env_bool("HTTPS_ONLY", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS_ONLY)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 365 * 24 * 3600 * HTTPS_ONLY))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS_ONLY)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS_ONLY)
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)

# Content-Security-Policy (django-csp): the portal's own files only, no inline script or style
# (templates and scripts hold none), no plugin, no framing. The API docs page widens img-src
# alone, on that view (ogp_portal/api_urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Celery: Redis in production; with no broker configured, kombu's filesystem transport, so a
# real worker runs on a bare machine without any service.
CELERY_DATA_DIR = Path(os.environ.get("CELERY_DATA_DIR", VAR_DIR / "celery"))
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
    }
    _default_result_backend = f"file://{CELERY_DATA_DIR / 'results'}"
    for _folder in ("queue", "control", "results"):
        (CELERY_DATA_DIR / _folder).mkdir(parents=True, exist_ok=True)
else:
    _default_result_backend = CELERY_BROKER_URL
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", _default_result_backend)

# The cache holds the API's request counts (throttling). Redis when CACHE_URL is set, by default
# the Redis broker's, so that every gunicorn worker sees the same counts; without Redis, the
# process's memory (runserver, one process). A short timeout: when Redis does not answer, the
# API goes on unthrottled rather than waiting (ogp_portal.throttling).
CACHE_URL = os.environ.get(
    "CACHE_URL",
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else "",
)
CACHES = {
    "default": (
        {
            "BACKEND": "ogp_portal.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ogp"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Sessions in the database by default (every machine sees them); "cached_db" adds the Redis
# cache in front. A session held only in a cache that lives in one process would log people out
# at random behind several workers: the deploy checks refuse it (portal/checks.py).
SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.db")
# Public pages and API reads kept in CACHES until a write changes them (docs/caching.md), at
# most this long (a new day renders them afresh anyway).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
# With Redis, a process trusts the versions it has read for this long, and a write waits as
# long before its request returns, so that no process still trusts the old ones (seconds).
PAGE_CACHE_VERSION_LEASE = float(os.environ.get("PAGE_CACHE_VERSION_LEASE", "0.05"))
CELERY_INCLUDE = ["ogp_portal.tasks"]
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "ogp_portal")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A report is laid out by parts, each task's memory small, but Python keeps what hundreds of
# layouts took: a worker process above 250 MB is replaced after its task, so the next (the
# assembly of a 500-commitment report, say) starts afresh (make bench-report).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(os.environ.get("CELERY_WORKER_MAX_MEMORY_KB", "250000"))
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A running generation (a report, minutes) writes a heartbeat this often; silent for four
# heartbeats (a minute) it is taken to be dead, shown as stalled, and sent again.
GENERATION_HEARTBEAT_SECONDS = float(os.environ.get("GENERATION_HEARTBEAT_SECONDS", "15"))
# Sending a task never keeps a request waiting: two short attempts, then the generation stays
# queued on its row and beat's recovery sends it once the broker answers (docs/reports.md).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5
}  # fmt: skip
# Redis: connecting gives up after 2 s; a message taken by a worker and not yet acknowledged
# (tasks are acknowledged late) goes back to the queue after visibility_timeout, which must
# outlast the longest task, or another worker would start a task that is still running.
REDIS_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
    "socket_connect_timeout": 2,
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 5 * 60,
}
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "commitments:workspace"
LOGOUT_REDIRECT_URL = "commitments:home"
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Login throttling: after AXES_FAILURE_LIMIT failures for one username from one address, the
# pair is locked out for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "ogp_portal.views.locked_out"
# Reverse proxies in front of the site (AXES_PROXY_COUNT, docs/security.md): each appends the
# address it saw to X-Forwarded-For, so the client's is read that many places from the right.
# 0 (no proxy) trusts no header; left at 0 behind a proxy, every login seems to come from the
# proxy, and one attacker's failures lock a username out for everyone.
REVERSE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "ogp_portal.viewutils.client_address"

# Evidence attached to progress updates: kept under MEDIA_ROOT, never served as static files,
# downloaded only through a permission-checked view.
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_MB", "10")) * 1024 * 1024
# Spreadsheet imports: the upload's size, and the rows and columns read before the import stops
# with a message (a file's declared dimension is never trusted).
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_MB", "5")) * 1024 * 1024
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "10000"))
IMPORT_MAX_COLUMNS = 100
# Zip-based uploads (office documents, XLSX): ceilings on what the archive declares, checked
# before anything is decompressed.
ZIP_MAX_ENTRIES = 5000
ZIP_MAX_DECLARED_BYTES = 200 * 1024 * 1024
# Proposals one sender may send through the public co-creation form in an hour, and comments on
# a report (the public by address, committee members by account); counted under a row lock, so
# simultaneous requests cannot pass together (limits.services.sender_take).
COCREATION_PROPOSALS_PER_HOUR = int(os.environ.get("COCREATION_PROPOSALS_PER_HOUR", "5"))
REPORT_COMMENTS_PER_HOUR = int(os.environ.get("REPORT_COMMENTS_PER_HOUR", "20"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

REST_FRAMEWORK = {
    # Token and session only: Basic authentication would let a NUL byte reach PostgreSQL.
    # Token first, so an anonymous write answers 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "ogp_portal.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Requests an address may make without an account, and an account with a token or session;
    # beyond, 429 with Retry-After. Counted in the cache (above).
    "DEFAULT_THROTTLE_CLASSES": [
        "ogp_portal.throttling.AnonRateThrottle",
        "ogp_portal.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_THROTTLE_ANON", "60/minute"),
        "user": env_rate("API_THROTTLE_USER", "600/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "OGP Portal API",
    "DESCRIPTION": (
        "National action plans, commitments, activities and their progress. Reads are public; "
        "writes need a token or a session. Choose the content language with ?lang=fr|ar|en "
        "or the Accept-Language header."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ogp_portal.api.add_error_responses",
    ],
    # Swagger UI served from the portal itself, not from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ActivityStatusEnum": "commitments.models.Activity.Status",
        "CommitmentStatusEnum": "commitments.models.Commitment.Status",
        "PlanStatusEnum": "commitments.models.Plan.Status",
        "CompletionLevelEnum": "commitments.progress.CompletionLevel",
        "UpdateStateEnum": "commitments.models.ProgressUpdate.State",
    },
}

CELERY_BEAT_SCHEDULE = {
    # Every minute: the digests that are due, and the mails a lost message left unsent.
    "deliver-notifications": {
        "task": "notifications.deliver_due",
        "schedule": 60,
    },
    # Daily: the sending limits' buckets whose windows have ended (the senders' hashes go).
    "purge-sender-buckets": {
        "task": "limits.purge_sender_buckets",
        "schedule": 24 * 3600,
    },
    "staleness-reminders": {
        "task": "commitments.send_staleness_reminders",
        "schedule": 24 * 3600,
    },
    # Mondays, with the weekly digests: the commitments still stale after their reminder.
    "escalations": {
        "task": "commitments.send_escalations",
        "schedule": crontab(minute=0, hour=NOTIFICATION_DIGEST_HOUR, day_of_week=1),
    },
    # Daily at the digest hour: decisions due soon or overdue, sheets near their deadline.
    "decision-reminders": {
        "task": "meetings.send_decision_reminders",
        "schedule": crontab(minute=0, hour=NOTIFICATION_DIGEST_HOUR),
    },
    "sheet-reminders": {
        "task": "reports.send_sheet_reminders",
        "schedule": crontab(minute=0, hour=NOTIFICATION_DIGEST_HOUR),
    },
    # Hourly: the consultations that opened today.
    "consultation-announcements": {
        "task": "reports.announce_consultations",
        "schedule": 3600,
    },
    # Every minute: a generation queued while the broker was down, or whose worker died, is
    # sent within a minute or two.
    "recover-report-versions": {
        "task": "reports.recover_report_versions",
        "schedule": 60,
    },
    "recover-minutes-versions": {
        "task": "meetings.recover_minutes_versions",
        "schedule": 60,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
