"""The template side of ``ogp_portal.grammar``, a builtin of every template (settings.TEMPLATES):
``{% translate "Owner" %}{% colon %} {{ owner }}``, ``{% semicolon %}``,
``{{ items|join_list }}``, ``{{ rate|percent }}``."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from . import grammar

register = template.Library()


@register.simple_tag
def colon() -> str:
    """ ":" joined to the label before it as the active language writes it ("Titulaire :")."""
    return grammar.colon()


@register.simple_tag
def semicolon() -> str:
    return grammar.semicolon()


@register.filter
def label(text: object) -> str:
    return grammar.label(text)


@register.filter
def punctuate(text: object) -> str:
    return grammar.punctuate(str(text))


@register.filter
def percent(value: object, decimals: int = 0) -> str:
    """ "75 %" with a no-break space; ``{{ value|percent:1 }}`` for "83,3 %"."""
    return grammar.percent(value, decimals)


@register.filter
def join_list(items: Iterable[object]) -> str:
    return grammar.join_list(items)


@register.filter
def subject(title: object) -> str:
    return grammar.subject(str(title))
