import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes' lockout page: what happened, how long to wait, and the way out."""
    cool_off = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    now = timezone.now()
    context = {"wait": timeuntil(now + cool_off, now)}
    return render(request, "registration/locked_out.html", context, status=429)
