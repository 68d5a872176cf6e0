"""Sorting names as a reader of each language expects: "l'Éducation" before "Transition" in
French (accents, case and apostrophes do not count first), Arabic in its alphabetical order.

The same collation names work on both databases: on PostgreSQL they are ICU collations created
by the migration ``commitments.0007_locale_collations``; on SQLite the portal registers them on
each connection with a Python sort key (``sort_key``). ``collated(field)`` orders by them.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import F
from django.db.models.functions import Collate
from django.utils.translation import get_language

# Name → ICU locale: "ka-shifted" makes spaces and punctuation (the apostrophe of "l'") count
# only last; level 1 differences (letters) first, then accents, then case.
COLLATIONS = {
    "ogp_fr": "fr-u-ka-shifted",
    "ogp_ar": "ar-u-ka-shifted",
    "ogp_en": "en-u-ka-shifted",
}


def collation_for(language: str | None = None) -> str:
    code = (language or get_language() or "fr")[:2]
    name = f"ogp_{code}"
    return name if name in COLLATIONS else "ogp_fr"


@functools.lru_cache(maxsize=4096)
def sort_key(text: str, language: str = "fr") -> tuple[tuple[tuple[int, str], ...], str, str]:
    """Letters first (without accents, case or punctuation), then accents, then case: the
    SQLite stand-in for the ICU collations. Arabic letters sort in their Unicode order, which
    is the alphabetical one; hamza forms (أ إ آ) and short vowels count as their base letter;
    in Arabic, as in ICU, Arabic script comes before Latin. Kept for the names it has seen:
    SQLite calls it twice for every comparison of an ORDER BY."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(
        char for char in decomposed if char.isalnum() and not unicodedata.combining(char)
    ).casefold()
    first = ARABIC if language == "ar" else ()
    primary = tuple((0 if _script(char) in first else 1, char) for char in letters)
    accents = "".join(char for char in decomposed if char.isalnum() or unicodedata.combining(char))
    return primary, accents.casefold(), text


ARABIC = ("ARABIC",)


@functools.cache
def _script(char: str) -> str:
    return unicodedata.name(char, "").split(" ", 1)[0]


def _comparer(language: str) -> Callable[[str | None, str | None], int]:
    def compare(left: str | None, right: str | None) -> int:
        a, b = sort_key(left or "", language), sort_key(right or "", language)
        return (a > b) - (a < b)

    return compare


def collated(field: str, language: str | None = None) -> Collate:
    """An ``order_by`` expression: ``field`` in the language's collation."""
    return Collate(F(field), collation_for(language))


def register_sqlite_collations(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        for name in COLLATIONS:
            connection.connection.create_collation(name, _comparer(name.removeprefix("ogp_")))


connection_created.connect(register_sqlite_collations, dispatch_uid="ogp_collations")
