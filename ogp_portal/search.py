"""Search in the database, whatever the page language: every translated column, without regard
to case, accents or the variants of Arabic letters, ranked by where the words were found.

On PostgreSQL the folding is ``LOWER(UNACCENT(TRANSLATE(...)))`` (the ``unaccent`` extension,
created by a migration of commitments); on SQLite it is the Python function ``fold`` registered
on each connection as ``SEARCH_FOLD``. Both sides of the comparison are folded by the database,
so a query and a text fold the same way on either.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.backends.signals import connection_created
from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    Model,
    OuterRef,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import Expression
from django.db.models.lookups import Contains, Exact
from django.db.utils import ConnectionHandler
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .i18n import CONTENT_LANGUAGES

# Hamza and madda on alef, alef wasla, alef maqsura, teh marbuta; then, with no counterpart
# (so deleted by TRANSLATE), the tatweel and the vowel marks (fathatan to sukun).
ARABIC_FROM = "أإآٱىة" + "ـ" + "".join(chr(c) for c in range(0x064B, 0x0653))
ARABIC_TO = "اااايه"
# What PostgreSQL's unaccent rules write as two letters, and NFKD does not decompose.
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})
ARABIC = str.maketrans(ARABIC_FROM[: len(ARABIC_TO)], ARABIC_TO, ARABIC_FROM[len(ARABIC_TO) :])
MAX_QUERY_LENGTH = 200

QS = TypeVar("QS", bound=QuerySet)


def fold(value: object) -> str | None:
    """The text as SQLite compares it: what ``Fold`` does on PostgreSQL."""
    if value is None:
        return None
    text = str(value).translate(ARABIC).lower().translate(LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def clean_query(query: str) -> str:
    """The words to look for: no NUL byte (PostgreSQL refuses them), no runs of blanks."""
    return " ".join(query.replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


class Fold(Func):
    """A text folded for comparison: lower case, no accents, one form of each Arabic letter."""

    function = "SEARCH_FOLD"
    arity = 1
    output_field = TextField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"LOWER(UNACCENT(TRANSLATE(({sql})::text, %s, %s)))",
            [*params, ARABIC_FROM, ARABIC_TO],
        )


def _register_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("SEARCH_FOLD", 1, fold, deterministic=True)


def install(connections: ConnectionHandler) -> None:
    """Register ``SEARCH_FOLD`` on every SQLite connection, the open ones and those to come."""
    connection_created.connect(_register_sqlite, dispatch_uid="ogp_portal.search")
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            _register_sqlite(None, connection)


LANGUAGE_NAMES = {"fr": _("French"), "ar": _("Arabic"), "en": _("English")}


@dataclass(frozen=True)
class Field:
    """Where to look: a column (``path``, by language when ``translated``), or rows related
    through a foreign key (``related``: the model and the name of its key to this one)."""

    name: str
    label: Any
    path: str
    translated: bool = True
    exact_first: bool = False
    partial: bool = True
    related: tuple[type[Model], str] | None = None


@dataclass(frozen=True)
class Match:
    """Where a row was found: which field, in which language ("" for a column not translated),
    and whether the whole field equals the query."""

    field: Field
    language: str
    exact: bool

    @property
    def description(self) -> str:
        if self.language:
            return str(
                _("Found in the %(field)s (%(language)s)")
                % {"field": self.field.label, "language": LANGUAGE_NAMES[self.language]}
            )
        return str(_("Found in the %(field)s") % {"field": self.field.label})

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field.name, "language": self.language or None, "exact": self.exact}


def _languages() -> list[str]:
    """The page's language first, so that of two equal matches the one the reader reads wins."""
    current = (get_language() or "fr").split("-")[0]
    return sorted(CONTENT_LANGUAGES, key=lambda code: code != current)


def matches(fields: Sequence[Field]) -> list[Match]:
    """Every way a row can match, best first: exact matches of the fields that rank them, then
    the fields in the order given, each in every language."""
    ranked: list[Match] = []
    for field in fields:
        languages = _languages() if field.translated else [""]
        if field.exact_first:
            ranked += [Match(field, language, True) for language in languages]
    for field in fields:
        languages = _languages() if field.translated else [""]
        if field.partial:
            ranked += [Match(field, language, False) for language in languages]
    return ranked


def _column(match: Match) -> str:
    name = match.field.path
    return f"{name}_{match.language}" if match.language else name


def _condition(match: Match, needle: Expression) -> Expression | Exists:
    lookup: Callable[[Any, Any], Expression] = Exact if match.exact else Contains
    if match.field.related is None:
        return lookup(Fold(F(_column(match))), needle)
    model, key = match.field.related
    rows = model._default_manager.filter(**{key: OuterRef("pk")})
    return Exists(rows.filter(lookup(Fold(F(_column(match))), needle)))


def search(queryset: QS, query: str, fields: Sequence[Field]) -> QS:
    """The rows where ``query`` is found in one of ``fields``, annotated with ``search_rank``
    (the index of the best of ``matches(fields)``: order by it); all rows, not annotated, when
    the query is empty."""
    query = clean_query(query)
    if not query:
        return queryset
    needle = Fold(Value(query))
    rank = Case(
        *[When(_condition(m, needle), then=Value(i)) for i, m in enumerate(matches(fields))],
        default=None,
        output_field=IntegerField(),
    )
    return queryset.annotate(search_rank=rank).filter(search_rank__isnull=False)


def match_of(row: Any, fields: Sequence[Field]) -> Match | None:
    """Where a row of ``search`` was found, read in the same language as the search ran."""
    rank = getattr(row, "search_rank", None)
    return None if rank is None else matches(fields)[rank]
