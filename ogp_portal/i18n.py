"""Writing translated content fields (django-modeltranslation) from forms and the API."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import get_language

FALLBACK = settings.MODELTRANSLATION_FALLBACK_LANGUAGES[0]


def set_translated(obj: Any, field: str, value: str) -> None:
    """Write ``field`` in the active language. The fallback language (French) is filled too while
    it is empty, so readers in another language see the text rather than a blank; the missing
    translation then shows on the secretariat's missing-translations page."""
    language = (get_language() or FALLBACK)[:2]
    if language not in settings.MODELTRANSLATION_LANGUAGES:
        language = FALLBACK
    setattr(obj, f"{field}_{language}", value)
    if not getattr(obj, f"{field}_{FALLBACK}"):
        setattr(obj, f"{field}_{FALLBACK}", value)
