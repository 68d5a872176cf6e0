"""What every page offers for accessibility outside the browser tests: the favicon, the
accessibility statement linked from every footer, messages announced without breaking lists."""

import re

import pytest
from django.contrib.messages import constants
from django.test import Client

pytestmark = pytest.mark.django_db


def test_favicon_answers_200_with_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # ICO header
    assert "max-age=86400" in response["Cache-Control"]


def test_favicon_refuses_a_post(client):
    assert client.post("/favicon.ico").status_code == 405


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_every_page_links_the_favicon_and_the_accessibility_statement(client, lang):
    html = client.get(f"/{lang}/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in html
    assert 'type="image/svg+xml"' in html
    footer = html[html.index('<footer class="site-footer">') :]
    assert f'href="/{lang}/accessibility/"' in footer


@pytest.mark.parametrize(("lang", "direction"), [("fr", "ltr"), ("ar", "rtl"), ("en", "ltr")])
def test_the_accessibility_statement_in_each_language(client, settings, lang, direction):
    settings.CONTACT_EMAIL = "accessibilite@example.org"
    response = client.get(f"/{lang}/accessibility/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert html.count("<h1>") == 1 and html.count("<h2>") == 3
    assert 'href="mailto:accessibilite@example.org"' in html


def test_the_accessibility_statement_says_what_conforms_the_limits_and_how_to_report(client):
    html = client.get("/en/accessibility/").content.decode()
    for heading in ("What conforms", "Known limits", "Report a problem"):
        assert f"<h2>{heading}</h2>" in html
    assert "WCAG" in html and "2.1" in html


def test_messages_are_announced_by_a_status_region_around_the_list(focal_point):
    client = Client()
    client.force_login(focal_point)
    # Saving one's preferences (as the page offers them) says so in a message on the next page.
    form = client.get("/en/notifications/preferences/").context["form"]
    data = {field.html_name: field.value() for field in form if field.value() is not None}
    response = client.post("/en/notifications/preferences/", data, follow=True)
    assert [m.level for m in response.context["messages"]] == [constants.SUCCESS]
    html = response.content.decode()
    assert re.search(r'<div role="status">\s*<ul class="messages">\s*<li class="message', html)
    assert '<ul class="messages" role="status">' not in html
