"""The admin speaks the page's language: every model, field, column and filter of the portal's
apps, and of the third-party apps it shows (django-axes, django-celery-beat), has a translated
name, and the admin carries the portal's name.

A label may read the same in Arabic and English (or French, which an Arabic page falls back to)
only when it is a proper noun or an acronym (``SAME_IN_EVERY_LANGUAGE``), or while its text waits
for the Arabic catalog: such a msgid of the portal's code is listed by tests/test_translations.py
until the catalog gives it, and from then on is held to the rule here too. A third-party app's
label has no such grace, since nothing else would list it: the portal's catalog must give it
(ogp_portal/third_party_labels.py marks the msgids its catalogs lack)."""

import re
from html import unescape

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import trans_real

from tests.factories import UserFactory

OWN_APPS = {
    "commitments",
    "meetings",
    "cocreation",
    "reports",
    "documents",
    "limits",
    "notifications",
    "portal",
}
# Third-party apps whose own catalogs lack Arabic (or French): the portal's catalog gives them.
THIRD_PARTY_APPS = {"axes", "django_celery_beat"}
APPS = OWN_APPS | THIRD_PARTY_APPS
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


def differs_or_excused(arabic: str, english: str, french: str, *, app_label: str) -> bool:
    return (
        arabic not in {english, french}
        or msgid(english) in SAME_IN_EVERY_LANGUAGE
        or (app_label in OWN_APPS and waits_for_the_catalog(english))
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
    for spec in model_admin.get_changelist_instance(request).filter_specs:
        sources[f"filter {spec.title}"] = spec.title
    for title, _options in model_admin.get_fieldsets(request):
        if title is not None:
            sources[f"fieldset {title}"] = title
    for inline in [model_admin, *model_admin.get_inline_instances(request)]:
        if inline is not model_admin:
            sources[f"inline {inline.model.__name__}"] = inline.verbose_name_plural
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
    form_field = getattr(model_admin.form, "declared_fields", {}).get(name)
    if form_field is not None and form_field.label is not None:  # a field only the form has
        return form_field.label
    try:
        return field_source(model, name)
    except Exception:  # an admin method or a model property
        attr = getattr(model_admin, name, None) or getattr(model, name)
        return getattr(attr, "short_description", None)


def in_language(source: object, language: str) -> str:
    with translation.override(language):
        return str(source)


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=[m._meta.label for m, _a in ADMINS])
def test_every_label_of_the_admin_is_translated(db, model, model_admin):
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    for where, source in label_sources(model, model_admin, request).items():
        if str(source) in SAME_IN_EVERY_LANGUAGE:
            continue
        assert isinstance(source, Promise), f"{where}: {source!r} is not marked for translation"
        arabic, english, french = (in_language(source, code) for code in ("ar", "en", "fr"))
        assert differs_or_excused(arabic, english, french, app_label=model._meta.app_label), (
            f"{where}: {english!r} in Arabic"
        )


def test_list_columns_are_labelled_in_the_language_of_the_page(db):
    model, model_admin = next((m, a) for m, a in ADMINS if m._meta.model_name == "commitment")
    with translation.override("en"):
        labels = [str(label_for_field(n, model, model_admin)) for n in model_admin.list_display]
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


def third_party_rows() -> None:
    """One row of each model of django-axes and django-celery-beat, so that their change pages
    are checked too (the demo has none)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.utils import timezone
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )

    now = timezone.now()
    where = {"username": "x", "ip_address": "127.0.0.1", "user_agent": "ua", "path_info": "/"}
    AccessAttempt.objects.create(**where, failures_since_start=1, get_data="", post_data="")
    AccessLog.objects.create(**where)
    AccessFailureLog.objects.create(**where)
    interval = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.DAYS)
    CrontabSchedule.objects.create(minute="0", hour="6")
    SolarSchedule.objects.create(event="sunrise", latitude=34, longitude=-6)
    ClockedSchedule.objects.create(clocked_time=now)
    PeriodicTask.objects.create(name="t", task="portal.tasks.t", interval=interval)


def test_the_admin_in_arabic_shows_no_english_label(demo):
    third_party_rows()
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    checked = 0
    for model, model_admin in ADMINS:
        for page in admin_pages(model, model_admin):
            responses = [client.get(f"/{code}{page}") for code in ("ar", "en", "fr")]
            assert [r.status_code for r in responses] == [200, 200, 200], page
            ar_labels, en_labels, fr_labels = (labels_of(r.content.decode()) for r in responses)
            assert len(ar_labels) == len(en_labels) == len(fr_labels), page
            for labels in zip(ar_labels, en_labels, fr_labels, strict=True):
                assert differs_or_excused(*labels, app_label=model._meta.app_label), (
                    f"{page}: {labels[1]!r} in Arabic"
                )
                checked += 1
    assert checked > 500


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_third_party_apps_are_named_in_the_language_of_the_page(db, language):
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(f"/{language}/admin/").content.decode()
    english = client.get("/en/admin/").content.decode()
    for app in ("axes", "django_celery_beat"):
        pattern = rf'<caption>\s*<a href="/{{}}/admin/{app}/"[^>]*>(.*?)</a>'
        (name,) = re.findall(pattern.format(language), html, flags=re.S)
        (english_name,) = re.findall(pattern.format("en"), english, flags=re.S)
        assert name.strip() != english_name.strip(), f"{app}: {name!r} in {language}"
        catalog = trans_real.translation(language)._catalog
        for model in apps.get_app_config(app).get_models():
            # French may keep the English word ("crontabs"), but a catalog must say so.
            assert in_language(model._meta.verbose_name_plural, "en") in catalog, model


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
