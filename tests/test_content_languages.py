"""Every public page in its own language: a crawl of the demo's public pages in Arabic and in
English fails on a visible French sentence that is not marked ``lang="fr"``.

Content whose translation is missing falls back to French; the page must then say so to screen
readers (and to the reader) by wrapping it in an element with ``lang="fr"``.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from commitments.models import Activity, Commitment, ProgressUpdate
from meetings.models import Meeting

pytestmark = pytest.mark.django_db

# Words that mark a Latin-script run as French rather than English or a proper name.
FRENCH_WORDS = frozenset(
    [
        "le",
        "la",
        "les",
        "des",
        "du",
        "au",
        "aux",
        "et",
        "est",
        "sont",
        "pour",
        "dans",
        "avec",
        "sur",
        "par",
        "une",
        "un",
        "ce",
        "cette",
        "ces",
        "qui",
        "que",
        "leur",
        "leurs",
        "été",
        "être",
        "ont",
        "avons",
        "mise",
        "mis",
        "lors",
        "suite",
        "entre",
        "selon",
        "afin",
        "ainsi",
        "aussi",
        "depuis",
        "mme",
        "engagement",
        "engagements",
        "réunion",
        "comité",
        "activité",
        "activités",
        "avancement",
    ]
)
CIVILITIES = ("Mme.", "Mme ", "Mlle")
WORD = re.compile(r"[A-Za-zÀ-ÿŒœ'’-]+")
# Pages not crawled: the private areas, files, feeds and the admin.
SKIPPED = re.compile(
    r"^/(?:ar|en|fr)/(?:workspace|secretariat|notifications|accounts|api)/"
    r"|^/(?:admin|api|static|media|healthz)/"
    r"|\.(?:pdf|csv|xlsx|json|zip|ics|xml|atom)$|/feed/|/download/"
)
VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
LIMIT = 400  # pages per language; the demo has fewer


class Visible(HTMLParser):
    """The visible text of a page, each piece with the language of its nearest ``lang``."""

    def __init__(self, page_language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool]] = []
        self.page_language = page_language
        self.texts: list[tuple[str, str]] = []
        self.links: list[str] = []

    def language(self) -> str:
        for _tag, lang, _hidden in reversed(self.stack):
            if lang:
                return lang
        return self.page_language

    def hidden(self) -> bool:
        return any(hidden for _tag, _lang, hidden in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"] or "")
        if tag in VOID:
            return
        hidden = tag in ("script", "style", "template") or "hidden" in attributes
        self.stack.append((tag, attributes.get("lang"), hidden))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and not self.hidden():
            self.texts.append((self.language(), data))


def french_sentences(texts: list[tuple[str, str]]) -> list[str]:
    """The pieces of text not marked French that read as French."""
    found = []
    for language, text in texts:
        if language.startswith("fr"):
            continue
        words = [word.lower().strip("'’-") for word in WORD.findall(text)]
        french = [word for word in words if word in FRENCH_WORDS]
        if (len(words) >= 3 and len(french) >= 2) or any(c in text for c in CIVILITIES):
            found.append(" ".join(text.split())[:160])
    return found


def crawl(client: Client, language: str) -> dict[str, list[str]]:
    """Every public page reachable from the home page in ``language``: its French sentences."""
    start = f"/{language}/"
    queue, seen, found = deque([start]), {start}, {}
    while queue and len(seen) <= LIMIT:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code == 200, path
        if not response["Content-Type"].startswith("text/html"):
            continue
        parser = Visible(language)
        parser.feed(response.content.decode())
        if sentences := french_sentences(parser.texts):
            found[path] = sentences
        for href in parser.links:
            url = urlsplit(urldefrag(href).url)
            if url.scheme or url.netloc or not url.path.startswith(start) or url.query:
                continue
            if url.path not in seen and not SKIPPED.search(url.path):
                seen.add(url.path)
                queue.append(url.path)
    assert len(seen) > 50, "the crawl should reach every page type of the demo"
    return found


def test_the_detector_finds_french_and_respects_lang_fr():
    parser = Visible("ar")
    parser.feed(
        "<p>Experte dans le domaine du gouvernement ouvert</p>"
        '<p lang="fr">Aucun progrès n\'a été réalisé depuis la dernière réunion</p>'
        "<p>Mme. Amina</p><p>السيدة Amina</p><p>Open Government Partnership</p>"
        "<script>var le = 'et la';</script>"
    )
    assert french_sentences(parser.texts) == [
        "Experte dans le domaine du gouvernement ouvert",
        "Mme. Amina",
    ]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_no_public_page_shows_unmarked_french(demo, language):
    found = crawl(Client(), language)
    report = "\n".join(f"{path}: {sentences}" for path, sentences in found.items())
    assert not found, f"French sentences not marked lang=fr:\n{report}"


def test_a_text_without_translation_is_shown_in_french_marked_lang_fr(demo, client):
    commitment = Commitment.objects.get(plan__code="PAN-2021-2023", number=3)
    Commitment.objects.filter(pk=commitment.pk).update(title_ar="")
    activity = commitment.activities.order_by("position").first()
    assert activity is not None
    Activity.objects.filter(pk=activity.pk).update(title_ar="")
    with translation.override("ar"):
        html = client.get(commitment.get_absolute_url()).content.decode()
    assert f'<h1>3. <span lang="fr">{escape(commitment.title_fr)}</span></h1>' in html
    assert f'<span lang="fr">{escape(activity.title_fr)}</span></a>' in html
    # Translated texts are not marked: they are in the page's language.
    assert f"{escape(commitment.plan.title_ar)}</a>" in html
    assert f'<span lang="fr">{escape(commitment.plan.title_fr)}' not in html
    # The rest of the page is clean; only the window title (which takes no markup) and the
    # activity's other mentions show the French text.
    body = html[html.index("<body") :]
    parser = Visible("ar")
    parser.feed(body)
    assert french_sentences(parser.texts) == []


def test_civilities_and_capacities_read_in_the_page_language(demo, client):
    arabic = client.get("/ar/committees/").content.decode()
    assert "السيدة Mahassine EL AMRANI OMARI" in " ".join(arabic.split())
    assert "خبيرة في مجال الحكومة المنفتحة" in arabic
    implementation = Meeting.objects.get(starts_at__date="2020-12-21")
    english = client.get(f"/en/meetings/{implementation.pk}/").content.decode()
    english = " ".join(english.split())
    assert "Ms Hajar HADI" in english
    assert "alternate focal point for commitment 10" in english
    french = " ".join(client.get("/fr/committees/").content.decode().split())
    assert "Mme. Mahassine EL AMRANI OMARI" in french


def test_a_figure_decided_in_a_meeting_links_the_meeting(demo, client):
    update = ProgressUpdate.objects.exclude(source_reference_fr="").get(
        source_reference_fr__startswith="meeting:"
    )
    with translation.override("ar"):
        html = client.get(update.activity.get_absolute_url()).content.decode()
    assert f'href="/ar/meetings/{update.source_meeting_id}/"' in html
    assert "meeting:" not in html
