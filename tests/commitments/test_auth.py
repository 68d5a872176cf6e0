"""Logging in and out in every language, resetting a password, throttling."""

import re

import pytest
from django.core import mail
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_log_in_and_out_in_each_language(focal_point, lang):
    client = Client()
    page = client.get(f"/{lang}/accounts/login/")
    assert page.status_code == 200
    assert f'<html lang="{lang}"' in page.content.decode()
    response = client.post(
        f"/{lang}/accounts/login/", {"username": "fatima", "password": "secret-pass"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/{lang}/workspace/"
    response = client.post(f"/{lang}/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == f"/{lang}/"
    assert client.get(f"/{lang}/workspace/").status_code == 302


def test_wrong_password_is_said_on_the_page(focal_point):
    response = Client().post("/en/accounts/login/", {"username": "fatima", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_password_reset_by_email(focal_point):
    client = Client()
    response = client.post("/fr/accounts/password_reset/", {"email": "fatima@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/fr/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Nouveau-mot-2026", "new_password2": "Nouveau-mot-2026"},
    )
    assert response.status_code == 302
    assert Client().login(username="fatima", password="Nouveau-mot-2026")


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_login_is_throttled_after_repeated_failures(focal_point):
    client = Client()
    for _attempt in range(3):
        client.post("/en/accounts/login/", {"username": "fatima", "password": "wrong"})
    response = client.post("/en/accounts/login/", {"username": "fatima", "password": "secret-pass"})
    assert response.status_code == 429
    assert "Try again in 1\xa0hour" in response.content.decode()
    assert client.get("/en/workspace/").status_code == 302
    # Another address is not locked out.
    other = Client(REMOTE_ADDR="10.1.2.3")
    response = other.post("/en/accounts/login/", {"username": "fatima", "password": "secret-pass"})
    assert response.status_code == 302


def fail_to_log_in(client: Client, times: int, **proxy: str) -> None:
    for _attempt in range(times):
        client.post("/en/accounts/login/", {"username": "fatima", "password": "wrong"}, **proxy)


def log_in_from(address: str, **proxy: str) -> int:
    client = Client(REMOTE_ADDR=address)
    credentials = {"username": "fatima", "password": "secret-pass"}
    return client.post("/en/accounts/login/", credentials, **proxy).status_code


PROXY = "10.0.0.2"  # every request reaches the site from the reverse proxy's address


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, REVERSE_PROXY_COUNT=1)
def test_behind_one_proxy_an_attacker_does_not_lock_out_everyone(focal_point):
    """The proxy appends the address it saw to X-Forwarded-For; what stands to its left was
    written by the client, so an attacker cannot pass for someone else by writing it."""
    attacker = Client(REMOTE_ADDR=PROXY)
    fail_to_log_in(attacker, 3, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert log_in_from(PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7") == 429
    spoofed = "203.0.113.9, 198.51.100.7"
    assert log_in_from(PROXY, HTTP_X_FORWARDED_FOR=spoofed) == 429
    assert log_in_from(PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9") == 302


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, REVERSE_PROXY_COUNT=0)
def test_with_no_proxy_declared_the_forwarded_header_is_not_trusted(focal_point):
    """Without a proxy anyone can send X-Forwarded-For: it must not open a new address per
    attempt. (Behind a proxy, this setting locks out everyone at once: see docs/security.md.)"""
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    fail_to_log_in(attacker, 3, HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert log_in_from("198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.2") == 429
    assert log_in_from(PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7") == 302


@override_settings(AXES_ENABLED=True, REVERSE_PROXY_COUNT=1)
def test_a_malformed_forwarded_header_falls_back_to_the_proxy_address(focal_point):
    for value in ["not-an-address", "1.2.3.4\x00", "", " , "]:
        assert log_in_from(PROXY, HTTP_X_FORWARDED_FOR=value) == 302
