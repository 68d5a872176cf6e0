"""The admin speaks the page's language: every model, field, column and filter of the portal's
apps has a translated name, and the admin carries the portal's name.

A label may read the same in Arabic and English only when it is a proper noun or an acronym
(``SAME_IN_EVERY_LANGUAGE``), or while its text waits for the Arabic catalog: such a msgid is
listed by tests/test_translations.py until the catalog gives it, and from then on is held to the
rule here too."""

import re
from html import unescape

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import trans_real

from tests.factories import UserFactory

APPS = {
    "commitments",
    "meetings",
    "cocreation",
    "reports",
    "documents",
    "limits",
    "notifications",
    "portal",
}
# Labels that are the same word in every language, and why.
SAME_IN_EVERY_LANGUAGE = {
    "ID",  # Django's own primary key, never shown to the public
    "PDF",  # a file format's acronym
}
ADMINS = sorted(
    (
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in APPS
    ),
    key=lambda pair: pair[0]._meta.label,
)


def msgid(text: str) -> str:
    """The catalog's key behind a label as the admin shows it ("Title [fr]:" → "title")."""
    text = re.sub(r"\s*\[[a-z]{2}\]$", "", text.strip().rstrip(":").strip())
    return text


def waits_for_the_catalog(text: str) -> bool:
    """The admin capitalises verbose names: "Changed by" is shown for "changed by", which the
    catalog may lack even where another app's catalog gives "Changed by"."""
    catalog = trans_real.translation("ar")._catalog
    key = msgid(text)
    return any(k not in catalog for k in {key, key[:1].lower() + key[1:]})


def differs_or_excused(arabic: str, english: str) -> bool:
    return (
        arabic != english
        or msgid(english) in SAME_IN_EVERY_LANGUAGE
        or waits_for_the_catalog(english)
    )


# The names as the code declares them ------------------------------------------------------------


def label_sources(model, model_admin, request) -> dict[str, object]:
    """What each label shown by the model's admin is made of, by where it shows."""
    sources: dict[str, object] = {
        "model": model._meta.verbose_name,
        "model (plural)": model._meta.verbose_name_plural,
        "app": model._meta.app_config.verbose_name,
    }
    for name in model_admin.get_list_display(request):
        sources[f"column {name}"] = column_source(model, model_admin, name)
    for spec in model_admin.get_list_filter(request):
        name = spec[0] if isinstance(spec, tuple) else spec
        sources[f"filter {name}"] = (
            spec.title if isinstance(name, type) else field_source(model, name.split("__")[0])
        )
    for inline in [model_admin, *model_admin.get_inline_instances(request)]:
        for name in inline.get_fields(request):
            sources[f"{inline.model.__name__} form {name}"] = column_source(
                inline.model, inline, name
            )
    return sources


def field_source(model, name: str) -> object:
    """A field's verbose name as written in the model (``None`` when Django made it up)."""
    field = model._meta.get_field(name)
    if getattr(field, "translated_field", None) is not None:  # modeltranslation's title_fr
        field = field.translated_field
    if field.auto_created and not field.concrete:  # a reverse relation
        return field.related_model._meta.verbose_name_plural
    return getattr(field, "_verbose_name", field.verbose_name)


def column_source(model, model_admin, name: str) -> object:
    if name == "__str__":
        return model._meta.verbose_name
    try:
        return field_source(model, name)
    except Exception:  # an admin method or a model property
        attr = getattr(model_admin, name, None) or getattr(model, name)
        return getattr(attr, "short_description", None)


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=[m._meta.label for m, _a in ADMINS])
def test_every_label_of_the_admin_is_translated(db, model, model_admin):
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    for where, source in label_sources(model, model_admin, request).items():
        if str(source) in SAME_IN_EVERY_LANGUAGE:
            continue
        assert isinstance(source, Promise), f"{where}: {source!r} is not marked for translation"
        with translation.override("ar"):
            arabic = str(source)
        with translation.override("en"):
            english = str(source)
        assert differs_or_excused(arabic, english), f"{where}: {english!r} in Arabic"


def test_list_columns_are_labelled_in_the_language_of_the_page(db):
    model, model_admin = next((m, a) for m, a in ADMINS if m._meta.model_name == "commitment")
    with translation.override("en"):
        labels = [label_for_field(n, model, model_admin) for n in model_admin.list_display]
    assert labels == [
        "number",
        "title",
        "action plan",
        "axis",
        "lead institution",
        "OGP id",
        "status",
    ]


# The pages ---------------------------------------------------------------------------------------


def labels_of(html: str) -> list[str]:
    """Field labels, column headers, filter titles, fieldset titles and help texts, in order."""
    pattern = (
        r"<label\b[^>]*>(.*?)</label>"
        r'|<th\b[^>]*class="[^"]*column-[^"]*"[^>]*>(.*?)</th>'
        r'|data-filter-title="([^"]*)"'
        r"|<fieldset\b[^>]*>\s*(?:<details>\s*<summary>\s*)?<h2[^>]*>(.*?)</h2>"
        r'|<div class="help"[^>]*>(.*?)</div>\s*</div>'
    )
    found = []
    for groups in re.findall(pattern, html, flags=re.S):
        text = next(g for g in groups if g is not None and g != "") if any(groups) else ""
        text = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))).strip()
        if text:
            found.append(text)
    return found


def admin_pages(model, model_admin) -> list[str]:
    meta = model._meta
    pages = [f"/admin/{meta.app_label}/{meta.model_name}/"]
    first = model._default_manager.order_by("pk").first()
    if first is not None:
        pages.append(f"/admin/{meta.app_label}/{meta.model_name}/{first.pk}/change/")
    return pages


def test_the_admin_in_arabic_shows_no_english_label(demo):
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    checked = 0
    for model, model_admin in ADMINS:
        for page in admin_pages(model, model_admin):
            arabic = client.get(f"/ar{page}")
            english = client.get(f"/en{page}")
            assert arabic.status_code == english.status_code == 200, page
            ar_labels, en_labels = (
                labels_of(arabic.content.decode()),
                labels_of(english.content.decode()),
            )
            assert len(ar_labels) == len(en_labels), page
            for ar_label, en_label in zip(ar_labels, en_labels, strict=True):
                assert differs_or_excused(ar_label, en_label), f"{page}: {en_label!r} in Arabic"
                checked += 1
    assert checked > 500


def test_the_admin_carries_the_portal_name(db):
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for language in ("ar", "en", "fr"):
        html = client.get(f"/{language}/admin/").content.decode()
        with translation.override(language):
            name = str(translation.gettext("Open Government Portal"))
            django = translation.gettext("Django administration")
        assert f'<div id="site-name"><a href="/{language}/admin/">{name}</a></div>' in html
        assert f"| {name}</title>" in html
        assert django not in html
        assert "/static/css/admin.css" in html
