"""Content that has no Arabic or English version yet (pages fall back to French)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q
from django.urls import reverse
from modeltranslation.translator import translator

from commitments.models import verbose_name
from ogp_portal.i18n import CONTENT_LANGUAGES, FALLBACK

# Every content language but the fallback (French), whose text the others fall back to.
LANGUAGES = tuple(code for code in CONTENT_LANGUAGES if code != FALLBACK)
REFERENCE = FALLBACK


@dataclass(frozen=True)
class MissingField:
    model: str
    field: str
    language: str
    count: int
    objects: list[tuple[str, str]]  # (the French text, its admin change page)


def missing_translations() -> list[MissingField]:
    """Per model, field and language: the objects with French content but no translation."""
    found = []
    for model in translator.get_registered_models(abstract=False):
        options: Any = translator.get_options_for_model(model)
        for field in sorted(options.fields):
            for language in LANGUAGES:
                filled = ~Q(**{f"{field}_{REFERENCE}": ""}) & Q(
                    **{f"{field}_{REFERENCE}__isnull": False}
                )
                empty = Q(**{f"{field}_{language}": ""}) | Q(
                    **{f"{field}_{language}__isnull": True}
                )
                queryset = model._default_manager.filter(filled & empty)
                count = queryset.count()
                if count:
                    found.append(
                        MissingField(
                            model=str(model._meta.verbose_name_plural),
                            field=verbose_name(model, field),
                            language=language,
                            count=count,
                            objects=[
                                (getattr(obj, f"{field}_{REFERENCE}")[:160], _admin_url(obj))
                                for obj in queryset[:50]
                            ],
                        )
                    )
    return found


def _admin_url(obj: Model) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
