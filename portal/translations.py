"""Content that has no Arabic or English version yet (pages fall back to French), over every
field that django-modeltranslation's registry declares translatable, in every app."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db.models import Model, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from modeltranslation.translator import translator

from commitments.models import verbose_name
from ogp_portal.i18n import CONTENT_LANGUAGES, FALLBACK

# Every content language but the fallback (French), whose text the others fall back to.
LANGUAGES = tuple(code for code in CONTENT_LANGUAGES if code != FALLBACK)
REFERENCE = FALLBACK
# How many objects each field lists; the counts are always complete.
LISTED = 50


@dataclass(frozen=True)
class MissingObject:
    text: str  # the French text, shortened
    url: str | None  # where the secretariat edits it
    languages: tuple[str, ...]  # the languages it lacks


@dataclass(frozen=True)
class MissingField:
    app: str
    model: str
    field: str
    counts: dict[str, int]  # per language, the objects whose text falls back to French
    objects: list[MissingObject]

    @property
    def total(self) -> int:
        """The objects listed for this field: those lacking at least one language."""
        return max(self.counts.values())

    @property
    def unlisted(self) -> bool:
        return self.total > len(self.objects)


@dataclass(frozen=True)
class MissingTranslations:
    fields: list[MissingField]
    totals: dict[str, int] = field(default_factory=dict)  # per language, over every field


def missing_translations() -> MissingTranslations:
    """Per field of every registered model: the objects with French content but no translation,
    counted per language."""
    found = [item for model, name in translated_fields() if (item := _missing(model, name))]
    totals = {code: sum(item.counts[code] for item in found) for code in LANGUAGES}
    return MissingTranslations(fields=found, totals=totals)


def translated_fields() -> Iterator[tuple[type[Model], str]]:
    """Every (model, field) that modeltranslation translates, apps in the order of settings."""
    models = translator.get_registered_models(abstract=False)
    order = {config.label: i for i, config in enumerate(apps.get_app_configs())}
    models = sorted(
        models, key=lambda m: (order.get(m._meta.app_label, len(order)), m._meta.model_name)
    )
    for model in models:
        options: Any = translator.get_options_for_model(model)
        yield from ((model, name) for name in sorted(options.fields))


def lacking(name: str, language: str) -> Q:
    """The rows whose ``name`` is written in French but not in ``language``."""
    filled = ~Q(**{f"{name}_{REFERENCE}": ""}) & Q(**{f"{name}_{REFERENCE}__isnull": False})
    empty = Q(**{f"{name}_{language}": ""}) | Q(**{f"{name}_{language}__isnull": True})
    return filled & empty


def _missing(model: type[Model], name: str) -> MissingField | None:
    manager = model._default_manager
    counts = {code: manager.filter(lacking(name, code)).count() for code in LANGUAGES}
    if not any(counts.values()):
        return None
    any_language = Q()
    for code in LANGUAGES:
        any_language |= lacking(name, code)
    rows: QuerySet[Model] = manager.filter(any_language).order_by("pk")[:LISTED]
    return MissingField(
        app=str(model._meta.app_config.verbose_name),
        model=str(model._meta.verbose_name_plural),
        field=verbose_name(model, name),
        counts=counts,
        objects=[
            MissingObject(
                text=str(getattr(row, f"{name}_{REFERENCE}"))[:160],
                url=edit_url(row),
                languages=tuple(c for c in LANGUAGES if not getattr(row, f"{name}_{c}")),
            )
            for row in rows
        ],
    )


def edit_url(obj: Model, depth: int = 3) -> str | None:
    """The admin page where ``obj``'s texts are edited: its own change page, else the change
    page of the object whose form shows it inline, else that of the object it belongs to."""
    model = type(obj)
    if model in admin.site._registry:
        return _change_url(obj)
    for _parent, fk_name in _inline_parents(model):
        owner = getattr(obj, fk_name, None)
        if owner is not None:
            return _change_url(owner)
    if depth:
        for relation in model._meta.get_fields():
            if relation.many_to_one and relation.concrete:
                owner = getattr(obj, relation.name, None)
                if owner is not None and (url := edit_url(owner, depth - 1)):
                    return url
    return None


def _inline_parents(model: type[Model]) -> Iterator[tuple[type[Model], str]]:
    """(parent model, the inline's foreign key) for every registered admin editing ``model``
    inline."""
    for parent, model_admin in admin.site._registry.items():
        for inline in model_admin.inlines:
            if inline.model is model:
                fks = [
                    f.name
                    for f in model._meta.get_fields()
                    if f.many_to_one and f.concrete and f.related_model is parent
                ]
                if inline.fk_name or fks:
                    yield parent, inline.fk_name or fks[0]


def _change_url(obj: Model) -> str | None:
    meta = obj._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return None
