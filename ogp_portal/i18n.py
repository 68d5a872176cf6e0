"""The portal's languages, and writing translated content fields (django-modeltranslation) from
forms and the API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import get_language

# The languages of the interface and of every translated content field, French first; the one
# place the code names them (settings.LANGUAGES is their source).
LANGUAGE_CHOICES: list[tuple[str, Any]] = list(settings.LANGUAGES)
CONTENT_LANGUAGES: tuple[str, ...] = tuple(code for code, _name in LANGUAGE_CHOICES)
FALLBACK = settings.MODELTRANSLATION_FALLBACK_LANGUAGES[0]


def translations_of(source: Any, field: str, target: str | None = None) -> dict[str, str]:
    """``{target_fr: ..., target_ar: ..., target_en: ...}`` from ``source.field_<lang>``: to copy
    a translated text, in every language, into another model's field."""
    return {
        f"{target or field}_{code}": getattr(source, f"{field}_{code}") or ""
        for code in CONTENT_LANGUAGES
    }


def active_content_language() -> str:
    """The content language that ``set_translated`` writes now: the active one, else French."""
    language = (get_language() or FALLBACK)[:2]
    return language if language in settings.MODELTRANSLATION_LANGUAGES else FALLBACK


def set_translated(obj: Any, field: str, value: str) -> None:
    """Write ``field`` in the active language. The fallback language (French) is filled too while
    it is empty, so readers in another language see the text rather than a blank; the missing
    translation then shows on the secretariat's missing-translations page."""
    language = active_content_language()
    setattr(obj, f"{field}_{language}", value)
    if not getattr(obj, f"{field}_{FALLBACK}"):
        setattr(obj, f"{field}_{FALLBACK}", value)


# A text in the active language, or already in several: {"fr": ..., "ar": ..., "en": ...}.
Translatable = str | Mapping[str, str]


def translated_values(field: str, value: Translatable) -> dict[str, str]:
    """The ``field_<lang>`` values of a text to write on a new object: a mapping gives every
    language; a plain text is the active language's (and French's while French is empty, as
    ``set_translated`` does)."""
    if isinstance(value, Mapping):
        return {f"{field}_{code}": (value.get(code) or "").strip() for code in CONTENT_LANGUAGES}
    values = {f"{field}_{code}": "" for code in CONTENT_LANGUAGES}
    values[f"{field}_{active_content_language()}"] = value
    values[f"{field}_{FALLBACK}"] = values[f"{field}_{FALLBACK}"] or value
    return values


def shown_language(obj: Any, field: str) -> str:
    """The language of the text ``obj.field`` shows now: the active one, or the fallback's
    (French) when the active language has no text yet."""
    language = active_content_language()
    untranslated = language != FALLBACK and not getattr(obj, f"{field}_{language}", None)
    if untranslated and getattr(obj, f"{field}_{FALLBACK}", None):
        return FALLBACK
    return language


def translated_field_names(model: type) -> tuple[str, ...]:
    """The fields of ``model`` that django-modeltranslation translates."""
    from modeltranslation.translator import translator

    options: Any = translator.get_options_for_model(model)
    return tuple(sorted(options.fields))


def fallback_language(obj: Any, field: str) -> str:
    """The language to mark ``obj.field`` with (``lang="fr"``) when it shows the French text
    for want of a translation; "" when it is in the active language."""
    language = shown_language(obj, field)
    return language if language != active_content_language() else ""
