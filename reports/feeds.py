"""The Atom feed of published self-assessment reports: a report enters it when published and
stays once transmitted to the OGP, dated by its latest such step; a draft under consultation is
public on its page but is not a published report."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F, Max, Min, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from ogp_portal.feeds import FEED_ITEMS, AtomFeed, FeedLink, tag_uri

from .models import Report

PUBLISHED_STAGES = (Report.Stage.PUBLISHED, Report.Stage.TRANSMITTED)


def published_reports() -> QuerySet[Report]:
    """Published or transmitted reports, newest step first, each with the moment it was first
    published and that of its latest step (its creation when no step was recorded)."""
    steps = Q(stage_changes__stage__in=PUBLISHED_STAGES)
    return (
        Report.objects.filter(stage__in=PUBLISHED_STAGES)
        .annotate(
            published_at=Coalesce(
                Min(
                    "stage_changes__changed_at",
                    filter=Q(stage_changes__stage=Report.Stage.PUBLISHED),
                ),
                F("created_at"),
            ),
            stepped_at=Coalesce(Max("stage_changes__changed_at", filter=steps), F("created_at")),
        )
        .select_related("plan", "validated_version")
        .order_by("-stepped_at", "-pk")
    )


class ReportsFeed(AtomFeed):
    """Every published self-assessment report."""

    description_template = "reports/_report_feed_entry.html"

    def title(self) -> str:
        return _("Self-assessment reports")

    def subtitle(self) -> str:
        return _("The self-assessment reports of the action plans, once published.")

    def link(self) -> str:
        return reverse("reports:list")

    def items(self) -> QuerySet[Report]:
        return published_reports()[:FEED_ITEMS]

    def item_title(self, item: Report) -> str:
        return item.title

    def item_guid(self, item: Report) -> str:
        return tag_uri(item.created_at.date(), f"/reports/{item.pk}")

    def item_guid_is_permalink(self, item: Report) -> bool:
        return False

    def item_pubdate(self, item: Any) -> datetime.datetime:
        return item.published_at

    def item_updateddate(self, item: Any) -> datetime.datetime:
        return item.stepped_at

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        request: HttpRequest = kwargs["request"]
        return {"report": kwargs["item"], "base": f"{request.scheme}://{request.get_host()}"}


def reports_feed_link() -> FeedLink:
    return FeedLink(url=reverse("reports:feed"), title=ReportsFeed().title())
