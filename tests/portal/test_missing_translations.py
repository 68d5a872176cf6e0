"""The secretariat's page of content still missing in Arabic or English, over every app."""

import datetime
import re
from html import unescape

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape
from modeltranslation.translator import translator

from meetings import services as meetings_services
from meetings.models import AgendaItem
from tests.factories import PlanFactory
from tests.meetings.factories import CommitteeFactory

URL = "/en/secretariat/translations/"
TRANSLATIONS = ("ar", "en")


def demo_secretariat() -> Client:
    client = Client()
    client.force_login(User.objects.get(username="secretariat"))
    return client


def registered_fields() -> list[tuple[type, str]]:
    return [
        (model, name)
        for model in translator.get_registered_models(abstract=False)
        for name in translator.get_options_for_model(model).fields
    ]


def lacking_in_python(model: type, name: str, language: str) -> int:
    """Counted row by row, without the page's query."""
    values = model._default_manager.values_list(f"{name}_fr", f"{name}_{language}")
    return sum(1 for french, other in values if french and not other)


def blank_one_translation_per_field(language: str) -> int:
    """In every translated field, one object that has a French text loses ``language``."""
    blanked = 0
    for model, name in registered_fields():
        row = (
            model._default_manager.exclude(**{f"{name}_fr": ""})
            .exclude(**{f"{name}_fr__isnull": True})
            .order_by("pk")
            .first()
        )
        if row is not None:
            model._default_manager.filter(pk=row.pk).update(**{f"{name}_{language}": ""})
            blanked += 1
    return blanked


def hrefs_of_missing_objects(html: str) -> list[str]:
    sections = re.findall(r'<section class="missing".*?</section>', html, flags=re.S)
    return [
        unescape(href) for section in sections for href in re.findall(r'href="([^"]+)"', section)
    ]


def test_the_counts_per_language_match_the_database(demo):
    blanked = blank_one_translation_per_field("en")
    AgendaItem.objects.filter(pk=AgendaItem.objects.exclude(notes_fr="").first().pk).update(
        title_ar="", notes_ar=""
    )
    assert blanked > 20  # the demo fills most translated fields of every app

    response = demo_secretariat().get(URL)

    assert response.status_code == 200
    missing = response.context["missing"]
    on_page = {(item.model, item.field): item.counts for item in missing.fields}
    expected = {}
    for model, name in registered_fields():
        counts = {code: lacking_in_python(model, name, code) for code in TRANSLATIONS}
        if any(counts.values()):
            with translation.override("en"):
                label = str(model._meta.get_field(name).verbose_name)
                expected[(str(model._meta.verbose_name_plural), label)] = counts
    assert on_page == expected
    for code in TRANSLATIONS:
        assert missing.totals[code] == sum(counts[code] for counts in expected.values())
    html = response.content.decode()
    assert f'<td data-testid="total">{missing.totals["en"]}</td>' in html
    assert missing.totals["ar"] >= 2  # the agenda item's title and notes


def test_every_link_answers_200_for_the_secretariat(demo):
    blank_one_translation_per_field("ar")
    client = demo_secretariat()
    html = client.get(URL).content.decode()

    links = hrefs_of_missing_objects(html)

    assert len(links) >= 20
    fields = client.get(URL).context["missing"].fields
    assert all(obj.url for item in fields for obj in item.objects)
    for link in sorted(set(links)):
        assert client.get(link).status_code == 200, link


def test_the_french_texts_are_marked_as_french(demo):
    AgendaItem.objects.filter(pk=AgendaItem.objects.order_by("pk")[0].pk).update(title_ar="")
    html = demo_secretariat().get("/ar/secretariat/translations/").content.decode()
    item = AgendaItem.objects.order_by("pk")[0]
    french = re.escape(escape(item.title_fr[:40]))
    assert re.search(rf'<span lang="fr"><a href="[^"]+">{french}', html)


def test_the_page_answers_once_the_secretariat_has_created_a_meeting(secretariat):
    with translation.override("fr"):
        meeting = meetings_services.meeting_create(
            committee=CommitteeFactory(),
            plan=PlanFactory(),
            starts_at=timezone.make_aware(datetime.datetime(2024, 5, 2, 10, 0)),
            mode="in_person",
            place="Rabat",
            agenda=["Point sur l'avancement du plan"],
            user=secretariat,
        )
    client = Client()
    client.force_login(secretariat)

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Point sur l&#x27;avancement du plan" in html
    # Agenda items are edited inline, on their meeting's admin page.
    assert f'href="/en/admin/meetings/meeting/{meeting.pk}/change/"' in html
