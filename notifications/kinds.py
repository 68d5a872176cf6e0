"""The kinds of notification, declared by the domain apps in their ``AppConfig.ready``.

A kind says who may choose how to receive it (people with an account choose on their
preferences page; followers and proposals' authors can only stop it) and how one of its
notifications reads: ``describe`` is called at send time, and when the list is shown, with the
recipient's language active, so a mail is always written in the language the person reads.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models

from .models import Frequency

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

    from .models import Notification


@dataclass(frozen=True)
class Message:
    """What one notification says: a subject, a few lines, and the page to open."""

    subject: str
    body: str
    url: str


@dataclass(frozen=True)
class Kind:
    key: str
    label: StrOrPromise
    describe: Callable[[Notification], Message]
    # Who receives it: "account" (people who log in; they choose the frequency) or "address"
    # (followers, proposals' authors; they can stop it from the mail's link).
    audience: str = "account"
    default: str = Frequency.IMMEDIATE
    # At most one mail of this kind per recipient in this time (the others wait and go
    # together): the secretariat's digest of submitted updates.
    min_interval: Callable[[], datetime.timedelta | None] = field(default=lambda: None)


_KINDS: dict[str, Kind] = {}
_FOLLOWABLE: dict[str, type[models.Model]] = {}


def register(kind: Kind) -> Kind:
    """Declare ``kind``; two apps declaring the same key would answer each other's mails."""
    known = _KINDS.get(kind.key)
    if known is not None and known.describe is not kind.describe:
        raise ValueError(f"The notification kind {kind.key!r} is already registered.")
    _KINDS[kind.key] = kind
    return kind


def get(key: str) -> Kind:
    return _KINDS[key]


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.key)


def register_followable(model: type[models.Model]) -> None:
    """Let the public follow rows of ``model`` by e-mail (a plan, a commitment). The model's
    ``get_absolute_url`` is the page the follower is sent back to."""
    _FOLLOWABLE[model._meta.label_lower] = model


def followable(label: str) -> type[models.Model] | None:
    return _FOLLOWABLE.get(label)
