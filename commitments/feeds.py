"""Atom feeds of the validated progress updates of a plan and of one commitment: what the public
pages show, newest validation first; an update waiting for validation, returned or superseded is
never in them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from ogp_portal.feeds import FEED_ITEMS, AtomFeed, FeedLink, tag_uri
from ogp_portal.i18n import fallback_language

from .history import person
from .models import Commitment, Plan, ProgressUpdate


def public_updates() -> QuerySet[ProgressUpdate]:
    """Validated updates, each dated by the moment it became public (its validation, or its
    recording when it counted at once), with what an entry shows in a constant number of
    queries."""
    return (
        ProgressUpdate.objects.validated()
        .annotate(public_at=Coalesce("reviewed_at", "created_at"))
        .select_related("activity__commitment__plan", "author")
        .prefetch_related("evidence")
        .order_by("-public_at", "-pk")
    )


class UpdatesFeed(AtomFeed):
    description_template = "commitments/_update_feed_entry.html"

    def item_title(self, item: ProgressUpdate) -> str:
        values = {
            "activity": item.activity.title,
            "old": item.old_progress,
            "new": item.new_progress,
        }
        if item.changes_figure:
            return _("%(activity)s: %(old)s %% → %(new)s %%") % values
        return _("%(activity)s: figure confirmed at %(new)s %%") % values

    def item_link(self, item: ProgressUpdate) -> str:
        return f"{item.activity.get_absolute_url()}#update-{item.pk}"

    def item_guid(self, item: ProgressUpdate) -> str:
        return tag_uri(item.created_at.date(), f"/progress-updates/{item.pk}")

    def item_guid_is_permalink(self, item: ProgressUpdate) -> bool:
        return False

    def item_pubdate(self, item: ProgressUpdate) -> Any:
        return item.created_at

    def item_updateddate(self, item: Any) -> Any:
        return item.public_at

    def item_author_name(self, item: ProgressUpdate) -> str | None:
        return person(item.author) or None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        request: HttpRequest = kwargs["request"]
        return {"update": kwargs["item"], "base": f"{request.scheme}://{request.get_host()}"}


class PlanUpdatesFeed(UpdatesFeed):
    """The validated updates of every commitment of a plan."""

    def get_object(self, request: HttpRequest, code: str) -> Plan:
        return Plan.objects.get(code=code)

    def title(self, obj: Plan) -> str:
        return _("%(plan)s: progress updates") % {"plan": obj.title}

    def subtitle(self, obj: Plan) -> str:
        return _("The validated progress updates of the plan's commitments.")

    def link(self, obj: Plan) -> str:
        return reverse("commitments:plan_detail", args=[obj.code])

    def items(self, obj: Plan) -> QuerySet[ProgressUpdate]:
        return public_updates().filter(activity__commitment__plan=obj)[:FEED_ITEMS]


class CommitmentUpdatesFeed(UpdatesFeed):
    """The validated updates of one commitment's activities."""

    def get_object(self, request: HttpRequest, code: str, number: int) -> Commitment:
        return Commitment.objects.select_related("plan").get(plan__code=code, number=number)

    def title(self, obj: Commitment) -> str:
        return _("%(number)s. %(commitment)s: progress updates") % {
            "number": obj.number,
            "commitment": obj.title,
        }

    def subtitle(self, obj: Commitment) -> str:
        return _("The validated progress updates of the commitment's activities.")

    def link(self, obj: Commitment) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Commitment) -> QuerySet[ProgressUpdate]:
        return public_updates().filter(activity__commitment=obj)[:FEED_ITEMS]


def plan_feed_link(plan: Plan) -> FeedLink:
    url = reverse("commitments:plan_feed", args=[plan.code])
    title = PlanUpdatesFeed().title(plan)
    return FeedLink(url=url, title=title, language=fallback_language(plan, "title"))


def commitment_feed_link(commitment: Commitment) -> FeedLink:
    url = reverse("commitments:feed", args=[commitment.plan.code, commitment.number])
    title = CommitmentUpdatesFeed().title(commitment)
    return FeedLink(url=url, title=title, language=fallback_language(commitment, "title"))
