"""Writing the portal's sentences as each language writes them: the punctuation joined to a label,
the list separator, the article of a title, and the grammatical gender of a person.

One home for what French, Arabic and English do differently when the code, not the catalog,
joins words: French puts a no-break space before ":" and "%" and a narrow no-break space before
";", "?" and "!"; Arabic writes "،", "؛" and "؟"; English puts no space before any of them.
Percentages keep Western digits, as Moroccan administrative texts write them, and a no-break
space before "%" in every language ("75 %", as the pages and the msgids write "75&nbsp;%").
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.utils import dateformat, numberformat
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language, gettext, pgettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

NBSP = "\u00a0"
NNBSP = "\u202f"

# French writes the article of a name from its first word: "le Plan…", "la Direction…".
# Words not listed here take no article in French ("Agence…" starts with a vowel: "l'").
FRENCH_FEMININE = {
    "Autorité", "Banque", "Caisse", "Chambre", "Charte", "Coalition", "Commission",
    "Confédération", "Coordination", "Cour", "Délégation", "Direction", "Division", "Fédération",
    "Feuille", "Fondation", "Haute", "Inspection", "Ligue", "Maison", "Plateforme", "Politique",
    "Préfecture", "Présidence", "Province", "Radio", "Région", "Société", "Stratégie",
    "Trésorerie", "Wilaya",
}  # fmt: skip
FRENCH_MASCULINE = {
    "Bureau", "Cabinet", "Centre", "Cercle", "Collectif", "Comité", "Conseil", "Département",
    "Fonds", "Forum", "Groupement", "Haut-Commissariat", "Ministère", "Mouvement", "Parlement",
    "Parquet", "Plan", "Pôle", "Programme", "Rapport", "Réseau", "Secrétariat", "Service",
    "Syndicat", "Tribunal",
}  # fmt: skip
FRENCH_PLURAL = {"Archives", "Services"}
VOWELS = "AÀÂÄEÉÈÊËIÎÏOÔÖUÙÛÜYŒÆ"


class Gender(models.TextChoices):
    """The grammatical form a person is written in: "suppléante", "Représentant"."""

    FEMININE = "feminine", pgettext_lazy("grammatical gender", "Feminine")
    MASCULINE = "masculine", pgettext_lazy("grammatical gender", "Masculine")


# The civilities the records hold, and the form each one calls for.
CIVILITY_GENDERS = {
    "mme": Gender.FEMININE,
    "mme.": Gender.FEMININE,
    "mlle": Gender.FEMININE,
    "ms": Gender.FEMININE,
    "mrs": Gender.FEMININE,
    "m": Gender.MASCULINE,
    "m.": Gender.MASCULINE,
    "mr": Gender.MASCULINE,
    "mr.": Gender.MASCULINE,
}


def gender_of_civility(civility: str) -> str:
    """The form a civility calls for ("Mme." → feminine), or "" when it says none."""
    return CIVILITY_GENDERS.get(civility.strip().lower(), "")


# How each language writes a civility: the records keep the minutes' "Mme." / "M.".
CIVILITIES = {
    Gender.FEMININE: pgettext_lazy("civility", "Ms"),
    Gender.MASCULINE: pgettext_lazy("civility", "Mr"),
}


def civility_in_language(civility: str) -> str:
    """The civility as the active language writes it ("Mme." → "السيدة" in Arabic, "Ms" in
    English); one the portal does not know ("Dr") is written as recorded."""
    form = CIVILITIES.get(gender_of_civility(civility))  # type: ignore[call-overload]
    return str(form) if form is not None else civility.strip()


def inflected(gender: str, neutral: str, *, feminine: StrOrPromise, masculine: StrOrPromise) -> str:
    """A word in the person's form: ``feminine`` / ``masculine`` (``pgettext_lazy("woman", …)``,
    ``pgettext_lazy("man", …)``) when the person's gender is known and the catalog inflects the
    word, else the neutral translation of ``neutral``."""
    form = {Gender.FEMININE: feminine, Gender.MASCULINE: masculine}.get(gender)  # type: ignore[call-overload]
    if form is not None and str(form) != neutral:
        return str(form)
    return gettext(neutral)


def language() -> str:
    return (get_language() or "fr")[:2]


def colon() -> str:
    """What joins a label to its value: " :" (no-break space) in French, ":" elsewhere."""
    return f"{NBSP}:" if language() == "fr" else ":"


def label(text: object) -> str:
    """ "Titulaire :", "Owner:", "المسؤول:": a label ready for its value."""
    return f"{text}{colon()}"


def semicolon() -> str:
    """ " ;" (narrow no-break space) in French, "؛" in Arabic, ";" in English."""
    return {"fr": f"{NNBSP};", "ar": "؛"}.get(language(), ";")


def percent(value: object, decimals: int = 0) -> str:
    """ "83,3 %" in French, "83.3 %" in English and Arabic: the number as the locale writes it,
    then a no-break space and "%", the portal's convention in every language (as its pages
    write "75&nbsp;%")."""
    return f"{number_format(value, decimals)}{NBSP}%"  # type: ignore[arg-type]


def decimals(values: Iterable[Decimal], places: int) -> list[str]:
    """``floatformat:places`` of each value (half rounds up) in the active language, the
    locale's separators read once: a year of daily figures is 365 numbers to write."""
    language = get_language()
    separator, grouping, thousands = (
        get_format(name, language)
        for name in ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR")
    )
    exponent = Decimal(1).scaleb(-places)
    return [
        numberformat.format(
            value.quantize(exponent, rounding=ROUND_HALF_UP), separator, places, grouping, thousands
        )
        for value in values
    ]


