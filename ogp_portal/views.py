import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.views import defaults
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from .celery import app as celery_app

logger = logging.getLogger(__name__)

# Seconds /healthz waits for the broker; the database's own connect_timeout is in settings.
HEALTH_TIMEOUT = 2


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes' lockout page: what happened, how long to wait, and the way out."""
    cool_off = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    now = timezone.now()
    context = {"wait": timeuntil(now + cool_off, now)}
    return render(request, "registration/locked_out.html", context, status=429)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: JSON under /api/, like every other API answer; the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


FAVICON = settings.BASE_DIR / "static" / "favicon.ico"


@cache_control(max_age=86400, public=True)
@require_safe
def favicon(request: HttpRequest) -> FileResponse:
    """``/favicon.ico``, which browsers and feed readers ask for whatever the page says."""
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Compose's healthcheck (bin/healthcheck): 200 when the database and the broker answer,
    503 naming the part that does not. ``HealthCheckMiddleware`` serves it before the host is
    checked, so that it answers inside the container whatever ALLOWED_HOSTS says."""
    parts = {"database": database_answers(), "broker": broker_answers()}
    healthy = all(parts.values())
    body = {"status": "ok" if healthy else "failing"}
    body.update({part: "ok" if up else "unreachable" for part, up in parts.items()})
    return JsonResponse(body, status=200 if healthy else 503)


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        # One line, no traceback: the healthcheck asks every few seconds.
        logger.warning("healthz: the database does not answer: %s", error)
        return False
    return True


def broker_answers() -> bool:
    try:
        with celery_app.connection_for_write(connect_timeout=HEALTH_TIMEOUT) as broker:
            broker.ensure_connection(max_retries=0, timeout=HEALTH_TIMEOUT)
    except Exception as error:  # whatever the transport raises, the broker is unreachable
        logger.warning("healthz: the broker does not answer: %s", error)
        return False
    return True
