"""What every app's views share: the permission guard, the status of a form page, the text of a
validation error, and a safe place to go back to. Depends on no app of the portal."""

from __future__ import annotations

from typing import Any

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


# The largest value an integer column holds on every database the portal runs on.
MAX_ID = 2**31 - 1


def positive_int(value: str | None) -> int | None:
    """``value`` as a whole number from 0 to MAX_ID, or None: "²" and "٣" pass ``str.isdigit``
    but are no number a query may use, and a 30-digit number overflows the database."""
    if value is None or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= MAX_ID else None
