"""Who someone is on the portal, before any object is involved: the secretariat (members of the
"secretariat" group, and superusers). Models' access scopes and the permissions both use it."""

from __future__ import annotations

import rules
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db.models import Q, QuerySet

SECRETARIAT_GROUP = "secretariat"

User = AuthUser | AnonymousUser


@rules.predicate
def is_secretariat(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_secretariat", None)
    if cached is None:
        cached = user.groups.filter(name=SECRETARIAT_GROUP).exists()
        user._is_secretariat = cached  # type: ignore[union-attr,attr-defined]
    return bool(cached)


def secretariat_users() -> QuerySet[AuthUser]:
    """The active people ``is_secretariat`` is true of: those told of the secretariat's work."""
    return AuthUser.objects.filter(
        Q(groups__name=SECRETARIAT_GROUP) | Q(is_superuser=True), is_active=True
    ).distinct()
