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
