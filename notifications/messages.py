"""The kinds of notification that belong to no domain: the confirmation of a follow."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import kinds
from .models import Follow, Notification


def describe_follow_confirm(notification: Notification) -> kinds.Message:
    from .services import confirm_token

    follow: Follow = notification.target  # type: ignore[assignment]
    return kinds.Message(
        subject=_("Confirm that you want to follow %(target)s") % {"target": follow.target},
        body=_(
            "Someone, probably you, asked to receive by e-mail the news of %(target)s on the "
            "Open Government Portal. Open this link within a week to confirm; if it was not "
            "you, do nothing and you will receive nothing more."
        )
        % {"target": follow.target},
        url=reverse("notifications:follow_confirm", args=[confirm_token(follow)]),
    )


def register() -> None:
    kinds.register(
        kinds.Kind(
            key="follow_confirm",
            label=gettext_lazy("Confirmation of a follow"),
            describe=describe_follow_confirm,
            audience="address",
        )
    )
