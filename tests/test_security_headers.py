"""The headers every answer carries: a strict Content-Security-Policy (no inline script or style
anywhere; the Swagger page alone gets the one exception it needs), HTTPS only behind one switch,
and templates that a strict policy cannot break."""

import re
from pathlib import Path

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent
STRICT = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}


def policy_of(response) -> dict[str, set[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: set(sources) for name, *sources in directives}


@pytest.mark.parametrize(
    "path",
    ["/fr/", "/ar/", "/fr/accounts/login/", "/fr/reports/", "/api/v1/plans/", "/fr/nowhere/"],
)
def test_every_answer_carries_the_strict_policy(path):
    assert policy_of(Client().get(path)) == STRICT


def test_the_policy_holds_for_a_logged_in_user_and_the_admin(secretariat):
    client = Client()
    client.force_login(secretariat)
    assert policy_of(client.get("/fr/workspace/")) == STRICT
    assert policy_of(client.get("/fr/admin/")) == STRICT


def test_the_api_docs_alone_may_show_inline_images():
    """Swagger UI draws its icons as data: images; it needs nothing else (its start-up script
    is a file of its own, not an inline script)."""
    page = Client().get("/api/docs/")
    assert page.status_code == 200
    assert policy_of(page) == {**STRICT, "img-src": {"'self'", "data:"}}
    html = page.content.decode()
    assert "<style" not in html
    assert re.search(r"<script>", html) is None
    script = re.search(r'<script src="([^"]+\?[^"]*script=[^"]*)"', html)
    assert script is not None
    start_up = Client().get(script.group(1).replace("&amp;", "&"))
    assert start_up.status_code == 200
    assert start_up["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in start_up.content.decode()


INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"  # an inline script
    r"|<style\b"  # a style element
    r"|\sstyle=[\"']"  # a style attribute
    r"|\son[a-z]+=[\"']"  # an inline event handler
    r"|javascript:",
    re.IGNORECASE,
)


def served_templates() -> list[Path]:
    """Every template a browser receives; WeasyPrint's (``*_pdf.html``) never reach one."""
    found = []
    for folder in [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]:
        for template in folder.rglob("*.html"):
            if not (template.name.endswith("_pdf.html") or template.name == "_pdf_base.html"):
                found.append(template)
    return found


COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


def test_no_served_template_holds_inline_script_style_or_handler():
    offenders = {
        str(template.relative_to(BASE_DIR)): match.group(0)
        for template in served_templates()
        if (match := INLINE.search(COMMENT.sub("", template.read_text())))
    }
    assert served_templates()
    assert offenders == {}


def test_no_script_of_the_portal_writes_inline_styles():
    scripts = [p for p in (BASE_DIR / "static").rglob("*.js") if "vendor" not in p.parts]
    writes = re.compile(r"setAttribute\(\s*[\"']style|\.innerHTML\s*=|\beval\(|new Function\(")
    assert [str(p) for p in scripts if writes.search(p.read_text())] == []


@override_settings(SECURE_SSL_REDIRECT=True)
def test_https_only_redirects_everything_but_the_health_check():
    """Compose's health check asks /healthz over plain HTTP inside the network."""
    login = "/fr/accounts/login/"
    assert Client().get(login).status_code == 301
    assert Client().get("/healthz").status_code != 301
    assert Client().get(login, secure=True).status_code == 200
