"""What every Atom feed of the portal shares (Django's syndication framework): the format, the
number of entries, the portal as the author of last resort, entry ids that do not depend on the
host that served them, and the link with which a page announces its feed."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed, SyndicationFeed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

# The newest entries a feed lists; a reader that polls keeps the older ones.
FEED_ITEMS = 50


@dataclass(frozen=True)
class FeedLink:
    """A feed as a page announces it: ``<link rel="alternate">`` in the head, and a visible link."""

    url: str
    title: str
    # The language of the title where it is not the page's: a title without translation.
    language: str = ""


def tag_uri(day: datetime.date, path: str) -> str:
    """A tag URI (RFC 4151) on the portal's public host name: an entry keeps its id whatever
    address it was read at. ``day`` is a date the thing already existed, which never changes."""
    host = urlsplit(settings.PORTAL_URL).hostname or "localhost"
    return f"tag:{host},{day.isoformat()}:/{language()}{path}"


def language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


class AtomFeed(Feed):
    """An Atom feed of public facts, in the language of its URL (LocaleMiddleware has activated
    it): what it lists must not depend on who asks, so the subclasses read no ``request.user``."""

    feed_type = Atom1Feed

    @classmethod
    def as_view(cls) -> Callable[..., HttpResponse]:
        """The feed as a view function (what URL tools read, unlike a Feed instance) that
        answers GET and HEAD only."""
        feed = cls()

        @require_safe
        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return feed(request, *args, **kwargs)

        return view

    def author_name(self) -> str:
        # Atom needs an author for the feed when an entry has none (an update from a meeting).
        return _("Open Government Portal")

    def get_feed(self, obj: Any, request: HttpRequest) -> SyndicationFeed:
        feed = super().get_feed(obj, request)
        # The feed's own address (one per language) is its id, rather than the page it follows.
        feed.feed["id"] = feed.feed["feed_url"]
        return feed
