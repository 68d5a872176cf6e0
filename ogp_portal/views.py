import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.views import defaults


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
