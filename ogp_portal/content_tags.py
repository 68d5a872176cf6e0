"""Translated content in templates, a builtin of every template (settings.TEMPLATES):
``{{ commitment|content:"title" }}`` writes the title in the page's language, or, where it has
no translation yet, the French text marked ``lang="fr"`` so that screen readers read it as
French and readers know why it is French."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html

from .i18n import fallback_language

register = template.Library()


@register.filter
def content(obj: Any, field: str) -> str:
    if obj is None:
        return ""
    if isinstance(obj, dict):
        return conditional_escape(obj.get(field) or "")
    text = getattr(obj, field, "") or ""
    if text and (language := fallback_language(obj, field)):
        return format_html('<span lang="{}">{}</span>', language, text)
    return conditional_escape(text)
