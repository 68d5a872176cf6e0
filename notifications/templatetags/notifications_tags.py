from typing import Any

from django import template
from django.db import models

from ..forms import FollowForm

register = template.Library()


@register.inclusion_tag("notifications/_follow_form.html")
def follow_form(target: models.Model) -> dict[str, Any]:
    """The form to follow ``target`` (a plan, a commitment) by e-mail."""
    return {
        "follow_form": FollowForm(initial={"target": f"{target._meta.label_lower}:{target.pk}"})
    }


@register.inclusion_tag("notifications/_latest.html", takes_context=True)
def latest_notifications(context: template.Context, limit: int = 5) -> dict[str, Any]:
    """The person's latest unread notifications, for the workspace and the secretariat's pages."""
    from ..models import Notification
    from ..services import describe

    user = context["request"].user
    rows = Notification.objects.filter(user=user, read_at__isnull=True).prefetch_related("target")
    return {"entries": [(n, describe(n)) for n in rows[:limit]]}