# Django's date format characters that write a number of the day, as str.format fields.
NUMERIC_DATE_FIELDS = {
    "d": "{0.day:02d}",
    "j": "{0.day}",
    "m": "{0.month:02d}",
    "n": "{0.month}",
    "Y": "{0.year:04d}",
}


def dates(days: Iterable[datetime.date], format_name: str = "SHORT_DATE_FORMAT") -> list[str]:
    """``date_format(day, format_name)`` of each day, in the active language, the format read
    once: a format of numbers only ("d/m/Y", the short dates of a long series) is written by
    str.format, many times faster than Django's DateFormat, which any other still takes."""
    pattern = get_format(format_name)
    numeric = _numeric_date_template(pattern)
    if numeric is None:
        return [dateformat.format(day, pattern) for day in days]
    return [numeric.format(day) for day in days]


@functools.cache
def _numeric_date_template(pattern: str) -> str | None:
    """The str.format template of a date format made of numbers and punctuation, or None when
    it has anything else (a letter: a name or a literal; an escape)."""
    parts = []
    for char in pattern:
        if char in NUMERIC_DATE_FIELDS:
            parts.append(NUMERIC_DATE_FIELDS[char])
        elif char.isalpha() or char == "\\":
            return None
        else:
            parts.append(char.replace("{", "{{").replace("}", "}}"))
    return "".join(parts)


def list_separator() -> str:
    """ "، " in Arabic, ", " in French and English."""
    return "، " if language() == "ar" else ", "


def join_list(items: Iterable[object]) -> str:
    return list_separator().join(str(item) for item in items)


FRENCH_SPACE_BEFORE = {":": NBSP, "%": NBSP, ";": NNBSP, "?": NNBSP, "!": NNBSP}
ARABIC_MARKS = str.maketrans({",": "،", ";": "؛", "?": "؟"})


def punctuate(text: str, lang: str | None = None) -> str:
    """A sentence the code put together, with the punctuation of ``lang`` (the active language):
    French spaces before ": % ; ? !" made no-break, Arabic commas, semicolons and question marks.
    Digits keep their own separators ("1,5" and "10:30" are left alone)."""
    lang = lang or language()
    if lang == "fr":
        return _french_spacing(text)
    if lang == "ar":
        return "".join(
            char.translate(ARABIC_MARKS) if not _between_digits(text, i) else char
            for i, char in enumerate(text)
        )
    return text


def _between_digits(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


def _french_spacing(text: str) -> str:
    out: list[str] = []
    for i, char in enumerate(text):
        space = FRENCH_SPACE_BEFORE.get(char)
        if space and not _between_digits(text, i) and not _in_url(text, i):
            while out and out[-1] in (" ", NBSP, NNBSP):
                out.pop()
            if out:
                out.append(space)
        out.append(char)
    return "".join(out)


def _in_url(text: str, i: int) -> bool:
    """ "https://": the colon of a scheme takes no space."""
    return text[i] == ":" and text[i + 1 : i + 3] == "//"


def french_article(name: str) -> str | None:
    """ "la", "le", "l'" or "les" for a name by its first word, or None when not known."""
    head = name.split(" ", 1)[0]
    if head in FRENCH_PLURAL:
        return "les"
    if head[:1].upper() in VOWELS:
        return "l'"
    if head in FRENCH_FEMININE:
        return "la"
    if head in FRENCH_MASCULINE:
        return "le"
    return None


def french_of(name: str) -> str | None:
    """ "de la Direction…", "du Ministère…", "de l'Association…", or None when not known."""
    article = french_article(name)
    if article is None:
        return None
    return {"les": "des ", "l'": "de l'", "la": "de la ", "le": "du "}[article] + name


def subject(title: str, lang: str | None = None) -> str:
    """A title as the subject of a sentence: "Le plan d'action national … 2021-2023" in French,
    "The National Action Plan … 2021-2023" in English; Arabic titles are already definite."""
    lang = lang or language()
    if not title or lang == "ar":
        return title
    if lang == "fr":
        article = french_article(title)
        if article is None:
            return title
        lowered = _lower_head(title)
        return f"L'{lowered}" if article == "l'" else f"{article.capitalize()} {lowered}"
    if lang == "en" and not title.lower().startswith("the "):
        return f"The {title}"
    return title


def _lower_head(title: str) -> str:
    """ "Plan d'action…" → "plan d'action…"; an acronym ("PAN 2021") keeps its capitals."""
    head = title.split(" ", 1)[0]
    if head[1:2].isupper():
        return title
    return title[:1].lower() + title[1:]
