"""What every app's views share: the permission guard, the status of a form page, the text of a
validation error, a safe place to go back to, and the address a request comes from. Depends on
no app of the portal."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm, BaseFormSet
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def require_perm(request: HttpRequest, permission: str, obj: Any = None) -> None:
    """403 unless the user has ``permission`` (on ``obj``, for object rules)."""
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def form_status(form: BaseForm | BaseFormSet) -> int:
    """400 for a form sent back with errors (its page shows them next to the fields), else 200."""
    return 400 if form.is_bound and not form.is_valid() else 200


def error_text(error: ValidationError) -> str:
    """All the messages of a validation error, as one sentence for a page message."""
    return " ".join(error.messages)


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The ``next`` URL sent with the request when it stays on this site, else ``fallback``
    (``//other-host/`` and ``https://other-host/`` are refused: no open redirect)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else fallback


def client_address(request: HttpRequest) -> str | None:
    """The address of whoever sent the request (login throttling, the proposals' rate limit).
    Behind ``REVERSE_PROXY_COUNT`` proxies, the one the outermost proxy saw: each proxy appends
    to X-Forwarded-For, so that entry is trusted and whatever the client wrote to its left is
    not. A missing or malformed entry falls back to the connecting address."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.REVERSE_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote


# The largest value an integer column holds on every database the portal runs on.
MAX_ID = 2**31 - 1


def positive_int(value: str | None) -> int | None:
    """``value`` as a whole number from 0 to MAX_ID, or None: "²" and "٣" pass ``str.isdigit``
    but are no number a query may use, and a 30-digit number overflows the database."""
    if value is None or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= MAX_ID else None
