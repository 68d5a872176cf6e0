"""The Atom feed of published minutes: the meetings whose minutes the secretariat published, the
latest publication first; withdrawn minutes leave it, and a correction dates the entry anew."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Max, Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ogp_portal.feeds import FEED_ITEMS, AtomFeed, FeedLink, language, tag_uri

from .contexts import meeting_when
from .models import Decision, Meeting, MinutesVersion


def published_minutes() -> QuerySet[Meeting]:
    """Meetings with published minutes, with what an entry shows in a constant number of
    queries: the decisions the minutes list, the agenda, the corrections, and the newest ready
    PDF in the active language."""
    return (
        Meeting.objects.with_published_minutes()
        .annotate(corrected_at=Max("corrections__created_at"))
        .select_related("committee", "plan")
        .prefetch_related(
            "agenda_items",
            "corrections",
            Prefetch("decisions", queryset=Decision.objects.filter(in_minutes=True)),
            Prefetch(
                "minutes",
                queryset=MinutesVersion.objects.ready().filter(language=language()),
                to_attr="ready_minutes",
            ),
        )
        .order_by("-minutes_published_at", "-pk")
    )


class MinutesFeed(AtomFeed):
    """Every committee's published minutes."""

    description_template = "meetings/_minutes_feed_entry.html"

    def title(self) -> str:
        # The meetings list's own title: what it lists for the public is the published minutes.
        return _("Committee meetings")

    def subtitle(self) -> str:
        return _("The minutes of the committees, once the secretariat has published them.")

    def link(self) -> str:
        return reverse("meetings:list")

    def items(self) -> QuerySet[Meeting]:
        return published_minutes()[:FEED_ITEMS]

    def item_title(self, item: Meeting) -> str:
        day = date_format(timezone.localtime(item.starts_at), "DATE_FORMAT")
        return _("%(committee)s: minutes of the meeting of %(date)s") % {
            "committee": item.committee.name,
            "date": day,
        }

    def item_guid(self, item: Meeting) -> str:
        return tag_uri(item.date, f"/meetings/{item.pk}/minutes")

    def item_guid_is_permalink(self, item: Meeting) -> bool:
        return False

    def item_pubdate(self, item: Meeting) -> datetime.datetime | None:
        return item.minutes_published_at

    def item_updateddate(self, item: Any) -> datetime.datetime:
        published: datetime.datetime = item.minutes_published_at
        return max(published, item.corrected_at or published)

    def item_author_name(self, item: Meeting) -> str:
        return item.committee.name

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        request: HttpRequest = kwargs["request"]
        meeting: Any = kwargs["item"]
        return {
            "meeting": meeting,
            "when": meeting_when(meeting.starts_at),
            "pdf": meeting.ready_minutes[0] if meeting.ready_minutes else None,
            "base": f"{request.scheme}://{request.get_host()}",
        }


def minutes_feed_link() -> FeedLink:
    return FeedLink(url=reverse("meetings:feed"), title=MinutesFeed().title())
