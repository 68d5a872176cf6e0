"""Reads an Atom feed back with a real XML parser and checks what RFC 4287 requires of it: the
feed's id, title and updated date, and for each entry its id, title, updated date and link."""

from __future__ import annotations

import datetime
import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: datetime.datetime
    link: str
    author: str | None
    summary: str


@dataclass(frozen=True)
class AtomFeed:
    id: str
    title: str
    language: str | None
    updated: datetime.datetime
    self_link: str
    entries: list[Entry]

    @property
    def titles(self) -> list[str]:
        return [entry.title for entry in self.entries]


def _required(element: ET.Element, name: str) -> str:
    child = element.find(ATOM + name)
    assert child is not None, f"<{element.tag}> has no <{name}>"
    assert child.text and child.text.strip(), f"<{name}> of <{element.tag}> is empty"
    return child.text


def _date(text: str) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(text)
    assert moment.tzinfo is not None, f"{text} has no time zone"
    return moment


def _link(element: ET.Element, rel: str) -> str:
    for link in element.findall(ATOM + "link"):
        if link.get("rel", "alternate") == rel:
            return link.get("href", "")
    raise AssertionError(f"<{element.tag}> has no link rel={rel}")


def _entry(element: ET.Element) -> Entry:
    author = element.find(f"{ATOM}author/{ATOM}name")
    summary = element.find(ATOM + "summary")
    return Entry(
        id=_required(element, "id"),
        title=_required(element, "title"),
        updated=_date(_required(element, "updated")),
        link=_link(element, "alternate"),
        author=author.text if author is not None else None,
        summary=(summary.text or "") if summary is not None else "",
    )


def parse(content: bytes) -> AtomFeed:
    root = ET.fromstring(content)
    assert root.tag == ATOM + "feed"
    entries = [_entry(element) for element in root.findall(ATOM + "entry")]
    if any(entry.author is None for entry in entries):
        # An entry without an author takes the feed's, which must then be there.
        assert root.find(f"{ATOM}author/{ATOM}name") is not None
    return AtomFeed(
        id=_required(root, "id"),
        title=_required(root, "title"),
        language=root.get(XML_LANG),
        updated=_date(_required(root, "updated")),
        self_link=_link(root, "self"),
        entries=entries,
    )


def fetch(client: Client, url: str) -> AtomFeed:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    return parse(response.content)


def announced(page: str) -> list[tuple[str, str]]:
    """(title, href) of each ``<link rel="alternate" type="application/atom+xml">`` in the
    page's head."""
    head = page.split("</head>", 1)[0]
    found = []
    for tag in re.findall(r"<link\b[^>]*>", head):
        attributes = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag))
        if attributes.get("rel") == "alternate" and (
            attributes.get("type") == "application/atom+xml"
        ):
            found.append(
                (html.unescape(attributes.get("title", "")), html.unescape(attributes["href"]))
            )
    return found


def query_count(client: Client, url: str) -> int:
    """The queries of one request of the feed, after a first one has filled any cache."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)
