"""The words for a focal point's or a committee member's seat, in the person's form: "Titulaire",
"Suppléante", "Suppléant". Contextual strings (msgctxt "woman" / "man"), so that each language's
catalog inflects them; where a catalog does not, the neutral word is written."""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import pgettext_lazy

from ogp_portal.grammar import inflected


def alternate(gender: str) -> str:
    """ "suppléante", "suppléant", as the minutes write it inside a sentence."""
    return inflected(
        gender,
        "alternate",
        feminine=pgettext_lazy("woman", "alternate"),
        masculine=pgettext_lazy("man", "alternate"),
    )


def titular(gender: str) -> str:
    return inflected(
        gender,
        "Titular",
        feminine=pgettext_lazy("woman", "Titular"),
        masculine=pgettext_lazy("man", "Titular"),
    )


def seat(role: str, gender: str) -> str:
    """ "Titulaire", "Suppléante": ``role`` is "titular" or "alternate"."""
    return capfirst(alternate(gender)) if role == "alternate" else titular(gender)
